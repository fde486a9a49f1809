"""Sections 二–四 as plain text in the layout the sample report is published in
(`shared/fixtures/sample-annual-report-2023.txt`): the tables linearised one cell per line,
cells separated by a blank line, half-width punctuation. Labels come from the one code table
(`workflows.outcomes`); this module only knows the layout."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casework.services.appeals import RESULTS
from casework.statistics.figures import APPEAL_KINDS, Report
from workflows.outcomes import GROUP_LABELS, OUTCOMES, ApplicantKind, OutcomeGroup

HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":"})

SECTION_PROACTIVE = "二、主动公开政府信息情况"
SECTION_REQUESTS = "三、收到和处理政府信息公开申请情况"
SECTION_APPEALS = "四、政府信息公开行政复议、行政诉讼情况"
ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

TOTAL = "总计"
APPLICANTS = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
CONTENT = "信息内容"
# Table 二: per item of Art. 20, its column heads and its rows (label, key in the figures);
# item (一)'s rows hold {"issued", "repealed", "in_force"}, the others one number.
PROACTIVE_COUNTS = ("issued", "repealed", "in_force")
PROACTIVE_BLOCKS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
     (("规章", "regulations"), ("行政规范性文件", "normative_documents"))),
    ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", "licensing"),)),
    ("第二十条第（六）项", ("本年处理决定数量",),
     (("行政处罚", "penalties"), ("行政强制", "enforcement"))),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",),
     (("行政事业性收费", "admin_fees_wan_yuan"),)),
)  # fmt: skip
# Table 四: the two heads, litigation's two kinds, and each group's five columns.
RECONSIDERATION = "行政复议"
LITIGATION = "行政诉讼"
LITIGATION_KINDS = ("未经复议直接起诉", "复议后起诉")
APPEAL_RESULT_LABELS: dict[str, str] = {**RESULTS, "pending": "尚未审结", "total": TOTAL}

# Header cells as the published layout breaks them (one line per printed line of a cell).
REQUEST_HEADER = (
    APPLICANTS, ApplicantKind.NATURAL_PERSON.label, LEGAL_PERSONS, TOTAL,
    "商业", "企业", "科研", "机构", "社会公益组织", "法律服务机构", "其他",
)  # fmt: skip
_RESULT_CELLS = ("结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计")
APPEAL_HEADER = (
    RECONSIDERATION, LITIGATION,
    "结果维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计",
    *LITIGATION_KINDS,
    *_RESULT_CELLS, *_RESULT_CELLS,
)  # fmt: skip


def _half(text: str) -> str:
    return text.translate(HALF_WIDTH)


def _numbers(values: Iterable[Any]) -> list[str]:
    return [_format_number(v) for v in values]


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def proactive_lines(data: dict[str, Any]) -> list[str]:
    lines = [SECTION_PROACTIVE]
    for item, heads, rows in PROACTIVE_BLOCKS:
        lines += [_half(item), CONTENT, *map(_half, heads)]
        for label, key in rows:
            value = data[key]
            numbers = [value[k] for k in PROACTIVE_COUNTS] if isinstance(value, dict) else [value]
            lines += [label, *_numbers(numbers)]
    return lines


def request_lines(report: Report) -> list[str]:
    t = report.requests
    lines = [SECTION_REQUESTS, _half(BALANCE_NOTE), *REQUEST_HEADER]
    lines += [ROW_NEW, *_numbers(t.new), ROW_CARRIED_IN, *_numbers(t.carried_in), ROW_RESULTS]
    shown: set[OutcomeGroup] = set()
    for outcome in OUTCOMES:
        if outcome.item is None:  # （一）（二）: the group is the row
            lines += [_half(outcome.group_label), *_numbers(t.outcomes[outcome.code])]
            continue
        if outcome.group not in shown:  # （三）–（六）: a heading without numbers
            shown.add(outcome.group)
            lines.append(_half(GROUP_LABELS[outcome.group]))
        lines += [_half(outcome.label), *_numbers(t.outcomes[outcome.code])]
    lines += [_half(ROW_TOTAL), *_numbers(t.concluded_total)]
    lines += [ROW_CARRIED_OUT, *_numbers(t.carried_out)]
    return lines


def appeal_lines(report: Report) -> list[str]:
    numbers: list[int] = []
    for kind in APPEAL_KINDS:
        group = report.appeals[kind]
        numbers += [group[k] for k in ("upheld", "corrected", "other", "pending", "total")]
    return [SECTION_APPEALS, *APPEAL_HEADER, *_numbers(numbers)]


def render_tables(report: Report) -> str:
    """Sections 二, 三 and 四, one cell per line with a blank line between cells."""
    lines = proactive_lines(report.proactive) + request_lines(report) + appeal_lines(report)
    return "\n\n".join(lines) + "\n"
