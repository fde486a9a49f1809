"""Numbers the report's text states about its own tables ("收到政府信息公开申请7件", "办结
七件", "上年结转2件", "行政复议1件"), each with the table figure it speaks of.

A number counts only where its clause says clearly what it counts; anything else — a number
of messages (条), a breakdown by applicant, channel, month or topic, a change on last year,
another year's figure, "80余件" — is passed over: a wrong reading must not become a false
alarm."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.reports.check.formats import CARRIED_IN, CARRIED_OUT, CONCLUDED, NEW
from workflows.outcomes import GROUP_LABELS, OUTCOMES, OutcomeGroup

RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "".join([*_CN_DIGITS, *_CN_UNITS, "万"])

_CLAIM = re.compile(
    rf"(?P<num>(?<![\d.])\d+(?![\d.])|[{_CN}]+)\s*(?P<approx>余|多)?\s*(?P<unit>件|起)"
)
_SENTENCES = re.compile(r"[。！？；;!?\n]+")
_CLAUSES = re.compile(r"[，,、：:（）()“”\"]+")
_NOT_A_COUNT_BEFORE = "第每同单逐任哪这那某"

# Words that make a number something else than the table's figure: a change, a share, a
# breakdown (applicant, channel, time, topic), a subset (on time, extended), other business.
_ASIDE = re.compile(
    "增加|减少|增长|下降|同比|环比|较上|较去|比上|比去|上升|持平|占|各|约|近|超过|不足|以上|以下"
    "|其余|平均|自然人|法人|企业|科研|公益|法律服务|律师|网上|网络|在线|线上|信函|邮寄|传真|当面"
    "|现场|电子邮件|邮箱|窗口|按时|按期|逾期|延期|超期|当场|留言|建议|提案|咨询|来信|来电|热线"
    "|诉求|来访|舆情|信箱|涉及|关于|去年|季度|投诉|举报|信访|工单|\\d+月|[一二三四五六七八九十]+月"
)
_CARRIED_OUT = re.compile(r"结转(?:至|到)?下|转入下|下一?年度?继续")
_CARRIED_IN = re.compile(r"上一?年度?结转|结转上一?年|往年结转|以前年度结转")
_LAST_YEAR = re.compile(r"上一?年")
_APPEAL_DETAIL = re.compile(r"纠错|纠正|维持|撤销|败诉|胜诉|驳回|审结|确认违法|尚未|复议后")
_CONCLUDED = re.compile(r"办结|答复|办理完毕|处理完毕|已办理|完成办理|办理完成")
_NEW = re.compile(r"新收|收到|受理|接收|共收")
_NEW_TAIL = re.compile(r"申请(?:共计|共|合计|总计|累计)?$")
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_FILLERS = re.compile(r"共计|合计|总计|累计|共|均|的|了|为|政府信息公开|信息公开|依")
_HANDLED = re.compile(r"办理|处理")  # "共办理申请10件": new and carried over, or concluded?


def _bare(label: str) -> str:
    """A group label without its number and gloss: "（三）X" → "X"; "（二）X（…）" → "X"."""
    return re.sub(r"（[^（）]*）", "", label)


# The outcome words a sentence may use: （一）（二） name a row, （三）–（六） a group.
_OUTCOME_WORDS: dict[str, str] = {
    _bare(GROUP_LABELS[g]): next(o.code for o in OUTCOMES if o.group is g)
    if g in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED)
    else g.value
    for g in OutcomeGroup
}


@dataclass(frozen=True)
class Claim:
    target: str  # "new", "carried_in", "concluded_total", "carried_out", an outcome or group
    # code, "reconsideration" or "litigation"
    value: int
    quote: str  # the clause up to the number and its unit


def cn_number(text: str) -> int | None:
    """ "七" → 7, "十二" → 12, "两" → 2, "一百零五" → 105, "7" → 7."""
    if text.isdigit():
        return int(text)
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            return None
    return total + section + digit


def _counts_applications(prefix: str, word: re.Match[str] | None) -> bool:
    """The verb or outcome word is followed by the number itself ("办结7件", "新收5件"),
    or by applications ("收到政府信息公开申请7件") — not by other things ("受理政务服务
    事项1200件")."""
    if word is None:
        return False
    tail = _FILLERS.sub("", prefix[word.end() :])
    return "申请" in tail or len(tail) <= 2


def _target(prefix: str, about_requests: bool, year: int | None) -> str | None:
    if _ASIDE.search(prefix):
        return None
    years = {int(y) for y in _YEAR.findall(prefix)}
    if year is not None and years - {year}:
        return None  # another year's figure
    if _CARRIED_OUT.search(prefix):
        return CARRIED_OUT
    if _CARRIED_IN.search(prefix):
        return CARRIED_IN
    if _LAST_YEAR.search(prefix):
        return None  # last year's figure
    reconsideration = "复议" in prefix
    litigation = "诉讼" in prefix or "起诉" in prefix
    if reconsideration or litigation:
        if (reconsideration and litigation) or _APPEAL_DETAIL.search(prefix):
            return None
        return RECONSIDERATION if reconsideration else LITIGATION
    if not about_requests:
        return None
    outcomes = [(target, re.search(word, prefix)) for word, target in _OUTCOME_WORDS.items()]
    said = [(target, found) for target, found in outcomes if found is not None]
    if said:
        target, found = said[0]
        return target if len(said) == 1 and _counts_applications(prefix, found) else None
    if _counts_applications(prefix, _last(_CONCLUDED, prefix)):
        return CONCLUDED
    if _counts_applications(prefix, _last(_NEW, prefix)):
        return NEW
    if _NEW_TAIL.search(prefix) and not _HANDLED.search(prefix):
        return NEW
    return None


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def claims(paragraphs: list[str], year: int | None) -> list[Claim]:
    found: list[Claim] = []
    for paragraph in paragraphs:
        about_requests = False  # the paragraph so far speaks of applications
        for sentence in _SENTENCES.split(paragraph):
            about_requests = about_requests or "申请" in sentence
            for clause in _CLAUSES.split(sentence):
                found += _in_clause(clause, about_requests, year)
    return found


def _in_clause(clause: str, about_requests: bool, year: int | None) -> list[Claim]:
    out: list[Claim] = []
    for match in _CLAIM.finditer(clause):
        start = match.start("num")
        if match.group("approx") or (start and clause[start - 1] in _NOT_A_COUNT_BEFORE):
            continue
        value = cn_number(match.group("num"))
        target = _target(clause[:start], about_requests, year)
        if value is None or target is None:
            continue
        out.append(Claim(target, value, clause[: match.end()].strip()))
    return out
