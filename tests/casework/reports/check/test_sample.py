"""The published sample report reads back exactly and has no problem; any single number of
its tables 三 and 四 changed alone is caught."""

from __future__ import annotations

from casework.reports.check import Kind, check, read_report
from tests.casework.reports.check.builders import (
    SAMPLE,
    SAMPLE_PATH,
    TITLE,
    ZERO_APPEALS,
    cells,
    sample_requests,
    table_number_indexes,
    with_cell,
)

SUMS = {Kind.ROW_SUM, Kind.COLUMN_SUM, Kind.BALANCE, Kind.APPEAL_TOTAL, Kind.NARRATIVE}


def test_sample_title_agency_year_and_format_are_read() -> None:
    report = read_report(SAMPLE_PATH)
    assert (report.title, report.agency, report.year) == (
        TITLE,
        "西安市雁塔区漳浒寨街道办事处",
        2023,
    )
    assert report.format_version == "2021"


def test_sample_tables_are_read_as_published() -> None:
    report = read_report(SAMPLE_PATH)
    assert report.requests == sample_requests()
    assert report.appeals == ZERO_APPEALS
    assert report.proactive == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 2},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
        "licensing": 0,
        "penalties": 0,
        "enforcement": 0,
        "admin_fees_wan_yuan": 0,
    }


def test_sample_has_no_problem() -> None:
    assert check(read_report(SAMPLE_PATH)) == []


def test_sample_via_the_cli_is_clean(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", "check", str(SAMPLE_PATH))
    assert result.code == 0, result
    assert "未发现不一致" in result.out
    assert "年度：2023" in result.out and f"标题：{TITLE}" in result.out


def test_tables_three_and_four_hold_every_number_the_loop_changes() -> None:
    # 25 rows of 7 in table 三, 15 numbers in table 四
    assert len(table_number_indexes()) == 25 * 7 + 15


def test_any_single_number_changed_alone_is_caught() -> None:
    parts = cells(SAMPLE)
    missed = []
    for index in table_number_indexes():
        value = int(parts[index]) + 1
        problems = check(read_report(with_cell(SAMPLE, index, str(value)).encode()))
        if not problems or any(p.kind not in SUMS for p in problems):
            missed.append((index, [p.message for p in problems]))
    assert missed == []


def test_a_changed_number_fails_the_cli(run, write) -> None:  # type: ignore[no-untyped-def]
    index = table_number_indexes()[0]  # 一、本年新收 自然人
    result = run("report", "check", str(write(with_cell(SAMPLE, index, "6"))))
    assert result.code == 1
    assert "表三 “一、本年新收政府信息公开申请数量”行 总计列" in result.out


def test_the_narrative_changed_alone_is_one_narrative_problem() -> None:
    problems = check(read_report(SAMPLE.replace("申请7件", "申请8件").encode()))
    assert [(p.kind, p.expected, p.found) for p in problems] == [(Kind.NARRATIVE, 7, 8)]
    assert problems[0].message == (
        "正文“向本级政府信息公开申请8件”与表三“一、本年新收政府信息公开申请数量”总计不符："
        "正文为8，表中为7"
    )


def test_the_narrative_in_chinese_numerals_agreeing_is_clean() -> None:
    assert check(read_report(SAMPLE.replace("申请7件", "申请七件").encode())) == []


def test_the_narrative_in_chinese_numerals_contradicting_is_caught() -> None:
    problems = check(read_report(SAMPLE.replace("申请7件", "申请十二件").encode()))
    assert [(p.kind, p.found) for p in problems] == [(Kind.NARRATIVE, 12)]
