"""Tables 二, 三 and 四 as grids of cells with the official layout's merges: what a paged or
spreadsheet rendering draws. A cell knows its place, its span, its text or number, and — for a
total — the block of cells it is the sum of (a spreadsheet writes that as a formula). Labels
come from the one code table (`workflows.outcomes`) and `casework.statistics.text`; this module
only knows where they go."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, Report
from casework.statistics.text import (
    APPEAL_RESULT_LABELS,
    APPLICANTS,
    BALANCE_NOTE,
    CONTENT,
    LEGAL_PERSONS,
    LITIGATION,
    LITIGATION_KINDS,
    PROACTIVE_BLOCKS,
    PROACTIVE_COUNTS,
    RECONSIDERATION,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS,
    ROW_TOTAL,
    SECTION_APPEALS,
    SECTION_PROACTIVE,
    SECTION_REQUESTS,
    TOTAL,
)
from workflows.outcomes import OUTCOMES, ApplicantKind

Number = int | float
TEXT_WIDTH = 15.6  # centimetres between the margins of an A4 page (GB/T 9704)


class Role(StrEnum):
    HEAD = "head"  # a column heading
    STUB = "stub"  # a row label
    NUMBER = "number"


@dataclass(frozen=True)
class Block:
    """A rectangle of cells, inclusive: rows first..last, columns left..right."""

    first: int
    left: int
    last: int
    right: int


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    role: Role
    text: str = ""
    number: Number | None = None
    rows: int = 1  # rows spanned
    cols: int = 1  # columns spanned
    sum_of: Block | None = None  # a total: the sum of these cells

    @property
    def merged(self) -> bool:
        return self.rows > 1 or self.cols > 1


@dataclass(frozen=True)
class Grid:
    key: str  # "proactive", "requests", "appeals"
    title: str  # the section heading
    n_rows: int
    n_cols: int
    header_rows: int  # rows repeated on each page / frozen in a sheet
    widths: tuple[float, ...]  # column widths in centimetres at A4 portrait text width
    cells: tuple[Cell, ...]

    def at(self, row: int, col: int) -> Cell:
        """The cell whose top-left corner is (row, col)."""
        for cell in self.cells:
            if (cell.row, cell.col) == (row, col):
                return cell
        raise KeyError((row, col))


def _head(row: int, col: int, text: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(row, col, Role.HEAD, text, rows=rows, cols=cols)


def _stub(row: int, col: int, text: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(row, col, Role.STUB, text, rows=rows, cols=cols)


def _number(row: int, col: int, value: Any, cols: int = 1, sum_of: Block | None = None) -> Cell:
    number: Number = int(value) if isinstance(value, int) or float(value).is_integer() else value
    return Cell(row, col, Role.NUMBER, number=number, cols=cols, sum_of=sum_of)


def _ordered(cells: list[Cell]) -> tuple[Cell, ...]:
    """Reading order: by the row, then the column, of each cell's top-left corner."""
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))


def proactive_grid(report: Report) -> Grid:
    """Table 二: per item of Art. 20 a heading across the table, the column heads, its rows;
    an item with one figure spans it over the three number columns."""
    cells: list[Cell] = []
    row = 0
    for item, heads, rows in PROACTIVE_BLOCKS:
        cells.append(_head(row, 0, item, cols=4))
        row += 1
        span = 3 // len(heads)
        cells.append(_head(row, 0, CONTENT))
        cells += [_head(row, 1 + i * span, h, cols=span) for i, h in enumerate(heads)]
        row += 1
        for label, key in rows:
            value = report.proactive[key]
            numbers = [value[k] for k in PROACTIVE_COUNTS] if isinstance(value, dict) else [value]
            cells.append(_stub(row, 0, label))
            cells += [_number(row, 1 + i * span, v, cols=span) for i, v in enumerate(numbers)]
            row += 1
    return Grid(
        "proactive",
        SECTION_PROACTIVE,
        row,
        4,
        0,
        (4.8, *((TEXT_WIDTH - 4.8) / 3,) * 3),
        _ordered(cells),
    )


STUB_COLS = 3  # 三、本年度办理结果 | the group | the leaf
FIRST_RESULT_ROW = 5


