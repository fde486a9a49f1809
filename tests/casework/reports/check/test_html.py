"""Report pages saved as HTML, with tables whose cells span rows and columns as official
sites publish them: read by structure and labels, checked like text."""

from __future__ import annotations

from casework.reports.check import Kind, check, read_report
from tests.casework.reports.check.builders import (
    TITLE,
    ZERO_APPEALS,
    html_report,
    sample_requests,
)


def test_an_html_report_reads_as_the_sample() -> None:
    report = read_report(html_report().encode())
    assert report.source == "html"
    assert (report.title, report.year, report.format_version) == (TITLE, 2023, "2021")
    assert report.requests == sample_requests()
    assert report.appeals == ZERO_APPEALS
    assert report.proactive["regulations"] == {"issued": 0, "repealed": 0, "in_force": 2}


def test_a_consistent_html_report_has_no_problem() -> None:
    assert check(read_report(html_report().encode())) == []


def test_a_page_laid_out_in_a_table_is_read_too() -> None:
    report = read_report(html_report(layout_table=True).encode())
    assert report.requests == sample_requests() and check(report) == []


def test_an_html_report_with_a_wrong_number_is_caught() -> None:
    rows = sample_requests()
    rows["unavailable.not_held"] = [2, 0, 0, 0, 1, 0, 2]
    problems = check(read_report(html_report(requests=rows).encode()))
    assert [(p.kind, p.row_code, p.column, p.expected, p.found) for p in problems] == [
        (Kind.ROW_SUM, "unavailable.not_held", "总计", 3, 2),
        (Kind.COLUMN_SUM, "concluded_total", "法律服务机构", 1, 0),
    ]


def test_an_html_table_four_with_a_wrong_total_is_caught() -> None:
    appeals = {k: dict(v) for k, v in ZERO_APPEALS.items()}
    appeals["reconsideration"] |= {"upheld": 1, "pending": 1, "total": 1}
    problems = check(read_report(html_report(appeals=appeals).encode()))
    assert [(p.kind, p.row, p.expected, p.found) for p in problems] == [
        (Kind.APPEAL_TOTAL, "行政复议", 2, 1)
    ]


def test_an_empty_cell_names_its_column() -> None:
    page = html_report()
    at = page.index("<td><p>2</p></td>", page.index("1.本机关不掌握相关政府信息"))
    page = page[:at] + "<td><p></p></td>" + page[at + len("<td><p>2</p></td>") :]
    problems = check(read_report(page.encode()))
    assert [(p.kind, p.row_code, p.column) for p in problems][:1] == [
        (Kind.STRUCTURE, "unavailable.not_held", "自然人")
    ]
    assert problems[0].message == "表三 “（四）无法提供 1.本机关不掌握相关政府信息”行 自然人列为空"


def test_a_2019_single_row_six_in_html_is_read() -> None:
    rows = sample_requests()
    for code in [c for c in rows if c.startswith("other.")]:
        del rows[code]
    rows["other"] = [4, 0, 0, 0, 0, 0, 4]
    report = read_report(html_report(requests=rows, six_single=True).encode())
    assert report.requests == rows
    # its table 二 is of the 2021 format: the mix is the only problem
    assert [p.kind for p in check(report)] == [Kind.FORMAT]


def test_the_narrative_of_an_html_page_is_checked() -> None:
    page = html_report(overview="2023年，向本级政府信息公开申请9件。")
    problems = check(read_report(page.encode()))
    assert [(p.kind, p.expected, p.found) for p in problems] == [(Kind.NARRATIVE, 7, 9)]
