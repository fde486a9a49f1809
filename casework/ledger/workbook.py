"""Writing a ledger workbook: one sheet, the import's headers in bold on a frozen first row,
column widths, dates as real Excel dates. Streamed (write-only), and byte-for-byte the same
for the same rows and `created` instant (the zip entries carry a fixed time), so a committed
sample can be checked by rebuilding it."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from casework.ledger.columns import COLUMNS, Kind
from casework.reproducible_zip import with_fixed_times

SHEET_TITLE = "申请办理台账"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_ledger(
    rows: Iterable[dict[str, Any]], path: Path, *, created: datetime, title: str = SHEET_TITLE
) -> None:
    """Write rows ({field key: value}) under the ledger's headers."""
    book = Workbook(write_only=True)
    book.properties.creator = "casework"
    book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    sheet = book.create_sheet(title)
    assert isinstance(sheet, WriteOnlyWorksheet)
    for number, column in enumerate(COLUMNS, start=1):
        # the stubs miss the write-only sheet's column dimensions
        cast(Any, sheet).column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([_header(sheet, column.header) for column in COLUMNS])
    for row in rows:
        sheet.append([_cell(sheet, column.kind, row.get(column.key)) for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = book.properties.created  # saving stamped the clock on it
    _fixed_times(buffer.getvalue(), path, {ARC_CORE: tostring(book.properties.to_tree())})


def _header(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    return cell


def _cell(sheet: WriteOnlyWorksheet, kind: Kind, value: Any) -> Cell:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=datetime.combine(value, time()))
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.00"
        return cell
    if isinstance(value, str):
        # text stored before control characters were refused: Excel cannot hold them
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: “=…” is never a formula
        if kind in (Kind.TEXT, Kind.LIST) and len(value) > 20:
            cell.alignment = _WRAP
    return cell


def _fixed_times(data: bytes, path: Path, replaced: dict[str, bytes]) -> None:
    """Write the workbook with a fixed time on every entry (openpyxl stamps the clock)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(with_fixed_times(data, replaced=replaced))
    partial.replace(path)  # a failed write leaves no half a ledger under the real name
