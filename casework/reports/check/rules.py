"""The consistency checks on a read report (LEGAL.md §4), each a small function returning its
problems; `check` runs them all. A check that needs a row the report lacks is skipped: the
missing row is already a structure problem."""

from __future__ import annotations

from collections.abc import Callable

from casework.reports.check.formats import (
    APPEAL_KIND_LABELS,
    CARRIED_IN,
    CARRIED_OUT,
    COLUMN_LABELS,
    CONCLUDED,
    GROUPED,
    LEAVES,
    NEW,
    SINGLE,
    T3,
    T4,
    row_label,
)
from casework.reports.check.model import Kind, ParsedReport, Problem
from casework.reports.check.narrative import LITIGATION, RECONSIDERATION, claims
from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, COLUMNS
from casework.statistics.text import APPEAL_RESULT_LABELS

TOTAL = COLUMN_LABELS[-1]
Rows = dict[str, list[int]]


def row_sums(report: ParsedReport) -> list[Problem]:
    """(a) 自然人 and the five columns of 法人或其他组织 add up to 总计, in every row."""
    out = []
    for code, values in report.requests.items():
        parts, total = sum(values[:-1]), values[-1]
        if parts != total:
            label = row_label(code)
            message = (
                f"{T3} “{label}”行 {TOTAL}列：自然人与法人或其他组织各列之和为{parts}，"
                f"表中{TOTAL}为{total}"
            )
            out.append(
                Problem(Kind.ROW_SUM, message, T3, label, TOTAL, parts, total, code, COLUMNS[-1])
            )
    return out


def result_rows(rows: Rows) -> list[str] | None:
    """The rows that add up to （七）总计: （一）（二）, and per group its leaves, or the
    group's own row where the report prints one without leaves (（六） in 2019)."""
    codes = list(SINGLE)
    for group in GROUPED:
        leaves = LEAVES[group]
        if all(c in rows for c in leaves):
            codes += leaves
        elif group.value in rows and not any(c in rows for c in leaves):
            codes.append(group.value)
        else:
            return None
    return codes if all(c in rows for c in codes) else None


def _column_problem(kind: Kind, code: str, i: int, what: str, expected: int, found: int) -> Problem:
    label = row_label(code)
    message = f"{T3} “{label}”行 {COLUMN_LABELS[i]}列：{what}为{expected}，表中为{found}"
    return Problem(kind, message, T3, label, COLUMN_LABELS[i], expected, found, code, COLUMNS[i])


def column_sums(report: ParsedReport) -> list[Problem]:
    """(b) the result rows add up to （七）总计, in every column."""
    rows = report.requests
    codes = result_rows(rows)
    if codes is None or CONCLUDED not in rows:
        return []
    out = []
    for i in range(len(COLUMNS)):
        parts = sum(rows[c][i] for c in codes)
        if parts != rows[CONCLUDED][i]:
            what = "各项办理结果之和"
            out.append(
                _column_problem(Kind.COLUMN_SUM, CONCLUDED, i, what, parts, rows[CONCLUDED][i])
            )
    return out


def subtotals(report: ParsedReport) -> list[Problem]:
    """A group printed with a row of its own and its leaves: the leaves add up to it."""
    rows = report.requests
    out = []
    for group in GROUPED:
        leaves = LEAVES[group]
        if group.value not in rows or not all(c in rows for c in leaves):
            continue
        for i in range(len(COLUMNS)):
            parts = sum(rows[c][i] for c in leaves)
            if parts != rows[group.value][i]:
                what = "其下各项之和"
                found = rows[group.value][i]
                out.append(_column_problem(Kind.SUBTOTAL, group.value, i, what, parts, found))
    return out


def balance(report: ParsedReport) -> list[Problem]:
    """(c) 一 + 二 = 三（七） + 四, in every column."""
    rows = report.requests
    if not all(c in rows for c in (NEW, CARRIED_IN, CONCLUDED, CARRIED_OUT)):
        return []
    out = []
    for i, column in enumerate(COLUMN_LABELS):
        came = rows[NEW][i] + rows[CARRIED_IN][i]
        went = rows[CONCLUDED][i] + rows[CARRIED_OUT][i]
        if came != went:
            message = (
                f"{T3} {column}列：第一项加第二项之和为{came}，"
                f"第三项（七）总计加第四项之和为{went}，两者应相等"
            )
            row = "第一项加第二项、第三项（七）总计加第四项"
            out.append(
                Problem(Kind.BALANCE, message, T3, row, column, came, went, None, COLUMNS[i])
            )
    return out


