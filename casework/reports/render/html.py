"""The whole annual report as one self-contained HTML page, print-ready on A4: the title, the
six sections in the official order, tables 二–四 with the 2021 format's merged cells (drawn from
`casework.reports.render.grid`), and data attributes that name every figure for machine reading:
table 二 `data-item`/`data-field`, table 三 `data-row`/`data-col`, table 四
`data-appeal`/`data-result` — the keys of the report's JSON. Same document, same bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from casework.reports.document import AnnualReport
from casework.reports.narratives import SECTION_TITLES
from casework.reports.render.grid import Cell, Grid, Role, grids
from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, COLUMNS, ROW_CODES
from casework.statistics.text import PROACTIVE_BLOCKS, PROACTIVE_COUNTS

TEMPLATE = "report.html.j2"
# Table 三's body rows, top to bottom: the row keys of the report's JSON.
REQUEST_ROWS: tuple[str, ...] = ("new", "carried_in", *ROW_CODES, "concluded_total", "carried_out")
PROACTIVE_KEYS: dict[str, str] = {
    label: key for _, _, rows in PROACTIVE_BLOCKS for label, key in rows
}
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_EDGE_SPACE = " \t\u3000"
# A numbered heading on a line of its own, e.g. "（一）主动公开" (not "（一）…。" opening a paragraph)
_SUBHEADING = re.compile(r"[（(][一二三四五六七八九十]+[）)][^。；：，！？.;:,!?]{1,30}")


@dataclass(frozen=True)
class Line:
    text: str
    heading: bool  # printed as a sub-heading (楷体, as GB/T 9704 sets a second-level heading)


@dataclass(frozen=True)
class HtmlCell:
    tag: str  # "th" or "td"
    text: str
    rowspan: int
    colspan: int
    css: str  # the cell's role: "head", "stub" or "number"
    scope: str  # "", "col", "colgroup", "row" or "rowgroup"
    data: tuple[tuple[str, str], ...]  # data-* attributes: (name without "data-", value)


@dataclass(frozen=True)
class HtmlTable:
    key: str
    widths: tuple[str, ...]  # each column's share of the text width, e.g. "8.33%"
    head: tuple[tuple[HtmlCell, ...], ...]
    bodies: tuple[tuple[tuple[HtmlCell, ...], ...], ...]  # one <tbody> per block that stays whole


@dataclass(frozen=True)
class HtmlSection:
    key: str
    title: str
    paragraphs: tuple[tuple[Line, ...], ...]  # each paragraph's lines
    table: HtmlTable | None


def paragraphs(text: str) -> tuple[tuple[Line, ...], ...]:
    """Entered text → paragraphs (separated by a blank line), each kept as its lines (each
    printed as a line of its own, indented as a Chinese paragraph is); spaces at either end of
    a line go, the page indents."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for block in _BLANK_LINE.split(unified):
        lines = (line.strip(_EDGE_SPACE) for line in block.split("\n"))
        kept = tuple(Line(line, bool(_SUBHEADING.fullmatch(line))) for line in lines if line)
        if kept:
            out.append(kept)
    return tuple(out)


def _format(number: int | float | None) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _figure_keys(grid: Grid, cell: Cell, stubs: dict[int, str]) -> tuple[tuple[str, str], ...]:
    """Where a number cell's figure sits in the report's JSON, as data-* attributes."""
    if grid.key == "requests":
        first_col = grid.n_cols - len(COLUMNS)
        row = REQUEST_ROWS[cell.row - grid.header_rows]
        return (("row", row), ("col", COLUMNS[cell.col - first_col]))
    if grid.key == "appeals":
        width = len(APPEAL_RESULTS)
        return (
            ("appeal", APPEAL_KINDS[cell.col // width]),
            ("result", APPEAL_RESULTS[cell.col % width]),
        )
    item = PROACTIVE_KEYS[stubs[cell.row]]
    if cell.cols == 1:  # one of three counts; a single figure spans the three columns
        return (("item", item), ("field", PROACTIVE_COUNTS[cell.col - 1]))
    return (("item", item),)


def _scope(cell: Cell) -> str:
    if cell.role is Role.HEAD and cell.rows > 1 and cell.cols > 1:
        return ""  # table 三's corner (the balance note) heads neither rows nor columns
    if cell.role is Role.HEAD:
        return "colgroup" if cell.cols > 1 else "col"
    return "rowgroup" if cell.rows > 1 else "row"


def _cell(grid: Grid, cell: Cell, stubs: dict[int, str]) -> HtmlCell:
    if cell.role is Role.NUMBER:
        keys = _figure_keys(grid, cell, stubs)
        return HtmlCell("td", _format(cell.number), cell.rows, cell.cols, "number", "", keys)
    return HtmlCell("th", cell.text, cell.rows, cell.cols, cell.role.value, _scope(cell), ())


def _is_block_title(row: list[Cell], grid: Grid) -> bool:
    return len(row) == 1 and row[0].role is Role.HEAD and row[0].cols == grid.n_cols


def table(grid: Grid) -> HtmlTable:
    rows: list[list[Cell]] = [[] for _ in range(grid.n_rows)]
    for cell in grid.cells:
        rows[cell.row].append(cell)
    stubs = {c.row: c.text for c in grid.cells if c.role is Role.STUB}
    html_rows = [tuple(_cell(grid, c, stubs) for c in sorted(r, key=lambda c: c.col)) for r in rows]
    head = tuple(html_rows[: grid.header_rows])
    bodies: list[list[tuple[HtmlCell, ...]]] = []
    for index in range(grid.header_rows, grid.n_rows):
        if not bodies or _is_block_title(rows[index], grid):
            bodies.append([])
        bodies[-1].append(html_rows[index])
    total = sum(grid.widths)
    widths = tuple(f"{100 * w / total:.2f}%" for w in grid.widths)
    return HtmlTable(grid.key, widths, head, tuple(tuple(b) for b in bodies))


def sections(document: AnnualReport) -> tuple[HtmlSection, ...]:
    """The six sections in the official order (2021 format)."""
    n = document.narratives
    proactive, requests, appeals = grids(document.figures)

    def tabled(grid: Grid) -> HtmlSection:
        return HtmlSection(grid.key, grid.title, (), table(grid))

    def written(key: str, *texts: str) -> HtmlSection:
        found = tuple(p for text in texts for p in paragraphs(text))
        return HtmlSection(key, SECTION_TITLES[key], found, None)

    return (
        written("overview", n.overview),
        tabled(proactive),
        tabled(requests),
        tabled(appeals),
        written("problems", n.problems),
        written("other", document.fee_statement, n.other),
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("casework.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(document: AnnualReport) -> str:
    figures = document.figures
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            title=document.title,
            agency=figures.agency,
            year=figures.year,
            as_of=figures.as_json()["as_of"],
            sections=sections(document),
        )
    )
