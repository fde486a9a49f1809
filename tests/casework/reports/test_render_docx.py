"""The annual report as DOCX, read back with python-docx: the six sections in order, every
number of tables 二–四 where the figures put it (the demo history and a document with numbers
in nearly every cell), the official layout's merged cells, fonts Word can substitute, the
same bytes for the same document."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from sqlalchemy import Engine

from casework.reports.document import AnnualReport
from casework.reports.render import FORMATS
from casework.reports.render.docx import render_docx
from casework.reproducible_zip import FIXED_ZIP_TIME
from tests.casework.reports.render_support import (
    HALF_WIDTH,
    SECTION_HEADINGS,
    appeal_numbers,
    proactive_rows,
    published_stub_labels,
    request_rows,
    rich_document,
    sample_document,
)

Span = tuple[int, int, int, int]  # first row, first column, last row, last column

RICH = rich_document()


@pytest.fixture(scope="module")
def rich_bytes() -> bytes:
    return render_docx(RICH)


@pytest.fixture(scope="module")
def rich(rich_bytes: bytes) -> DocumentObject:
    return Document(io.BytesIO(rich_bytes))


def _body(doc: DocumentObject) -> Iterator[Paragraph | Table]:
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, doc)
        elif element.tag == qn("w:tbl"):
            yield Table(element, doc)


def _grid(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _spans(table: Table) -> set[Span]:
    """Every merged cell: the rectangle of grid positions one cell covers."""
    seen: dict[Any, list[tuple[int, int]]] = {}  # by the <w:tc> element itself (kept alive)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            seen.setdefault(cell._tc, []).append((r, c))
    out = set()
    for places in seen.values():
        rows, cols = [p[0] for p in places], [p[1] for p in places]
        assert len(places) == (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
        if len(places) > 1:
            out.add((min(rows), min(cols), max(rows), max(cols)))
    return out


def _distinct(cells: list[_Cell], seen: set[Any] | None = None) -> list[_Cell]:
    """The cells not met before (a merged cell appears at each grid position it covers); `seen`
    holds the <w:tc> elements themselves, so lxml keeps handing out the same objects."""
    seen = set() if seen is None else seen
    out = []
    for cell in cells:
        if cell._tc not in seen:
            seen.add(cell._tc)
            out.append(cell)
    return out


def _numbers(cells: list[str]) -> list[float]:
    return [float(text) for text in cells]


def _tables(doc: DocumentObject) -> tuple[Table, Table, Table]:
    proactive, requests, appeals = doc.tables
    return proactive, requests, appeals


def _check_numbers(doc: DocumentObject, document: AnnualReport) -> None:
    """Every number of tables 二, 三 and 四 as the figures have it."""
    proactive, requests, appeals = _tables(doc)
    expected_two = proactive_rows(document.figures)
    shown_two = {}
    for row in proactive.rows:
        label, *figures = _distinct(row.cells)  # a figure merged over three columns once
        if label.text in expected_two:
            shown_two[label.text] = _numbers([cell.text for cell in figures])
    assert shown_two == expected_two
    expected_three = request_rows(document.figures)
    body = _grid(requests)[3:]
    assert {row[2]: _numbers(row[3:]) for row in body} == expected_three
    assert len(body) == len(expected_three)
    assert _numbers(_grid(appeals)[3]) == appeal_numbers(document.figures)


def test_every_number_of_the_rich_document_is_where_the_figures_put_it(
    rich: DocumentObject,
) -> None:
    _check_numbers(rich, RICH)


def test_every_number_of_the_demo_report_is_the_published_sample_s(engine: Engine) -> None:
    document = sample_document(engine)
    doc = Document(io.BytesIO(render_docx(document)))
    _check_numbers(doc, document)
    rows = {row[2]: row[3:] for row in _grid(doc.tables[1])}
    assert rows["一、本年新收政府信息公开申请数量"] == ["7", "0", "0", "0", "0", "0", "7"]
    assert rows["4.保护第三方合法权益"][0] == "1"
    assert _grid(doc.tables[0])[2][1:] == ["0", "0", "2"]  # 规章 in force


def test_the_six_sections_come_in_the_official_order_with_the_tables_under_two_to_four(
    rich: DocumentObject,
) -> None:
    outline = []
    for block in _body(rich):
        if isinstance(block, Table):
            outline.append("table")
        elif block.style is not None and block.style.name == "Report Heading":
            outline.append(block.text)
    one, two, three, four, five, six = SECTION_HEADINGS
    assert outline == [one, two, "table", three, "table", four, "table", five, six]


def test_the_title_is_centred_above_everything_and_breaks_after_the_agency(
    rich: DocumentObject,
) -> None:
    title = rich.paragraphs[0]
    assert title.style is not None and title.style.name == "Report Title"
    assert title.text == "某市某区人民政府办公室\n2023年政府信息公开工作年度报告"
    assert title.text.replace("\n", "") == RICH.title


def test_section_six_has_the_fee_statement_then_the_entered_text(rich: DocumentObject) -> None:
    texts = [p.text for p in rich.paragraphs]
    after = texts[texts.index(SECTION_HEADINGS[5]) + 1 :]
    assert after == [RICH.fee_statement, "其他事项。"]
    assert "发出收费通知2件" in RICH.fee_statement


def test_entered_lines_are_paragraphs_and_numbered_headings_are_set_apart(
    rich: DocumentObject,
) -> None:
    paragraphs = rich.paragraphs
    texts = [p.text for p in paragraphs]
    start = texts.index(SECTION_HEADINGS[0]) + 1
    styles = [(p.text, p.style.name if p.style else "") for p in paragraphs[start : start + 4]]
    assert styles == [
        ("（一）主动公开", "Report Subheading"),
        ("本年度主动公开政府信息。", "Report Body"),
        ("（二）依申请公开", "Report Subheading"),
        ("本年度办理申请。", "Report Body"),
    ]


def test_table_three_rows_are_the_published_sample_s_in_its_order(rich: DocumentObject) -> None:
    requests = rich.tables[1]
    seen: set[Any] = set()
    labels = [cell.text for row in requests.rows[3:] for cell in _distinct(row.cells[:3], seen)]
    assert [label.translate(HALF_WIDTH) for label in labels] == published_stub_labels()


def test_table_two_merges_each_item_across_and_a_single_figure_over_three_columns(
    rich: DocumentObject,
) -> None:
    across = {(r, 0, r, 3) for r in (0, 4, 7, 11)}
    single = {(r, 1, r, 3) for r in (5, 6, 8, 9, 10, 12, 13)}
    assert _spans(rich.tables[0]) == across | single
    assert _grid(rich.tables[0])[0][0] == "第二十条第（一）项"


def test_table_three_has_the_official_two_level_head_and_merged_stub(
    rich: DocumentObject,
) -> None:
    head = {
        (0, 0, 2, 2),  # the balance note over the stub
        (0, 3, 0, 9),  # 申请人情况
        (1, 3, 2, 3),  # 自然人
        (1, 4, 1, 8),  # 法人或其他组织
        (1, 9, 2, 9),  # 总计
    }
    whole_rows = {(3, 0, 3, 2), (4, 0, 4, 2), (27, 0, 27, 2)}  # 一、 二、 四、
    results = {(5, 0, 26, 0)}  # 三、本年度办理结果 beside all its rows
    groups = {(5, 1, 5, 2), (6, 1, 6, 2), (26, 1, 26, 2)}  # （一） （二） （七）
    groups |= {(7, 1, 14, 1), (15, 1, 17, 1), (18, 1, 22, 1), (23, 1, 25, 1)}  # （三）–（六）
    table = rich.tables[1]
    assert _spans(table) == head | whole_rows | results | groups
    grid = _grid(table)
    assert [grid[0][3], grid[1][3], grid[1][4], grid[1][9]] == [
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
    ]
    assert grid[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert grid[0][0].startswith("（本列数据的勾稽关系为")
    assert [grid[r][1] for r in (7, 15, 18, 23)] == [
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ]


def test_table_four_has_review_and_litigation_over_their_five_columns(
    rich: DocumentObject,
) -> None:
    table = rich.tables[2]
    assert _spans(table) == {
        (0, 0, 0, 4),
        (0, 5, 0, 14),
        *((1, c, 2, c) for c in range(5)),
        (1, 5, 1, 9),
        (1, 10, 1, 14),
    }
    grid = _grid(table)
    assert [grid[0][0], grid[0][5], grid[1][5], grid[1][10]] == [
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    ]
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[1][:5] == results and grid[2][5:] == results * 2


def test_every_style_names_an_east_asian_font_beside_the_latin_one(
    rich: DocumentObject,
) -> None:
    expected = {
        "Normal": "仿宋_GB2312",
        "Report Title": "宋体",
        "Report Heading": "黑体",
        "Report Subheading": "楷体_GB2312",
        "Report Body": "仿宋_GB2312",
        "Report Table Text": "宋体",
        "Footer": "宋体",
    }
    for name, font in expected.items():
        fonts = rich.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:ascii")) == "Times New Roman", name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win
    defaults = rich.styles.element.find(qn("w:docDefaults"))
    default_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_page_and_type_follow_the_official_document_format(rich: DocumentObject) -> None:
    section = rich.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    sizes = {name: rich.styles[name].font.size.pt for name in ("Report Title", "Report Body")}
    assert sizes == {"Report Title": 22, "Report Body": 16}
    assert rich.styles["Report Title"].font.bold is True
    assert rich.styles["Report Table Text"].font.size.pt == 10.5
    assert all(t.style is not None and t.style.name == "Table Grid" for t in rich.tables)
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


def test_the_same_document_gives_the_same_bytes(rich_bytes: bytes) -> None:
    assert render_docx(rich_document()) == rich_bytes
    with zipfile.ZipFile(io.BytesIO(rich_bytes)) as package:
        assert {info.date_time for info in package.infolist()} == {FIXED_ZIP_TIME}


def test_the_properties_are_dated_the_report_s_as_of_instant(rich_bytes: bytes) -> None:
    as_of = datetime(2024, 2, 1, 3, 4, 5, 678, tzinfo=UTC)
    later = render_docx(rich_document(as_of))
    props = Document(io.BytesIO(later)).core_properties
    fixed = as_of.replace(microsecond=0)
    assert [props.created, props.modified, props.last_printed] == [fixed] * 3
    assert props.title == RICH.title
    assert later != rich_bytes


def test_docx_is_a_registered_format(rich_bytes: bytes) -> None:
    fmt = FORMATS["docx"]
    assert fmt.suffix == ".docx"
    assert fmt.media_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert fmt.render(RICH) == rich_bytes