def appeal_totals(report: ParsedReport) -> list[Problem]:
    """(d) in each group of table 四, 维持 + 纠正 + 其他 + 尚未审结 = 总计."""
    out = []
    parts_labels = "、".join(APPEAL_RESULT_LABELS[r] for r in APPEAL_RESULTS[:-1])
    for kind, group in report.appeals.items():
        parts = sum(group[r] for r in APPEAL_RESULTS[:-1])
        total = group[APPEAL_RESULTS[-1]]
        if parts != total:
            label = APPEAL_KIND_LABELS[kind]
            message = f"{T4} “{label}”{TOTAL}：{parts_labels}之和为{parts}，表中{TOTAL}为{total}"
            out.append(
                Problem(Kind.APPEAL_TOTAL, message, T4, label, TOTAL, parts, total, kind, "total")
            )
    return out


def carry_over(report: ParsedReport, previous: ParsedReport) -> list[Problem]:
    """(e) this year's 二 equals the previous year's 四, in every column."""
    if report.year and previous.year and previous.year != report.year - 1:
        message = (
            f"上年报告为{previous.year}年度，本报告为{report.year}年度："
            f"应以{report.year - 1}年度的报告核对结转"
        )
        return [Problem(Kind.CARRY_OVER, message, None, None, None, report.year - 1, previous.year)]
    if CARRIED_IN not in report.requests:
        return []
    if CARRIED_OUT not in previous.requests:
        message = f"上年报告缺少{T3}“{row_label(CARRIED_OUT)}”行（或该行不完整），无法核对结转"
        return [Problem(Kind.CARRY_OVER, message, T3, row_label(CARRIED_OUT))]
    last = f"上年报告（{previous.year}年）" if previous.year else "上年报告"
    out = []
    for i, column in enumerate(COLUMN_LABELS):
        now, then = report.requests[CARRIED_IN][i], previous.requests[CARRIED_OUT][i]
        if now != then:
            label = row_label(CARRIED_IN)
            message = (
                f"{T3} “{label}”行 {column}列：本年为{now}，"
                f"{last}“{row_label(CARRIED_OUT)}”为{then}"
            )
            out.append(
                Problem(
                    Kind.CARRY_OVER, message, T3, label, column, then, now, CARRIED_IN, COLUMNS[i]
                )
            )
    return out


def _figure(report: ParsedReport, target: str) -> tuple[int, str, str] | None:
    """The table's figure a narrative number speaks of: (value, table, row label)."""
    rows, appeals = report.requests, report.appeals
    if target == RECONSIDERATION:
        if not appeals:
            return None
        return appeals[target]["total"], T4, APPEAL_KIND_LABELS[target]
    if target == LITIGATION:
        if not appeals:
            return None
        kinds = APPEAL_KINDS[1:]
        return sum(appeals[k]["total"] for k in kinds), T4, "行政诉讼（两类合计）"
    if target in rows:
        return rows[target][-1], T3, row_label(target)
    group = next((g for g in GROUPED if g.value == target), None)
    if group is not None and all(c in rows for c in LEAVES[group]):
        return sum(rows[c][-1] for c in LEAVES[group]), T3, row_label(target)
    return None


def narrative(report: ParsedReport) -> list[Problem]:
    """(f) a number stated in the text that contradicts the table it speaks of."""
    out = []
    for claim in claims(report.narrative, report.year):
        figure = _figure(report, claim.target)
        if figure is None or figure[0] == claim.value:
            continue
        value, table, label = figure
        message = (
            f"正文“{claim.quote}”与{table}“{label}”{TOTAL}不符：正文为{claim.value}，表中为{value}"
        )
        out.append(
            Problem(
                Kind.NARRATIVE,
                message,
                table,
                label,
                TOTAL,
                value,
                claim.value,
                claim.target,
                "total",
            )
        )
    return out


CHECKS: tuple[Callable[[ParsedReport], list[Problem]], ...] = (
    row_sums,
    column_sums,
    subtotals,
    balance,
    appeal_totals,
    narrative,
)


def check(report: ParsedReport, previous: ParsedReport | None = None) -> list[Problem]:
    """Every problem: those found in reading, then each check's, then the carry-over."""
    problems = list(report.problems)
    for rule in CHECKS:
        problems += rule(report)
    if previous is not None:
        problems += carry_over(report, previous)
    return problems
