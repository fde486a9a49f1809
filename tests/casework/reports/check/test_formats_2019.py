"""The 2019 trial format (LEGAL.md §3.2–3.3): table 二 with other columns and rows and item
（九）, table 三 with （六）其他处理 as one row. Recognised, read and checked; a report mixing
the two formats is a problem."""

from __future__ import annotations

from casework.reports.check import Kind, check, read_report
from tests.casework.reports.check.builders import SAMPLE, as_2019, cells, join, replace_row


def test_a_2019_report_is_recognised_and_read() -> None:
    report = read_report(as_2019().encode())
    assert report.format_version == "2019"
    assert report.requests["other"] == [4, 0, 0, 0, 0, 0, 4]
    assert not any(code.startswith("other.") for code in report.requests)
    assert report.proactive["licensing"] == {"previous": 3, "change": -1, "decisions": 12}
    assert report.proactive["procurement"] == {"projects": 3, "amount": 12.5}


def test_a_consistent_2019_report_has_no_problem() -> None:
    assert check(read_report(as_2019().encode())) == []


def test_a_2019_report_with_a_wrong_single_row_six_is_caught() -> None:
    text = replace_row(as_2019(), "(六)其他处理", [4, 0, 0, 0, 0, 0, 5])
    problems = check(read_report(text.encode()))
    assert [(p.kind, p.row, p.column, p.expected, p.found) for p in problems] == [
        (Kind.ROW_SUM, "（六）其他处理", "总计", 4, 5),
        (Kind.COLUMN_SUM, "（七）总计", "总计", 8, 7),
    ]


def test_the_cli_names_the_format(run, write) -> None:  # type: ignore[no-untyped-def]
    result = run("report", "check", str(write(as_2019())))
    assert result.code == 0, result
    assert "格式：2019年试行格式" in result.out


def test_table_two_of_2019_with_table_three_of_2021_is_a_format_problem() -> None:
    parts = cells(as_2019())
    sample = cells(SAMPLE)
    start3, start3_sample = (
        parts.index("三、收到和处理政府信息公开申请情况"),
        sample.index("三、收到和处理政府信息公开申请情况"),
    )
    mixed = join(parts[:start3] + sample[start3_sample:])
    problems = check(read_report(mixed.encode()))
    assert [p.kind for p in problems] == [Kind.FORMAT]
    assert problems[0].message == (
        "格式不一致：表二为2019年试行格式，表三“（六）其他处理”为2021年版格式（国办公开办函〔2021〕30号）"
    )
