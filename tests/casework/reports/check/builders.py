"""Reports to check, built from the published sample: variants of its text, the 2019 trial
format, HTML pages with spanned cells as official sites publish them, and tables from
figures (through our own text renderer)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casework.statistics.figures import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    COLUMNS,
    PROACTIVE_DEFAULT,
    ROW_CODES,
    Report,
    RequestTable,
)
from casework.statistics.text import render_tables
from workflows.outcomes import GROUP_LABELS, OUTCOMES, OutcomeGroup

ROOT = Path(__file__).resolve().parents[4]
SAMPLE_PATH = ROOT.parent / "shared" / "fixtures" / "sample-annual-report-2023.txt"
SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")
TITLE = "西安市雁塔区漳浒寨街道办事处2023年政府信息公开工作年度报告"

TABLE_THREE = "三、收到和处理政府信息公开申请情况"
TABLE_FOUR = "四、政府信息公开行政复议、行政诉讼情况"
SECTION_FIVE = "五、存在的主要问题及改进情况"

# The sample's figures (table 三 rows with a number other than 0; table 四 all 0).
SAMPLE_NONZERO = {
    "new": [7, 0, 0, 0, 0, 0, 7],
    "withheld.third_party_rights": [1, 0, 0, 0, 0, 0, 1],
    "unavailable.not_held": [2, 0, 0, 0, 0, 0, 2],
    "other.correction_not_submitted": [4, 0, 0, 0, 0, 0, 4],
    "concluded_total": [7, 0, 0, 0, 0, 0, 7],
}
ZERO_APPEALS = {k: dict.fromkeys(APPEAL_RESULTS, 0) for k in APPEAL_KINDS}


def sample_requests() -> dict[str, list[int]]:
    rows = {"new": [0] * 7, "carried_in": [0] * 7, **{c: [0] * 7 for c in ROW_CODES}}
    rows |= {"concluded_total": [0] * 7, "carried_out": [0] * 7}
    for code, values in SAMPLE_NONZERO.items():
        rows[code] = list(values)
    return rows


def cells(text: str) -> list[str]:
    """The sample's cells (and paragraphs): it separates them by one blank line."""
    return text.split("\n\n")


def join(parts: list[str]) -> str:
    return "\n\n".join(parts)


def table_number_indexes(text: str = SAMPLE) -> list[int]:
    """Indexes (in `cells`) of every number of tables 三 and 四."""
    parts = cells(text)
    start = parts.index(TABLE_THREE)
    end = parts.index(SECTION_FIVE)
    return [i for i in range(start, end) if parts[i].strip().isdigit()]


def with_cell(text: str, index: int, value: str) -> str:
    parts = cells(text)
    parts[index] = value
    return join(parts)


def replace_row(text: str, label: str, values: list[int]) -> str:
    """The sample with the numbers after `label` replaced."""
    parts = cells(text)
    i = parts.index(label)
    parts[i + 1 : i + 1 + len(values)] = [str(v) for v in values]
    return join(parts)


def with_carried(
    text: str, carried_in: list[int] | None = None, carried_out: list[int] | None = None
) -> str:
    """The sample with 二 and/or 四 changed and 一 adjusted to keep the balance."""
    out = text
    cin = carried_in or [0] * 7
    cout = carried_out or [0] * 7
    if carried_in is not None:
        out = replace_row(out, "二、上年结转政府信息公开申请数量", cin)
    if carried_out is not None:
        out = replace_row(out, "四、结转下年度继续办理", cout)
    new = [a - b + c for a, b, c in zip(SAMPLE_NONZERO["new"], cin, cout, strict=True)]
    out = out.replace("申请7件", f"申请{new[-1]}件")  # the text says how many were new
    return replace_row(out, "一、本年新收政府信息公开申请数量", new)


def year_2022(carried_out: list[int]) -> str:
    """A 2022 report: the sample's layout, its 四 as given (and 一 adjusted to balance)."""
    text = with_carried(SAMPLE, carried_out=carried_out)
    text = text.replace("2023年", "2022年").replace("申请7件", "申请若干")
    return text


# -- the 2019 trial format ------------------------------------------------------------------

