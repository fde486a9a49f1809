"""Property: any consistent tables, rendered by our own text renderer, read back exactly and
with no problem; one number of tables 三 or 四 changed is always caught."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.reports.check import check, read_report
from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, ROW_CODES
from tests.casework.reports.check.builders import cells, join, rendered, table_number_indexes

KINDS = 6
OUT_ROWS = (*ROW_CODES, "carried_out")


@st.composite
def figures(draw: st.DrawFn) -> tuple[dict[str, list[int]], dict[str, dict[str, int]]]:
    """Per applicant kind: where its cases went (each result row and 四), and how many of
    them came from last year; the totals are sums, so the table balances."""
    went = {row: [0] * (KINDS + 1) for row in OUT_ROWS}
    came = {"new": [0] * (KINDS + 1), "carried_in": [0] * (KINDS + 1)}
    for kind in range(KINDS):
        counts = draw(st.lists(st.integers(0, 3), min_size=len(OUT_ROWS), max_size=len(OUT_ROWS)))
        total = sum(counts)
        carried = draw(st.integers(0, total))
        for row, n in zip(OUT_ROWS, counts, strict=True):
            went[row][kind] = n
        came["carried_in"][kind], came["new"][kind] = carried, total - carried
    rows = {**came, **went, "concluded_total": [0] * (KINDS + 1)}
    for kind in range(KINDS):
        rows["concluded_total"][kind] = sum(rows[c][kind] for c in ROW_CODES)
    for values in rows.values():
        values[-1] = sum(values[:-1])
    appeals: dict[str, dict[str, int]] = {}
    for kind in APPEAL_KINDS:
        parts = draw(st.lists(st.integers(0, 4), min_size=4, max_size=4))
        appeals[kind] = dict(zip(APPEAL_RESULTS, [*parts, sum(parts)], strict=True))
    return rows, appeals


@settings(max_examples=40, deadline=None)
@given(figures())
def test_consistent_tables_read_back_without_problem(data: Any) -> None:
    rows, appeals = data
    report = read_report(rendered(rows, appeals).encode())
    assert report.requests == rows and report.appeals == appeals
    assert check(report) == []


@settings(max_examples=40, deadline=None)
@given(figures(), st.data())
def test_one_number_changed_is_caught(data: Any, choice: st.DataObject) -> None:
    rows, appeals = data
    text = rendered(rows, appeals)
    parts = cells(text)
    index = choice.draw(st.sampled_from(table_number_indexes(text)))
    delta = choice.draw(st.sampled_from([-1, 1, 5]))
    value = int(parts[index]) + delta
    parts[index] = str(value if value >= 0 else value + 2 * abs(delta))
    assert check(read_report(join(parts).encode())) != []
