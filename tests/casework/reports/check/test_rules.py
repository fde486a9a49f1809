"""Each kind of inconsistency alone, in variants of the sample: the problem names the table,
the row, the column and both numbers."""

from __future__ import annotations

from casework.reports.check import Kind, ParsedReport, Problem, check, read_report
from casework.reports.check.rules import carry_over
from tests.casework.reports.check.builders import (
    SAMPLE,
    cells,
    join,
    replace_row,
    with_carried,
    year_2022,
)

NEW = "一、本年新收政府信息公开申请数量"
DISCLOSED = "(一)予以公开"
TOTAL = "(七)总计"
CARRIED_OUT = "四、结转下年度继续办理"


def problems_of(text: str) -> list[Problem]:
    return check(read_report(text.encode()))


def read(text: str) -> ParsedReport:
    return read_report(text.encode())


def test_row_sums_alone() -> None:
    # 自然人 +1 in 一, （一） and （七）: every column still adds up, no row does
    text = replace_row(SAMPLE, NEW, [8, 0, 0, 0, 0, 0, 7])
    text = replace_row(text, DISCLOSED, [1, 0, 0, 0, 0, 0, 0])
    text = replace_row(text, TOTAL, [8, 0, 0, 0, 0, 0, 7])
    problems = problems_of(text)
    assert {p.kind for p in problems} == {Kind.ROW_SUM}
    assert [(p.row_code, p.column, p.expected, p.found) for p in problems] == [
        ("new", "总计", 8, 7),
        ("disclosed", "总计", 1, 0),
        ("concluded_total", "总计", 8, 7),
    ]
    assert problems[0].message == (
        "表三 “一、本年新收政府信息公开申请数量”行 总计列：自然人与法人或其他组织各列之和为8，"
        "表中总计为7"
    )


def test_column_sums_alone() -> None:
    text = replace_row(SAMPLE, DISCLOSED, [0, 0, 0, 0, 1, 0, 1])
    problems = problems_of(text)
    assert {p.kind for p in problems} == {Kind.COLUMN_SUM}
    assert [(p.table, p.row, p.column, p.expected, p.found) for p in problems] == [
        ("表三", "（七）总计", "法律服务机构", 1, 0),
        ("表三", "（七）总计", "总计", 8, 7),
    ]
    assert problems[0].message == "表三 “（七）总计”行 法律服务机构列：各项办理结果之和为1，表中为0"


def test_balance_alone() -> None:
    text = replace_row(SAMPLE, CARRIED_OUT, [0, 0, 2, 0, 0, 0, 2])
    problems = problems_of(text)
    assert {p.kind for p in problems} == {Kind.BALANCE}
    assert [(p.column, p.expected, p.found) for p in problems] == [
        ("科研机构", 0, 2),
        ("总计", 7, 9),
    ]
    assert problems[0].message == (
        "表三 科研机构列：第一项加第二项之和为0，第三项（七）总计加第四项之和为2，两者应相等"
    )


def _appeals(numbers: list[int]) -> str:
    parts = cells(SAMPLE)
    end = parts.index("五、存在的主要问题及改进情况")
    parts[end - 15 : end] = [str(n) for n in numbers]
    return join(parts)


def test_table_four_group_total_alone() -> None:
    numbers = [0] * 15
    numbers[5:10] = [1, 1, 0, 1, 2]  # 未经复议直接起诉: 1+1+0+1 ≠ 2
    problems = problems_of(_appeals(numbers))
    assert [(p.kind, p.table, p.row, p.expected, p.found) for p in problems] == [
        (Kind.APPEAL_TOTAL, "表四", "行政诉讼（未经复议直接起诉）", 3, 2)
    ]
    assert problems[0].message == (
        "表四 “行政诉讼（未经复议直接起诉）”总计：结果维持、结果纠正、其他结果、尚未审结之和为3，"
        "表中总计为2"
    )


def test_table_four_consistent_groups_are_clean() -> None:
    numbers = [1, 0, 2, 1, 4, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1]
    assert problems_of(_appeals(numbers)) == []


def test_a_group_printed_with_its_own_numbers_is_checked_against_its_leaves() -> None:
    wrong = SAMPLE.replace("(三)不予公开", "(三)不予公开\n\n" + "\n\n".join("2000002"))
    problems = problems_of(wrong)
    assert [(p.kind, p.row, p.column, p.expected, p.found) for p in problems] == [
        (Kind.SUBTOTAL, "（三）不予公开", "自然人", 1, 2),
        (Kind.SUBTOTAL, "（三）不予公开", "总计", 1, 2),
    ]
    right = SAMPLE.replace("(三)不予公开", "(三)不予公开\n\n" + "\n\n".join("1000001"))
    assert problems_of(right) == []


def test_carry_over_agreeing_with_the_previous_year_is_clean() -> None:
    previous = read(year_2022([2, 0, 0, 0, 0, 0, 2]))
    assert previous.year == 2022 and check(previous) == []
    current = read(with_carried(SAMPLE, carried_in=[2, 0, 0, 0, 0, 0, 2]))
    assert check(current, previous) == []


def test_carry_over_disagreeing_with_the_previous_year() -> None:
    previous = read(year_2022([1, 0, 0, 0, 0, 0, 1]))
    problems = check(read(SAMPLE.encode().decode()), previous)
    assert [(p.kind, p.column, p.expected, p.found) for p in problems] == [
        (Kind.CARRY_OVER, "自然人", 1, 0),
        (Kind.CARRY_OVER, "总计", 1, 0),
    ]
    assert problems[0].message == (
        "表三 “二、上年结转政府信息公开申请数量”行 自然人列：本年为0，"
        "上年报告（2022年）“四、结转下年度继续办理”为1"
    )


def test_carry_over_against_a_report_of_another_year_is_refused() -> None:
    other = read(year_2022([0] * 7).replace("2022年", "2021年"))
    problems = carry_over(read(SAMPLE), other)
    assert [(p.kind, p.expected, p.found) for p in problems] == [(Kind.CARRY_OVER, 2022, 2021)]


def test_carry_over_needs_the_previous_years_row() -> None:
    parts = cells(year_2022([0] * 7))
    i = parts.index(CARRIED_OUT)
    del parts[i : i + 8]
    problems = carry_over(read(SAMPLE), read(join(parts)))
    assert [p.kind for p in problems] == [Kind.CARRY_OVER]
    assert "无法核对结转" in problems[0].message


def test_narrative_outcome_numbers_are_checked_against_their_rows() -> None:
    text = SAMPLE.replace(
        "向本级政府信息公开申请7件,", "向本级政府信息公开申请7件,其中不予公开1件、无法提供3件,"
    )
    problems = problems_of(text)
    assert [(p.kind, p.row, p.expected, p.found) for p in problems] == [
        (Kind.NARRATIVE, "（四）无法提供", 2, 3)
    ]


def test_narrative_appeal_numbers_are_checked_against_table_four() -> None:
    text = SAMPLE.replace(
        "持续强化组织领导。", "持续强化组织领导。全年发生行政复议1件,行政诉讼0件。"
    )
    problems = problems_of(text)
    assert [(p.kind, p.table, p.row, p.expected, p.found) for p in problems] == [
        (Kind.NARRATIVE, "表四", "行政复议", 0, 1)
    ]