TABLE_TWO_2019 = [
    "二、主动公开政府信息情况",
    "第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量",
    "规章", "0", "0", "2",
    "规范性文件", "1", "1", "5",
    "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    "行政许可", "3", "-1", "12",
    "其他对外管理服务事项", "0", "0", "0",
    "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    "行政处罚", "2", "0", "4",
    "行政强制", "0", "0", "0",
    "第二十条第(八)项", "信息内容", "上一年项目数量", "本年增/减",
    "行政事业性收费", "1", "0",
    "第二十条第(九)项", "信息内容", "采购项目数量", "采购总金额",
    "政府集中采购", "3", "12.5",
]  # fmt: skip


def _six_labels() -> list[str]:
    return [o.label for o in OUTCOMES if o.group is OutcomeGroup.OTHER]


def as_2019(text: str = SAMPLE) -> str:
    """The sample in the 2019 trial format: its table 二, and （六）其他处理 as one row."""
    parts = cells(text)
    start = parts.index("二、主动公开政府信息情况")
    end = parts.index(TABLE_THREE)
    parts[start:end] = TABLE_TWO_2019
    six = parts.index("(六)其他处理")
    leaves = _six_labels()
    sums = [0] * 7
    i = six + 1
    for leaf in leaves:
        assert parts[i].startswith(leaf[:2]), parts[i]
        for j in range(7):
            sums[j] += int(parts[i + 1 + j])
        i += 8
    parts[six + 1 : i] = [str(v) for v in sums]
    return join(parts)


# -- HTML as official sites publish it --------------------------------------------------------


def _td(text: Any, rows: int = 1, cols: int = 1) -> str:
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f"<td{span}><p>{html.escape(str(text))}</p></td>"


def _row(*cells_: str) -> str:
    return "<tr>" + "".join(cells_) + "</tr>\n"


def _requests_table(rows: dict[str, list[int]], six_single: bool = False) -> str:
    nums = lambda code: "".join(_td(v) for v in rows[code])  # noqa: E731
    out = [
        _row(_td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
             _td("申请人情况", 1, 7)),
        _row(_td("自然人", 2), _td("法人或其他组织", 1, 5), _td("总计", 2)),
        _row(*(_td(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))),
        _row(_td("一、本年新收政府信息公开申请数量", 1, 3), nums("new")),
        _row(_td("二、上年结转政府信息公开申请数量", 1, 3), nums("carried_in")),
    ]  # fmt: skip
    folded = six_single and OutcomeGroup.OTHER  # （六）'s leaves 2 and 3 are not rows
    result_rows = 1 + sum(
        1 for o in OUTCOMES if not (folded and o.group is folded and (o.item or 0) > 1)
    )
    first = True
    for o in OUTCOMES:
        head = _td("三、本年度办理结果", result_rows) if first else ""
        first = False
        if o.item is None:
            out.append(_row(head, _td(o.group_label, 1, 2), nums(o.code)))
        elif six_single and o.group is OutcomeGroup.OTHER:
            if o.item == 1:
                out.append(_row(head, _td(GROUP_LABELS[o.group], 1, 2), nums("other")))
        else:
            leaves = sum(1 for x in OUTCOMES if x.group is o.group)
            group = _td(o.group_label, leaves) if o.item == 1 else ""
            out.append(_row(head, group, _td(o.label), nums(o.code)))
    out.append(_row(_td("（七）总计", 1, 2), nums("concluded_total")))
    out.append(_row(_td("四、结转下年度继续办理", 1, 3), nums("carried_out")))
    return "<table border='1'>\n" + "".join(out) + "</table>\n"


def _appeals_table(appeals: dict[str, dict[str, int]]) -> str:
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    numbers = [appeals[k][r] for k in APPEAL_KINDS for r in APPEAL_RESULTS]
    out = [
        _row(_td("行政复议", 1, 5), _td("行政诉讼", 1, 10)),
        _row(*(_td(r, 2) for r in results), _td("未经复议直接起诉", 1, 5), _td("复议后起诉", 1, 5)),
        _row(*(_td(r) for r in results * 2)),
        _row(*(_td(v) for v in numbers)),
    ]
    return "<table border='1'>\n" + "".join(out) + "</table>\n"


