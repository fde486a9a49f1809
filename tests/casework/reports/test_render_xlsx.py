"""Tables 二–四 as XLSX, read back with openpyxl: the sheets, every figure a number where the
figures put it, every total a formula — recomputed here by a small SUM evaluator and, in one
test, by LibreOffice — the official layout's merged cells, the same bytes for the same
document."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from casework.notices import pdf
from casework.reports.document import AnnualReport
from casework.reports.render import FORMATS
from casework.reports.render.xlsx import render_xlsx
from casework.reproducible_zip import FIXED_ZIP_TIME
from tests.casework.reports.render_support import (
    appeal_numbers,
    proactive_rows,
    request_rows,
    rich_document,
    sample_document,
)
from tests.conftest import REQUIRE_SERVICES

RICH = rich_document()
SHEETS = ["说明", "二 主动公开", "三 申请情况", "四 复议诉讼"]
FIRST = 3  # the table's first sheet row: the section heading, a blank row, then the table
SUM = re.compile(r"=SUM\(([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)\)")


@pytest.fixture(scope="module")
def rich_bytes() -> bytes:
    return render_xlsx(RICH)


@pytest.fixture(scope="module")
def rich(rich_bytes: bytes) -> Workbook:
    return load_workbook(io.BytesIO(rich_bytes))


def evaluate(sheet: Worksheet, ref: str, depth: int = 0) -> float:
    """A cell's value, a =SUM(A1:B2) formula computed (over cells that may be formulas too);
    anything else in a formula cell is an error here."""
    assert depth < 10, ref
    value = sheet[ref].value
    if not isinstance(value, str):
        assert isinstance(value, int | float) and not isinstance(value, bool), (ref, value)
        return value
    match = SUM.fullmatch(value)
    assert match, (ref, value)
    left, top = column_index_from_string(match[1]), int(match[2])
    right, bottom = column_index_from_string(match[3]), int(match[4])
    return sum(
        evaluate(sheet, f"{get_column_letter(col)}{row}", depth + 1)
        for row in range(top, bottom + 1)
        for col in range(left, right + 1)
    )


def _row_values(sheet: Worksheet, row: int, first_col: int, n: int) -> list[float]:
    return [evaluate(sheet, f"{get_column_letter(first_col + i)}{row}") for i in range(n)]


def _request_rows(sheet: Worksheet) -> dict[str, list[float]]:
    """Table 三's body: each row's own label (column C, merged with A or B where the layout
    merges) → its seven values, totals computed."""
    out = {}
    for row in range(FIRST + 3, sheet.max_row + 1):
        label = sheet.cell(row, 3).value or sheet.cell(row, 2).value or sheet.cell(row, 1).value
        out[str(label)] = _row_values(sheet, row, 4, 7)
    return out


def _proactive_rows(sheet: Worksheet, expected: dict[str, Any]) -> dict[str, list[float]]:
    out = {}
    for row in range(FIRST, sheet.max_row + 1):
        label = sheet.cell(row, 1).value
        if label in expected:
            out[label] = _row_values(sheet, row, 2, len(expected[label]))
    return out


def _check_values(book: Workbook, document: AnnualReport) -> None:
    figures = document.figures
    expected_two = proactive_rows(figures)
    assert _proactive_rows(book["二 主动公开"], expected_two) == expected_two
    assert _request_rows(book["三 申请情况"]) == request_rows(figures)
    assert _row_values(book["四 复议诉讼"], FIRST + 3, 1, 15) == appeal_numbers(figures)


def test_the_sheets_are_the_note_then_tables_two_to_four(rich: Workbook) -> None:
    assert rich.sheetnames == SHEETS
    assert [rich[name]["A1"].value for name in SHEETS[1:]] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_the_note_names_the_report_the_agency_the_year_and_the_instant(rich: Workbook) -> None:
    note = rich["说明"]
    assert note["A1"].value == RICH.title
    values = {note.cell(r, 1).value: note.cell(r, 2).value for r in range(3, note.max_row + 1)}
    assert values["机关"] == "某市某区人民政府办公室"
    assert values["年度"] == 2023
    assert str(values["统计截止时刻"]).startswith("2024-01-15 10:00:00（北京时间）")
    assert values["说明"] == "依申请统计由系统根据案件记录生成"


def test_every_value_of_the_rich_document_is_where_the_figures_put_it(rich: Workbook) -> None:
    _check_values(rich, RICH)


def test_every_value_of_the_demo_report_is_the_published_sample_s(engine: Engine) -> None:
    document = sample_document(engine)
    book = load_workbook(io.BytesIO(render_xlsx(document)))
    _check_values(book, document)
    requests = _request_rows(book["三 申请情况"])
    assert requests["一、本年新收政府信息公开申请数量"] == [7, 0, 0, 0, 0, 0, 7]
    assert requests["（七）总计"] == [7, 0, 0, 0, 0, 0, 7]


def test_figures_are_integers_and_totals_are_sum_formulas(rich: Workbook) -> None:
    requests, appeals = rich["三 申请情况"], rich["四 复议诉讼"]
    assert requests["D6"].value == RICH.figures.requests.new[0]
    assert type(requests["D6"].value) is int
    assert requests["J6"].value == "=SUM(D6:I6)"  # 总计: the six columns before it
    assert requests["D29"].value == "=SUM(D8:D28)"  # （七）总计: the 21 result rows
    assert requests["J29"].value == "=SUM(D29:I29)"
    formulas = {
        (cell.row, cell.column)
        for row in requests.iter_rows(min_row=FIRST + 3)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    }
    body_rows = range(FIRST + 3, requests.max_row + 1)
    assert formulas == {(r, 10) for r in body_rows} | {(29, c) for c in range(4, 10)}
    assert [appeals.cell(6, c).value for c in (5, 10, 15)] == [
        "=SUM(A6:D6)",
        "=SUM(F6:I6)",
        "=SUM(K6:N6)",
    ]
    assert all(type(appeals.cell(6, c).value) is int for c in (1, 2, 3, 4, 6, 11))
    fees = next(r for r in rich["二 主动公开"].iter_rows() if r[0].value == "行政事业性收费")
    assert fees[1].value == 12.5


def test_labels_are_text_even_where_they_look_like_formulas(rich: Workbook) -> None:
    sheet = rich["三 申请情况"]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("（本列数据")


def test_the_sheets_merge_the_cells_the_official_layout_merges(rich: Workbook) -> None:
    def merged(name: str) -> set[str]:
        return {str(r) for r in rich[name].merged_cells.ranges}

    assert merged("三 申请情况") == {
        "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5",  # the head
        "A6:C6", "A7:C7", "A30:C30",  # 一、 二、 四、
        "A8:A29",  # 三、本年度办理结果
        "B8:C8", "B9:C9", "B29:C29",  # （一） （二） （七）
        "B10:B17", "B18:B20", "B21:B25", "B26:B28",  # （三）–（六） beside their leaves
    }  # fmt: skip
    assert merged("四 复议诉讼") == {
        "A3:E3", "F3:O3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:J4", "K4:O4",
    }  # fmt: skip
    across = {f"A{r}:D{r}" for r in (3, 7, 10, 14)}
    single = {f"B{r}:D{r}" for r in (8, 9, 11, 12, 13, 15, 16)}
    assert merged("二 主动公开") == across | single
    assert rich["三 申请情况"]["E4"].value == "法人或其他组织"
    assert rich["四 复议诉讼"]["F4"].value == "未经复议直接起诉"


def test_the_head_is_frozen_bordered_and_wrapped(rich: Workbook) -> None:
    requests = rich["三 申请情况"]
    assert requests.freeze_panes == "A6"
    assert rich["四 复议诉讼"].freeze_panes == "A6"
    corner = requests["C5"]  # inside the merged balance note: still bordered
    assert corner.border.bottom.style == "thin" and corner.border.right.style == "thin"
    assert requests["C28"].alignment.wrap_text
    assert requests.column_dimensions["C"].width > requests.column_dimensions["D"].width
    heights = {r: requests.row_dimensions[r].height for r in (10, 26)}  # 1.属于国家秘密, (六)1.
    assert heights[26] >= 2 * heights[10] - 8  # the long label wraps: its row grows to fit


def test_the_same_document_gives_the_same_bytes(rich_bytes: bytes) -> None:
    assert render_xlsx(rich_document()) == rich_bytes
    with zipfile.ZipFile(io.BytesIO(rich_bytes)) as package:
        assert {info.date_time for info in package.infolist()} == {FIXED_ZIP_TIME}


def test_the_properties_are_dated_the_report_s_as_of_instant(rich_bytes: bytes) -> None:
    as_of = datetime(2024, 2, 1, 3, 4, 5, 678, tzinfo=UTC)
    later = render_xlsx(rich_document(as_of))
    props = load_workbook(io.BytesIO(later)).properties
    assert [props.created, props.modified] == [datetime(2024, 2, 1, 3, 4, 5)] * 2
    assert props.title == RICH.title
    assert later != rich_bytes


def test_xlsx_is_a_registered_format(rich_bytes: bytes) -> None:
    fmt = FORMATS["xlsx"]
    assert fmt.suffix == ".xlsx"
    assert fmt.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert fmt.render(RICH) == rich_bytes


@pytest.fixture
def soffice() -> str:
    program = pdf.soffice()
    if program is None:
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    return program


def _libreoffice_csv(soffice: str, workbook: bytes, folder: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice computes it (the formulas recalculated), as CSV rows."""
    source = folder / "report.xlsx"
    source.write_bytes(workbook)
    # UTF-8, comma, every sheet (the last token, -1: one file per sheet; LibreOffice >= 7.2)
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
         "--outdir", str(folder), str(source)],
        capture_output=True, timeout=180, check=False, env=dict(os.environ),
    )  # fmt: skip
    sheets = {}
    for name in SHEETS:
        path = folder / f"report-{name}.csv"
        assert path.exists(), done.stderr.decode(errors="replace")[-500:]  # Calc installed?
        sheets[name] = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return sheets


def test_libreoffice_recalculates_the_formulas_to_the_figures(
    soffice: str, rich_bytes: bytes, tmp_path: Path
) -> None:
    sheets = _libreoffice_csv(soffice, rich_bytes, tmp_path)
    requests = {
        (row[2] or row[1] or row[0]): [float(v) for v in row[3:10]]
        for row in sheets["三 申请情况"][FIRST + 2 :]
    }
    assert requests == request_rows(RICH.figures)
    appeals = [float(v) for v in sheets["四 复议诉讼"][FIRST + 2][:15]]
    assert appeals == appeal_numbers(RICH.figures)
