"""Structure problems are reported, clearly and without a traceback: a truncated report, a
missing row or number, a cell that is no number, a row with too many numbers."""

from __future__ import annotations

from casework.reports.check import Kind, Unreadable, check, read_report
from tests.casework.reports.check.builders import SAMPLE, cells, join, with_cell

LEAF = "2.重复申请"


def messages(text: str) -> list[str]:
    return [p.message for p in check(read_report(text.encode()))]


def test_a_truncated_report_lists_what_is_missing() -> None:
    found = messages(SAMPLE[: SAMPLE.index("(五)不予处理")])
    assert found[0] == "表三 缺少“（五）不予处理 1.信访举报投诉类申请”行"
    assert "表三 缺少“（七）总计”行" in found
    assert found[-1] == "表四 缺少“政府信息公开行政复议、行政诉讼情况”表"
    assert len(found) == 11


def test_a_report_cut_inside_a_row_names_the_row() -> None:
    text = SAMPLE[: SAMPLE.index("(七)总计")] + "(七)总计\n\n7\n\n0\n"
    assert messages(text)[0] == "表三 “（七）总计”行应有7个数字，实有2个：7 0"


def test_a_report_cut_anywhere_is_read_without_an_exception() -> None:
    start = SAMPLE.index("二、主动公开政府信息情况")
    for cut in range(start, len(SAMPLE), 23):
        try:
            report = read_report(SAMPLE[:cut].encode())
        except Unreadable:
            continue
        assert isinstance(check(report), list)


def test_a_missing_number_is_a_wrong_count() -> None:
    parts = cells(SAMPLE)
    del parts[parts.index(LEAF) + 3]
    problems = check(read_report(join(parts).encode()))
    assert [(p.kind, p.row, p.expected, p.found) for p in problems] == [
        (Kind.STRUCTURE, "（五）不予处理 2.重复申请", 7, 6)
    ]


def test_an_extra_number_is_a_wrong_count() -> None:
    parts = cells(SAMPLE)
    parts.insert(parts.index(LEAF) + 1, "0")
    assert messages(join(parts)) == [
        "表三 “（五）不予处理 2.重复申请”行应有7个数字，实有8个：0 0 0 0 0 0 0 0"
    ]


def test_a_cell_that_is_no_number_names_its_column() -> None:
    text = with_cell(SAMPLE, cells(SAMPLE).index(LEAF) + 3, "—")
    problems = check(read_report(text.encode()))
    assert [(p.kind, p.column, p.found) for p in problems] == [(Kind.STRUCTURE, "科研机构", "—")]
    assert problems[0].message == "表三 “（五）不予处理 2.重复申请”行 科研机构列“—”不是数字"


def test_a_fraction_in_table_three_is_no_count() -> None:
    text = with_cell(SAMPLE, cells(SAMPLE).index(LEAF) + 1, "1.5")
    assert messages(text) == [
        "表三 “（五）不予处理 2.重复申请”行 自然人列“1.5”不是件数（应为非负整数）"
    ]


def test_a_missing_row_is_named_and_the_checks_needing_it_are_skipped() -> None:
    parts = cells(SAMPLE)
    i = parts.index(LEAF)
    del parts[i : i + 8]
    problems = check(read_report(join(parts).encode()))
    assert [p.message for p in problems] == ["表三 缺少“（五）不予处理 2.重复申请”行"]


def test_a_missing_table_two_is_named() -> None:
    parts = cells(SAMPLE)
    del parts[
        parts.index("二、主动公开政府信息情况") : parts.index("三、收到和处理政府信息公开申请情况")
    ]
    assert messages(join(parts)) == ["表二 缺少“主动公开政府信息情况”表"]


def test_table_four_with_a_number_short() -> None:
    parts = cells(SAMPLE)
    del parts[parts.index("五、存在的主要问题及改进情况") - 1]
    assert messages(join(parts)) == [
        "表四 “复议、诉讼情况”行应有15个数字，实有14个：" + " ".join("0" * 14)
    ]