def _proactive_table(proactive: dict[str, Any]) -> str:
    p = proactive
    out = [
        _row(_td("第二十条第（一）项", 1, 4)),
        _row(_td("信息内容"), _td("本年制发件数"), _td("本年废止件数"), _td("现行有效件数")),
        _row(_td("规章"), *(_td(p["regulations"][k]) for k in ("issued", "repealed", "in_force"))),
        _row(_td("行政规范性文件"),
             *(_td(p["normative_documents"][k]) for k in ("issued", "repealed", "in_force"))),
        _row(_td("第二十条第（五）项", 1, 4)),
        _row(_td("信息内容"), _td("本年处理决定数量", 1, 3)),
        _row(_td("行政许可"), _td(p["licensing"], 1, 3)),
        _row(_td("第二十条第（六）项", 1, 4)),
        _row(_td("信息内容"), _td("本年处理决定数量", 1, 3)),
        _row(_td("行政处罚"), _td(p["penalties"], 1, 3)),
        _row(_td("行政强制"), _td(p["enforcement"], 1, 3)),
        _row(_td("第二十条第（八）项", 1, 4)),
        _row(_td("信息内容"), _td("本年收费金额（单位：万元）", 1, 3)),
        _row(_td("行政事业性收费"), _td(p["admin_fees_wan_yuan"], 1, 3)),
    ]  # fmt: skip
    return "<table border='1'>\n" + "".join(out) + "</table>\n"


def html_report(
    requests: dict[str, list[int]] | None = None,
    appeals: dict[str, dict[str, int]] | None = None,
    proactive: dict[str, Any] | None = None,
    overview: str = "2023年，向本级政府信息公开申请7件，均已按时答复。",
    six_single: bool = False,
    layout_table: bool = False,
) -> str:
    """A report page: a site's header, the title, the text and the three tables."""
    body = (
        f"<div class='nav'>首页 &gt; 政务公开 &gt; 年度报告</div>\n"
        f"<h1>{TITLE}</h1>\n"
        f"<p>一、总体情况</p>\n<p>{html.escape(overview)}</p>\n"
        f"<p><strong>二、主动公开政府信息情况</strong></p>\n"
        f"{_proactive_table(proactive or dict(PROACTIVE_DEFAULT, regulations={'issued': 0, 'repealed': 0, 'in_force': 2}))}"
        f"<p><strong>三、收到和处理政府信息公开申请情况</strong></p>\n"
        f"{_requests_table(requests or sample_requests(), six_single)}"
        f"<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>\n"
        f"{_appeals_table(appeals or ZERO_APPEALS)}"
        f"<p>五、存在的主要问题及改进情况</p>\n<p>工作还有差距。</p>\n"
        f"<p>六、其他需要报告的事项</p>\n<p>2023年未收取信息处理费。</p>\n"
    )
    if layout_table:
        body = f"<table width='100%'><tr><td>{body}</td></tr></table>"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{TITLE}_西安市雁塔区人民政府</title>"
        "<script>var x = '<td>1</td>';</script></head>\n"
        f"<body>\n{body}</body></html>\n"
    )


# -- tables from figures, through our own renderer ---------------------------------------------


def rendered(
    requests: dict[str, list[int]],
    appeals: dict[str, dict[str, int]],
    proactive: dict[str, Any] | None = None,
    year: int = 2023,
) -> str:
    """A whole report's text: a title, a sentence, tables 二–四 by `render_tables`."""
    table = RequestTable(
        new=requests["new"],
        carried_in=requests["carried_in"],
        outcomes={c: requests[c] for c in ROW_CODES},
        concluded_total=requests["concluded_total"],
        carried_out=requests["carried_out"],
    )
    report = Report(
        agency="t",
        agency_name="测试区测试街道办事处",
        year=year,
        as_of=datetime(year + 1, 1, 5, tzinfo=UTC),
        requests=table,
        proactive=proactive or dict(PROACTIVE_DEFAULT),
        appeals=appeals,
    )
    return (
        f"测试区测试街道办事处{year}年政府信息公开工作年度报告\n\n一、总体情况\n\n"
        f"本年度依法办理政府信息公开申请。\n\n{render_tables(report)}\n"
        "五、存在的主要问题及改进情况\n\n无。\n"
    )


assert len(COLUMNS) == 7
