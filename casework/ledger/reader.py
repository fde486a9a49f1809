"""Reading a ledger workbook (openpyxl, read-only: a big file is streamed, not loaded)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from casework.errors import Invalid
from casework.ledger.mapping import MappingFile, Plan, header_score, plan_for

HEADER_SEARCH_ROWS = 20  # a title, a date line, a blank row … then the header


@dataclass
class Ledger:
    """An open ledger: its column plan and its data rows."""

    path: Path
    plan: Plan
    sheet: ReadOnlyWorksheet

    def size(self) -> int:
        """The number of rows after the header (blank ones included), for a progress bar: as
        the file declares it, or counted when it does not (openpyxl's own files)."""
        try:
            last = self.sheet.max_row
        except (ValueError, TypeError):
            last = None
        if last:
            return max(last - self.plan.header_row, 0)
        return sum(1 for _ in _values(self.sheet, self.plan.header_row + 1))

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number as Excel shows it, {field key: cell value}) for every non-blank row."""
        wanted = [(a.index, a.column.key) for a in self.plan.assigned if a.column is not None]
        start = self.plan.header_row + 1
        for number, values in enumerate(_values(self.sheet, start), start=start):
            cells = {key: values[i] if i < len(values) else None for i, key in wanted}
            if any(_present(v) for v in cells.values()):
                yield number, cells


def _values(
    sheet: ReadOnlyWorksheet, first: int, last: int | None = None
) -> Iterator[tuple[Any, ...]]:
    # the stubs type iter_rows for the editable worksheet only
    rows: Iterator[tuple[Any, ...]] = cast(Any, sheet).iter_rows(
        min_row=first, max_row=last, values_only=True
    )
    return rows


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A header cell as text (headers may hold line breaks, numbers or dates)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


@contextmanager
def open_ledger(path: Path, spec: MappingFile) -> Iterator[Ledger]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise Invalid(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise Invalid(f"{path} 是目录，不是台账文件") from None
    except PermissionError:
        raise Invalid(f"没有读取 {path} 的权限") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise Invalid(
            f"{path} 不是有效的 XLSX 文件（旧版 .xls 或 .csv 请先用 Excel 另存为 .xlsx）"
        ) from None
    try:
        sheet = _sheet(book, spec.sheet, path)
        header_row, headers, groups = _header(sheet, spec)
        plan = plan_for(sheet.title, header_row, headers, groups, spec)
        yield Ledger(path, plan, sheet)
    finally:
        book.close()


def _sheet(book: Any, name: str | None, path: Path) -> ReadOnlyWorksheet:
    if name is None:
        sheet = book.worksheets[0]
    elif name in book.sheetnames:
        sheet = book[name]
    else:
        raise Invalid(f"{path} 中没有工作表“{name}”（有：{'、'.join(book.sheetnames)}）")
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise Invalid(f"工作表“{sheet.title}”不是数据表")
    return sheet


def _header(sheet: ReadOnlyWorksheet, spec: MappingFile) -> tuple[int, list[str], list[str]]:
    """The header row (given, or the top row that names the most fields, at least three), its
    cells and the group headers above them."""
    last = spec.header_row or HEADER_SEARCH_ROWS
    top = [[cell_text(v) for v in row] for row in _values(sheet, 1, last)]
    if spec.header_row is not None:
        if len(top) < spec.header_row:
            raise Invalid(f"工作表“{sheet.title}”没有第{spec.header_row}行（映射文件 header_row）")
        return (spec.header_row, *_compose(top, spec.header_row))
    best, score = 0, 0
    for number in range(1, len(top) + 1):
        found = header_score(*_compose(top, number), spec)
        if found > score:
            best, score = number, found
    if score < 3:
        raise Invalid(
            f"工作表“{sheet.title}”前{HEADER_SEARCH_ROWS}行中找不到表头（至少三列可识别，如"
            "编号、收到申请日期、申请人）：请在映射文件中用 columns 指明各列、header_row 指明表头行"
        )
    return (best, *_compose(top, best))


def _compose(top: list[list[str]], number: int) -> tuple[list[str], list[str]]:
    """A header row read with the row above it, as merged cells leave them: a blank header
    cell takes the cell above (a header merged down two rows); the others get the group
    header above them, carried right across a merged group (“补正” over “告知日期”, “期限”)."""
    headers = list(top[number - 1])
    above = top[number - 2] if number > 1 else []
    headers += [""] * (len(above) - len(headers))
    groups: list[str] = []
    carried = ""
    for index, header in enumerate(headers):
        up = above[index] if index < len(above) else ""
        if not header:
            headers[index], carried = up, ""
            groups.append("")
            continue
        carried = up or carried
        groups.append(carried)
    return headers, groups
