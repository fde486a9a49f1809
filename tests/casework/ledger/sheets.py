"""Building ledgers for the tests with openpyxl, as an agency's spreadsheet would hold them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

HEADERS = (
    "编号", "收到申请日期", "申请方式", "申请人", "申请人类型", "申请内容",
    "补正告知日期", "补正期限（工作日）", "收到补正日期", "答复日期", "答复结果", "送达日期",
    "送达方式",
)  # fmt: skip


def good_row(ref: str, received: date | str = date(2023, 3, 1), **cells: Any) -> dict[str, Any]:
    """A row that imports: received, replied 予以公开 a week later, delivered by post."""
    row: dict[str, Any] = {
        "编号": ref,
        "收到申请日期": received,
        "申请方式": "互联网",
        "申请人": "张三",
        "申请人类型": "自然人",
        "申请内容": "申请公开某文件",
        "答复日期": date(2023, 3, 8),
        "答复结果": "予以公开",
        "送达日期": date(2023, 3, 9),
        "送达方式": "邮寄",
    }
    row.update(cells)
    return {k: v for k, v in row.items() if v is not None}


def write_sheet(
    path: Path,
    rows: list[dict[str, Any]],
    headers: tuple[str, ...] = HEADERS,
    *,
    above: list[list[Any]] | None = None,
    title: str = "台账",
) -> Path:
    """A workbook whose first rows are `above` (titles, group headers), then the header, then
    one row per dict (header → value; a missing header is a blank cell; {} a blank row)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for line in above or []:
        sheet.append(line)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def sheet_values(path: Path) -> list[tuple[Any, ...]]:
    """Every row of a ledger's first sheet, as values."""
    book = load_workbook(path, read_only=True)
    try:
        sheet = book.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    finally:
        book.close()
