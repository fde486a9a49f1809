"""Sections 二–四 of the annual report as an Excel workbook: a sheet 说明 (what the workbook
is), then one sheet per table with the official layout's merged cells
(`casework.reports.render.grid`). Figures are numbers; every total is a formula (=SUM over
the cells it adds up), so a reader who changes a figure sees the totals follow. openpyxl
writes no cached values, so the workbook asks to be recalculated when opened.

The same document gives the same bytes: the document properties are dated the report's as-of
instant and every ZIP entry carries a fixed time (publishing stores the SHA-256).
"""

from __future__ import annotations

import io
import math
from datetime import UTC

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from casework.reports.document import AnnualReport
from casework.reports.render.grid import Cell, Grid, Role, grids
from casework.reproducible_zip import with_fixed_times
from casework.timeutil import CHINA

ABOUT_SHEET = "说明"
SHEETS = {"proactive": "二 主动公开", "requests": "三 申请情况", "appeals": "四 复议诉讼"}
GENERATED = "依申请统计由系统根据案件记录生成"
TABLE_FIRST_ROW = 3  # a sheet: its section heading, a blank row, then the table
UNITS_PER_CM = 7.0  # Excel column width units (digits of the default font) per cm of A4 width
MIN_UNITS = 9.0
LINE_POINTS = 14.0  # a line of 10.5 pt text
ROW_PADDING = 4.0

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10.5)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_HEADING = Font(name="黑体", size=14)
_TITLE = Font(name="宋体", size=16, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def ref(grid_row: int, grid_col: int) -> str:
    """The sheet reference of a grid position ("D5")."""
    return f"{get_column_letter(grid_col + 1)}{grid_row + TABLE_FIRST_ROW}"


def formula(spec: Cell) -> str:
    assert spec.sum_of is not None
    block = spec.sum_of
    return f"=SUM({ref(block.first, block.left)}:{ref(block.last, block.right)})"


def _about(sheet: Worksheet, document: AnnualReport) -> None:
    figures = document.figures
    as_of = figures.as_of.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
    sheet["A1"] = document.title
    sheet["A1"].font = _TITLE
    rows: tuple[tuple[str, str | int], ...] = (
        ("机关", figures.agency_name),
        ("年度", figures.year),
        ("统计截止时刻", f"{as_of}（北京时间），此后记录的案件变动不计入本表"),
        ("说明", GENERATED),
        ("公式", "各表中的总计为公式（=SUM），随所加各项自动计算"),
        *((f"工作表“{name}”", _section_title(key, document)) for key, name in SHEETS.items()),
    )
    for number, (label, value) in enumerate(rows, start=3):
        sheet.cell(number, 1, label).font = _BOLD
        cell = sheet.cell(number, 2, value)
        cell.font, cell.alignment = _FONT, Alignment(horizontal="left", wrap_text=True)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 80
    _print_setup(sheet)


def _section_title(key: str, document: AnnualReport) -> str:
    return next(g.title for g in grids(document.figures) if g.key == key)


def _units(grid: Grid) -> list[float]:
    """Column widths in Excel's units (a CJK character is two): the A4 proportions, no column
    narrower than a four-character head ("结果维持") needs."""
    return [max(round(cm * UNITS_PER_CM, 1), MIN_UNITS) for cm in grid.widths]


def _lines(text: str, units: float) -> int:
    """How many lines `text` wraps to in a cell `units` wide (Excel fits no row height to
    wrapped text by itself, nor does LibreOffice for a file it did not write)."""
    width = sum(1 if ch.isascii() else 2 for ch in text)
    return max(1, math.ceil(width / max(units - 1, 2)))


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _table(sheet: Worksheet, grid: Grid) -> None:
    sheet["A1"] = grid.title
    sheet["A1"].font = _HEADING
    units = _units(grid)
    for index, width in enumerate(units, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in range(grid.n_rows):  # every cell of the grid bordered, inside merges too
        for col in range(grid.n_cols):
            sheet[ref(row, col)].border = _BORDER
    lines = [1] * grid.n_rows
    for spec in grid.cells:
        cell = sheet[ref(spec.row, spec.col)]
        if spec.role is Role.NUMBER:
            cell.value = formula(spec) if spec.sum_of is not None else spec.number
            cell.number_format = "0" if isinstance(spec.number, int) else "0.####"
        else:
            cell.value = spec.text
            cell.data_type = "s"  # a label is text, never a formula
            if spec.rows == 1:
                span = sum(units[spec.col : spec.col + spec.cols])
                lines[spec.row] = max(lines[spec.row], _lines(spec.text, span))
        cell.font = _BOLD if spec.role is Role.HEAD else _FONT
        left = spec.role is Role.STUB and spec.rows == 1
        cell.alignment = _LEFT if left else _CENTER
        if spec.merged:
            sheet.merge_cells(
                f"{ref(spec.row, spec.col)}:"
                f"{ref(spec.row + spec.rows - 1, spec.col + spec.cols - 1)}"
            )
    for row, count in enumerate(lines):
        sheet.row_dimensions[row + TABLE_FIRST_ROW].height = count * LINE_POINTS + ROW_PADDING
    sheet.freeze_panes = ref(grid.header_rows, 0)
    if grid.header_rows:
        last_head = TABLE_FIRST_ROW + grid.header_rows - 1
        sheet.print_title_rows = f"{TABLE_FIRST_ROW}:{last_head}"
    _print_setup(sheet)


def render_xlsx(document: AnnualReport) -> bytes:
    book = Workbook()
    about = book.active
    assert isinstance(about, Worksheet)
    about.title = ABOUT_SHEET
    _about(about, document)
    for grid in grids(document.figures):
        _table(book.create_sheet(SHEETS[grid.key]), grid)
    book.calculation = CalcProperties(fullCalcOnLoad=True)
    instant = document.figures.as_of.astimezone(UTC).replace(microsecond=0, tzinfo=None)
    props = book.properties
    props.title = document.title
    props.creator = props.lastModifiedBy = document.figures.agency_name
    props.subject = f"{document.figures.year}年政府信息公开工作年度报告（第二至四部分）"
    props.keywords = "政府信息公开;年度报告"
    props.category = "政府信息公开"
    props.created = props.modified = instant
    out = io.BytesIO()
    book.save(out)
    props.modified = instant  # saving stamped the clock on it: write the fixed one
    return with_fixed_times(out.getvalue(), replaced={ARC_CORE: tostring(props.to_tree())})