def request_grid(report: Report) -> Grid:
    """Table 三: a three-level head over the seven columns, a three-column stub; 总计 is the
    sum of the six columns before it, （七）总计 the sum of the 21 result rows."""
    t = report.requests
    kinds = list(ApplicantKind)
    total_col = STUB_COLS + len(kinds)
    cells: list[Cell] = [
        _head(0, 0, BALANCE_NOTE, rows=3, cols=STUB_COLS),
        _head(0, STUB_COLS, APPLICANTS, cols=len(kinds) + 1),
        _head(1, STUB_COLS, kinds[0].label, rows=2),
        _head(1, STUB_COLS + 1, LEGAL_PERSONS, cols=len(kinds) - 1),
        _head(1, total_col, TOTAL, rows=2),
        *(_head(2, STUB_COLS + i, k.label) for i, k in enumerate(kinds) if i),
    ]

    def numbers(row: int, values: list[int]) -> list[Cell]:
        out = [_number(row, STUB_COLS + i, v) for i, v in enumerate(values[:-1])]
        whole_row = Block(row, STUB_COLS, row, total_col - 1)
        return [*out, _number(row, total_col, values[-1], sum_of=whole_row)]

    cells += [_stub(3, 0, ROW_NEW, cols=STUB_COLS), *numbers(3, t.new)]
    cells += [_stub(4, 0, ROW_CARRIED_IN, cols=STUB_COLS), *numbers(4, t.carried_in)]
    row = FIRST_RESULT_ROW
    for outcome in OUTCOMES:
        if outcome.item is None:  # （一）（二）: the group is the row
            cells.append(_stub(row, 1, outcome.group_label, cols=2))
        else:
            if outcome.item == 1:  # （三）–（六）: the group spans its leaves
                leaves = sum(1 for o in OUTCOMES if o.group is outcome.group)
                cells.append(_stub(row, 1, outcome.group_label, rows=leaves))
            cells.append(_stub(row, 2, outcome.label))
        cells += numbers(row, t.outcomes[outcome.code])
        row += 1
    last_leaf = row - 1
    cells.append(_stub(row, 1, ROW_TOTAL, cols=2))
    cells += [
        _number(
            row,
            STUB_COLS + i,
            v,
            sum_of=Block(FIRST_RESULT_ROW, STUB_COLS + i, last_leaf, STUB_COLS + i),
        )
        for i, v in enumerate(t.concluded_total[:-1])
    ]
    whole_row = Block(row, STUB_COLS, row, total_col - 1)
    cells.append(_number(row, total_col, t.concluded_total[-1], sum_of=whole_row))
    cells.append(_stub(FIRST_RESULT_ROW, 0, ROW_RESULTS, rows=row - FIRST_RESULT_ROW + 1))
    row += 1
    cells += [_stub(row, 0, ROW_CARRIED_OUT, cols=STUB_COLS), *numbers(row, t.carried_out)]
    stub = (1.2, 1.8, 5.6)  # the numbers get 1 cm each: two characters of a head a line
    widths = (*stub, *([(TEXT_WIDTH - sum(stub)) / (len(kinds) + 1)] * (len(kinds) + 1)))
    return Grid("requests", SECTION_REQUESTS, row + 1, total_col + 1, 3, widths, _ordered(cells))


def appeal_grid(report: Report) -> Grid:
    """Table 四: 行政复议 and 行政诉讼's two kinds, five columns each; each 总计 is the sum of
    the four before it."""
    width = len(APPEAL_RESULTS)
    results = [APPEAL_RESULT_LABELS[r] for r in APPEAL_RESULTS]
    cells: list[Cell] = [
        _head(0, 0, RECONSIDERATION, cols=width),
        _head(0, width, LITIGATION, cols=2 * width),
        *(_head(1, i, label, rows=2) for i, label in enumerate(results)),
        *(_head(1, width * (1 + i), kind, cols=width) for i, kind in enumerate(LITIGATION_KINDS)),
        *(
            _head(2, width * (1 + i // width) + i % width, results[i % width])
            for i in range(2 * width)
        ),
    ]
    for g, kind in enumerate(APPEAL_KINDS):
        left = g * width
        for i, result in enumerate(APPEAL_RESULTS):
            total = Block(3, left, 3, left + width - 2) if result == "total" else None
            cells.append(_number(3, left + i, report.appeals[kind][result], sum_of=total))
    n_cols = width * len(APPEAL_KINDS)
    return Grid(
        "appeals", SECTION_APPEALS, 4, n_cols, 3, (TEXT_WIDTH / n_cols,) * n_cols, _ordered(cells)
    )


def grids(report: Report) -> tuple[Grid, Grid, Grid]:
    """Sections 二, 三 and 四 in their order."""
    return proactive_grid(report), request_grid(report), appeal_grid(report)
