"""A report page saved as HTML → lines: each paragraph one line, each row of a table one line
of cells. Row and column spans are laid out on a grid, so a cell spanning rows (a group's
label) or columns (a number across three columns) is read once, where it starts, and an
empty cell stays an empty cell. A table holding another table is page layout: its cells are
read as paragraphs. Attributes other than the spans (data-row, classes) are not relied on."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from casework.reports.check.tokens import Line

_BREAKS = {
    "p", "div", "br", "li", "ul", "ol", "section", "article", "header", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre", "hr", "caption", "tr", "table",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3"}
_SKIP = {"script", "style", "noscript", "template"}
_MAX_SPAN = 200


@dataclass
class _Cell:
    rowspan: int
    colspan: int
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def paragraphs(self) -> list[str]:
        """The cell's text by its own paragraphs (what a layout table's cell holds)."""
        return [" ".join(p.split()) for p in "".join(self.parts).split("\n")]


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    cell: _Cell | None = None
    layout: bool = False  # holds another table: its text is paragraphs


def _span(value: str | None) -> int:
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(number, 1), _MAX_SPAN)


def grid(rows: list[list[_Cell]]) -> list[list[tuple[int, _Cell]]]:
    """Each row's cells with the column each starts in, spans laid out."""
    taken: set[tuple[int, int]] = set()
    out: list[list[tuple[int, _Cell]]] = []
    for r, cells in enumerate(rows):
        col = 0
        placed: list[tuple[int, _Cell]] = []
        for cell in cells:
            while (r, col) in taken:
                col += 1
            placed.append((col, cell))
            taken.update(
                (r + dr, col + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
            )
            col += cell.colspan
        out.append(placed)
    return out


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.titles: list[str] = []
        self.page_title: list[str] = []
        self.tables: list[_Table] = []
        self.paragraph: list[str] = []
        self.skipping = 0
        self.in_title = False
        self.heading = False

    # -- paragraphs ----------------------------------------------------------------------

    def _flush(self) -> None:
        text = " ".join("".join(self.paragraph).split())
        self.paragraph.clear()
        if text:
            self.lines.append(Line((text,)))
            if self.heading or len(self.titles) < 5:
                self.titles.append(text)

    def _data_cell(self) -> _Cell | None:
        if self.tables and not self.tables[-1].layout:
            return self.tables[-1].cell
        return None

    # -- tables ---------------------------------------------------------------------------

    def _to_layout(self, table: _Table) -> None:
        """A table found to hold another: what it read so far becomes paragraphs."""
        table.layout = True
        read = [cell for row in table.rows for cell in row]
        for cell in [*read, *([table.cell] if table.cell is not None else [])]:
            for paragraph in cell.paragraphs:
                self.paragraph.append(paragraph)
                self._flush()
        table.rows, table.cell = [], None

    def _end_cell(self, table: _Table) -> None:
        if table.layout:
            self._flush()
        elif table.cell is not None:
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append(table.cell)
            table.cell = None

    def _end_table(self) -> None:
        table = self.tables.pop()
        self._end_cell(table)
        if table.layout:
            self._flush()
            return
        for row in grid(table.rows):
            if row:
                self.lines.append(Line(tuple(cell.text for _col, cell in row), table_row=True))

    # -- the parser's callbacks --------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        if tag == "title":
            self.in_title = True
            return
        cell = self._data_cell()
        if tag == "table":
            if cell is not None:
                self._to_layout(self.tables[-1])
            self._flush()
            self.tables.append(_Table())
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and not table.layout and tag == "tr":
            self._end_cell(table)
            table.rows.append([])
            return
        if table is not None and tag in ("td", "th"):
            self._end_cell(table)
            if table.layout:
                self._flush()
            else:
                found = dict(attrs)
                table.cell = _Cell(_span(found.get("rowspan")), _span(found.get("colspan")))
            return
        if tag in _BREAKS:
            if cell is not None:
                cell.parts.append("\n")
            else:
                self._flush()
                self.heading = tag in _HEADINGS

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if tag == "table" and self.tables:
            self._end_table()
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and tag in ("td", "th", "tr"):
            self._end_cell(table)
            return
        if tag in _BREAKS:
            cell = self._data_cell()
            if cell is not None:
                cell.parts.append("\n")
            else:
                self._flush()
                self.heading = False

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_title:
            self.page_title.append(data)
            return
        cell = self._data_cell()
        if cell is not None:
            cell.parts.append(data)
        elif not self.tables or self.tables[-1].layout:
            self.paragraph.append(data)
        # else: text between a data table's cells (whitespace, a stray word): not a cell

    def finish(self) -> None:
        self.close()
        while self.tables:
            self._end_table()
        self._flush()


def read_html(text: str) -> tuple[list[Line], list[str]]:
    """The page's lines, and candidates for the report's title (headings, the first
    paragraphs, the page's <title>)."""
    reader = _Reader()
    reader.feed(text)
    reader.finish()
    page_title = " ".join("".join(reader.page_title).split())
    return reader.lines, [*reader.titles, *([page_title] if page_title else [])]
