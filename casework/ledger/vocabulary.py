"""The words clerks write in a ledger, mapped to the codes of the workflow (and back).

Values are compared after `normalise` (no spaces, punctuation or enumerators such as “（三）”
or “1.”), so “不予公开—属于国家秘密”, “不予公开（国家秘密）” and the official row label of
table 三 (group and item, with their enumerators) are the same word. A mapping file may add words per field; its
words win over these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from casework.ledger.columns import PUNCTUATION
from workflows.actions import action_spec
from workflows.outcomes import (
    APPLICANT_KIND_LABELS,
    CORRECTION_NOT_SUBMITTED,
    FEE_NOT_PAID,
    OUTCOMES,
    WITHDRAWN,
    OutcomeGroup,
)
from workflows.payloads import CHANNEL_LABELS

_G = OutcomeGroup
_CODE_OF_ROW = {(o.group, o.item): o.code for o in OUTCOMES}
WITHDRAW_LABEL = action_spec("withdraw").label  # what ledgers write for a withdrawn request

ABANDONED = "abandoned"  # “视为放弃”: the row's steps tell whether it was the correction or the fee
NO_ANSWER = "no_answer"  # a consulted party that never answered: its window expires by itself

_ENUMERATOR = re.compile(
    r"[（(][一二三四五六七八九十]+[）)]|(?<!\d)\d+[.．、]|^[一二三四五六七八九十]+、"
)
_NOISE = PUNCTUATION  # the same characters the header matching ignores


def normalise(text: str) -> str:
    return _NOISE.sub("", _ENUMERATOR.sub("", text)).lower()


class UnknownWord(ValueError):
    """A value with no code; the message says why, in Chinese, without repeating the value."""


# Group words that are not an outcome by themselves: the ledger must name the case's reason.
_GROUP_WORDS = {
    "不予公开": OutcomeGroup.WITHHELD,
    "无法提供": OutcomeGroup.UNAVAILABLE,
    "不予处理": OutcomeGroup.NOT_PROCESSED,
    "其他处理": OutcomeGroup.OTHER,
}

# Words per outcome: keyed by its row of table 三 (group, item), or by one of the codes
# workflows.outcomes names, so that no code is spelled out twice
_OUTCOME_WORDS: dict[tuple[OutcomeGroup, int | None] | str, tuple[str, ...]] = {
    (_G.DISCLOSED, None): (
        "予以公开",
        "公开",
        "同意公开",
        "全部公开",
        "已公开",
        "已主动公开",
        "主动公开",
    ),
    (_G.PARTIALLY_DISCLOSED, None): ("部分公开", "区分处理", "部分予以公开"),
    (_G.WITHHELD, 1): ("国家秘密", "涉及国家秘密"),
    (_G.WITHHELD, 2): ("法律行政法规禁止公开", "法律法规禁止公开"),
    (_G.WITHHELD, 3): (
        "三安全一稳定",
        "危及国家安全公共安全经济安全社会稳定",
    ),
    (_G.WITHHELD, 4): (
        "第三方合法权益",
        "商业秘密",
        "个人隐私",
        "涉及商业秘密",
        "涉及个人隐私",
        "第三方不同意公开",
    ),
    (_G.WITHHELD, 5): ("三类内部事务信息", "内部事务信息", "内部事务"),
    (_G.WITHHELD, 6): ("四类过程性信息", "过程性信息"),
    (_G.WITHHELD, 7): ("行政执法案卷", "行政执法案卷信息", "执法案卷"),
    (_G.WITHHELD, 8): ("行政查询事项", "行政查询"),
    (_G.UNAVAILABLE, 1): (
        "信息不存在",
        "政府信息不存在",
        "不存在",
        "本机关不掌握",
        "不掌握",
        "不属于本机关负责公开",
        "不属于本机关公开职责",
        "非本机关政府信息",
        "不属于本机关",
    ),
    (_G.UNAVAILABLE, 2): (
        "需要另行制作",
        "需另行制作",
        "需要加工分析",
        "需加工分析",
        "加工分析",
    ),
    (_G.UNAVAILABLE, 3): ("申请内容不明确", "内容不明确"),
    (_G.NOT_PROCESSED, 1): ("信访举报投诉", "信访", "投诉", "举报"),
    (_G.NOT_PROCESSED, 2): ("重复申请", "不予重复处理"),
    (_G.NOT_PROCESSED, 3): ("公开出版物",),
    (_G.NOT_PROCESSED, 4): ("大量反复申请",),
    (_G.NOT_PROCESSED, 5): ("确认或重新出具", "重新出具"),
    CORRECTION_NOT_SUBMITTED: (
        "视为放弃逾期不补正",
        "逾期不补正",
        "逾期未补正",
        "未补正",
        "不补正",
    ),
    FEE_NOT_PAID: ("视为放弃逾期未缴费", "逾期未缴费", "逾期不缴费", "未缴费", "未缴纳费用"),
    WITHDRAWN: (WITHDRAW_LABEL, "撤回", "撤回申请", "主动撤回", "撤销申请", "其他"),
    ABANDONED: ("视为放弃", "视为放弃申请", "视为撤回"),
}

# What the export writes: short, and read back by the words above.
OUTCOME_LABELS: dict[str, str] = {
    CORRECTION_NOT_SUBMITTED: "视为放弃—逾期不补正",
    FEE_NOT_PAID: "视为放弃—逾期未缴费",
    WITHDRAWN: WITHDRAW_LABEL,
}
for _o in OUTCOMES:
    if _o.code not in OUTCOME_LABELS:
        _leaf = re.sub(r"^\d+\.", "", _o.label)
        _group = next((w for w, g in _GROUP_WORDS.items() if g is _o.group), None)
        OUTCOME_LABELS[_o.code] = f"{_group}—{_leaf}" if _group and _o.item else _leaf


def _outcome_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def put(word: str, code: str) -> None:
        key = normalise(word)
        if table.setdefault(key, code) != code:
            raise AssertionError(f"ledger vocabulary: {word} means both {table[key]} and {code}")

    for key, words in _OUTCOME_WORDS.items():
        code = key if isinstance(key, str) else _CODE_OF_ROW[key]
        for word in words:
            put(word, code)
    for o in OUTCOMES:
        put(o.code, o.code)
        put(o.label, o.code)  # the item label without its enumerator “4.”
        put(o.full_label, o.code)
        put(OUTCOME_LABELS[o.code], o.code)
    return table


_OUTCOMES = _outcome_table()
_GROUP_OF = {o.code: o.group for o in OUTCOMES}


def _strip_group(word: str) -> tuple[OutcomeGroup | None, str]:
    for prefix, group in _GROUP_WORDS.items():
        if word.startswith(prefix) and word != prefix:
            return group, word.removeprefix(prefix).removeprefix("属于")
    return None, word


def _outcome(word: str) -> str:
    if word in _OUTCOMES:
        return _OUTCOMES[word]
    group, rest = _strip_group(word)
    if group is not None:
        for candidate in (rest, f"属于{rest}"):
            code = _OUTCOMES.get(candidate)
            if code is not None and _GROUP_OF.get(code, group) is group:
                return code
    for prefix, row in (("部分公开", _G.PARTIALLY_DISCLOSED), ("予以公开", _G.DISCLOSED)):
        code = _CODE_OF_ROW[(row, None)]
        if word.startswith(prefix):  # “部分公开（区分处理）”, “予以公开（已主动公开）”
            return code
    if word in _GROUP_WORDS:
        raise UnknownWord(f"只写了大类，未写明具体情形（如“{word}—…”，见年度报告表三的分项）")
    raise UnknownWord("无法对应到答复类型（年度报告表三的分项）")


_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人", "公民", "个人", "自然人公民"),
    "commercial_enterprise": ("商业企业", "企业", "公司", "企业法人"),
    "research_institution": ("科研机构", "科研院所"),
    "public_interest_org": ("社会公益组织", "公益组织"),
    "legal_service_org": ("法律服务机构", "律师事务所", "律所"),
    "other_org": ("其他", "其他组织", "其他机构"),
}
_KINDS = {normalise(w): code for code, words in _KIND_WORDS.items() for w in (code, *words)} | {
    normalise(label): kind.value for kind, label in APPLICANT_KIND_LABELS.items()
}
_LEGAL_PERSON = normalise("法人或其他组织")


def _kind(word: str) -> str:
    rest = word.removeprefix(_LEGAL_PERSON)
    if not rest:
        raise UnknownWord(
            "未写明法人或其他组织的类别（商业企业、科研机构、社会公益组织、法律服务机构、其他）"
        )
    code = _KINDS.get(rest)
    if code is None:
        raise UnknownWord(
            "无法对应到申请人类型（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）"
        )
    return code


def _words(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise(w): code for code, words in table.items() for w in (code, *words)}


_CHANNELS = _words(
    {
        "in_person": ("当面提交", "当面", "现场", "现场提交", "窗口", "来访", "当面申请"),
        "post": ("邮寄", "信函", "邮政", "寄送", "挂号信", "快递", "邮寄申请"),
        "online": ("互联网", "网上", "网络", "在线", "网站", "政府网站", "电子邮件", "网上申请"),
        "fax": ("传真",),
    }
)
_DELIVERIES = _words(
    {
        "paper": ("纸质", "纸质文本", "纸面"),
        "electronic": ("电子", "电子数据", "电子文本", "电子邮件"),
        "pickup": ("自行领取", "当面领取", "现场领取"),
    }
)
_BASES = _words({"per_item": ("按件计收", "按件"), "per_volume": ("按量计收", "按量", "按页")})
_METHODS = _words(
    {
        "in_person": ("当面送达", "直接送达", "当面", "现场领取", "自行领取"),
        "post": ("邮寄", "邮寄送达", "邮政", "挂号信", "ems"),
        "electronic": ("电子送达", "电子", "电子邮件", "网上", "在线", "短信"),
    }
)
_OPINIONS = _words(
    {
        "consent": ("同意", "同意公开", "无异议"),
        "objection": ("不同意", "不同意公开", "反对", "反对公开", "有异议"),
        "none": ("无意见", "未提出意见", "不发表意见"),
        NO_ANSWER: ("未答复", "逾期未答复", "未回复", "未反馈", "逾期未反馈"),
    }
)

LABELS: dict[str, dict[str, str]] = {
    "channel": dict(CHANNEL_LABELS),
    "applicant.kind": {k.value: label for k, label in APPLICANT_KIND_LABELS.items()},
    "delivery": {"paper": "纸质", "electronic": "电子", "pickup": "自行领取"},
    "fee.basis": {"per_item": "按件计收", "per_volume": "按量计收"},
    "deliver.method": {"in_person": "当面送达", "post": "邮寄", "electronic": "电子送达"},
    "opinion.opinion": {
        "consent": "同意",
        "objection": "不同意",
        "none": "无意见",
        NO_ANSWER: "未答复",
    },
    "reply.outcome": OUTCOME_LABELS,
}
# The codes a mapping file's value map may name, per field.
CODES: dict[str, frozenset[str]] = {
    "channel": frozenset(_CHANNELS.values()),
    "applicant.kind": frozenset(_KINDS.values()),
    "delivery": frozenset(_DELIVERIES.values()),
    "fee.basis": frozenset(_BASES.values()),
    "deliver.method": frozenset(_METHODS.values()),
    "opinion.opinion": frozenset(_OPINIONS.values()),
    "reply.outcome": frozenset(_OUTCOMES.values()),
}
_WHAT = {
    "channel": "申请方式（当面提交、邮寄、互联网、传真）",
    "delivery": "获取信息方式（纸质、电子、自行领取）",
    "fee.basis": "计收方式（按件计收、按量计收）",
    "deliver.method": "送达方式（当面送达、邮寄、电子送达）",
    "opinion.opinion": "第三方意见（同意、不同意、无意见、未答复）",
}
_TABLES = {
    "channel": _CHANNELS,
    "delivery": _DELIVERIES,
    "fee.basis": _BASES,
    "deliver.method": _METHODS,
    "opinion.opinion": _OPINIONS,
}


@dataclass(frozen=True)
class Vocabulary:
    """The words of every choice field: the defaults above plus a mapping file's own."""

    extra: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @cached_property
    def _own(self) -> dict[str, dict[str, str]]:
        return {
            key: {normalise(w): c for w, c in words.items()} for key, words in self.extra.items()
        }

    def code(self, key: str, text: str) -> str:
        word = normalise(text)
        own = self._own.get(key, {})
        if word in own:
            return own[word]
        if not word:
            raise UnknownWord("为空")
        if key == "reply.outcome":
            return _outcome(word)
        if key == "applicant.kind":
            return _kind(word)
        found = _TABLES[key].get(word)
        if found is None:
            raise UnknownWord(f"无法对应到{_WHAT[key]}")
        return found
