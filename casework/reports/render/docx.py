"""The whole annual report as a Word document, laid out as an official document.

Page and type after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm; the title
in 宋体 二号 (22 pt) bold, centred; the body in 仿宋_GB2312 三号 (16 pt) on 28 pt lines; the
section headings (一、…) in 黑体, the entered texts' own headings (（一）…) in 楷体; the tables
in 宋体 五号 (10.5 pt) with the official layout's merged cells (`casework.reports.render.grid`);
page numbers "— n —" at the foot. Every style names its East-Asian font (w:eastAsia) beside
the Latin one, so Word, WPS or LibreOffice on a machine without that font substitutes a
Chinese one.

The same document gives the same bytes: the core properties are dated the report's as-of
instant and every ZIP entry carries a fixed time (publishing stores the SHA-256).
"""

from __future__ import annotations

import io
from datetime import UTC

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from casework.reports.document import AnnualReport
from casework.reports.narratives import SECTION_TITLES
from casework.reports.render.grid import Cell, Grid, Role, grids
from casework.reports.render.html import paragraphs
from casework.reproducible_zip import with_fixed_times

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"

TITLE_STYLE = "Report Title"
HEADING_STYLE = "Report Heading"
SUBHEADING_STYLE = "Report Subheading"
BODY_STYLE = "Report Body"
TABLE_STYLE = "Report Table Text"
STYLES = (TITLE_STYLE, HEADING_STYLE, SUBHEADING_STYLE, BODY_STYLE, TABLE_STYLE)

LINE = Pt(28)  # 22 lines on a GB/T 9704 page
TWO_CHARACTERS = Pt(32)  # the first-line indent of 三号 text
TITLE_LINE_CHARACTERS = 20  # 二号 characters across the 156 mm text width
ROW_HEIGHT = Cm(0.55)  # at least: a row of 五号 text with air above and below
CELL_MARGIN = "57"  # twentieths of a point (1 mm): two 五号 characters fit a 1 cm column


def _set_fonts(r_pr: CT_RPr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the Latin and the East-Asian font of a run property (no theme font wins)."""
    r_fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def _page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    footer = section.footer.paragraphs[0]  # "— 1 —": 四号 宋体, a dash either side
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    page = footer.add_run("1")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    page._r.addprevious(field)
    field.append(page._r)
    footer.add_run(" —")


def _defaults(doc: DocumentObject) -> None:
    """Document defaults name real fonts, not the theme's, and East-Asian text is Chinese."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert r_pr is not None
    _set_fonts(r_pr, BODY_FONT)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(16)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    footer = doc.styles["Footer"]
    assert isinstance(footer, ParagraphStyle)
    footer.font.size = Pt(14)
    _set_fonts(footer.element.get_or_add_rPr(), TITLE_FONT)


def _style(
    doc: DocumentObject, name: str, east_asia: str, size: float, bold: bool = False
) -> ParagraphStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    _set_fonts(style.element.get_or_add_rPr(), east_asia)
    return style


def _styles(doc: DocumentObject) -> None:
    title = _style(doc, TITLE_STYLE, TITLE_FONT, 22, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = LINE
    title.paragraph_format.keep_with_next = True

    heading = _style(doc, HEADING_STYLE, HEADING_FONT, 16)
    heading.paragraph_format.first_line_indent = TWO_CHARACTERS
    heading.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")  # a level-1 heading in Word's navigation pane
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().insert_element_before(
        outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"
    )

    subheading = _style(doc, SUBHEADING_STYLE, SUBHEADING_FONT, 16)
    subheading.paragraph_format.first_line_indent = TWO_CHARACTERS
    subheading.paragraph_format.keep_with_next = True

    body = _style(doc, BODY_STYLE, BODY_FONT, 16)
    body.paragraph_format.first_line_indent = TWO_CHARACTERS
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table = _style(doc, TABLE_STYLE, TABLE_FONT, 10.5)
    fmt = table.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    fmt.keep_with_next = True  # a table on one page where it fits, not one row on the last


def _width(text: str) -> float:
    """In full-width characters: ASCII (the year's digits) is half as wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def _title(doc: DocumentObject, document: AnnualReport) -> None:
    """A title longer than a line breaks after the agency's name, where the sense breaks
    (GB/T 9704 7.3.3: 回行时要做到词意完整), not wherever the line is full."""
    paragraph = doc.add_paragraph(style=TITLE_STYLE)
    agency = document.figures.agency_name
    rest = document.title.removeprefix(agency)
    if _width(document.title) > TITLE_LINE_CHARACTERS >= _width(agency) and rest != document.title:
        run = paragraph.add_run(agency)
        run.add_break()
        paragraph.add_run(rest)
    else:
        paragraph.add_run(document.title)


def _paragraphs(doc: DocumentObject, text: str) -> None:
    """Entered text: each line a paragraph of its own, a numbered heading on a line of its own
    ("（一）主动公开") in 楷体 — the rule the HTML page follows (`render.html.paragraphs`)."""
    for paragraph in paragraphs(text):
        for line in paragraph:
            doc.add_paragraph(line.text, style=SUBHEADING_STYLE if line.heading else BODY_STYLE)


def _heading(doc: DocumentObject, text: str, after_table: bool = False) -> None:
    paragraph = doc.add_paragraph(text, style=HEADING_STYLE)
    if after_table:  # half a line between a table's last rule and the next heading
        paragraph.paragraph_format.space_before = Pt(14)


def _row_flag(row: object, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement(tag))


def _table(doc: DocumentObject, grid: Grid) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), CELL_MARGIN)
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
    for column, width in zip(table.columns, grid.widths, strict=True):
        column.width = Cm(width)
    cells = [list(row.cells) for row in table.rows]  # before any merge: one per position
    for index, row in enumerate(table.rows):
        _row_flag(row, "w:cantSplit")
        if index < grid.header_rows:
            _row_flag(row, "w:tblHeader")  # repeated at the top of each page
        row.height, row.height_rule = ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, width in zip(cells[index], grid.widths, strict=True):
            cell.width = Cm(width)
    style_id = doc.styles[TABLE_STYLE].style_id
    for spec in grid.cells:
        cell = cells[spec.row][spec.col]
        if spec.merged:  # the merges are disjoint: every other corner stays in place
            cell = cell.merge(cells[spec.row + spec.rows - 1][spec.col + spec.cols - 1])
        _fill(cell, spec, style_id)
    for element in table.rows[-1]._tr.iter(qn("w:p")):  # the style keeps the others together
        Paragraph(element, table).paragraph_format.keep_with_next = False


def _fill(cell: _Cell, spec: Cell, style_id: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style_id  # by id: a lookup by name costs 5 ms
    if spec.role is Role.NUMBER:
        paragraph.add_run(_number(spec.number))
        return
    if spec.role is Role.STUB and spec.rows == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a row label reads from the left
    paragraph.add_run(spec.text)


def _number(value: float | None) -> str:
    assert value is not None
    return str(value)


def _properties(doc: DocumentObject, document: AnnualReport) -> None:
    """Fixed, from the report itself: no clock in the file."""
    instant = document.figures.as_of.astimezone(UTC).replace(microsecond=0)
    props = doc.core_properties
    props.title = document.title
    props.author = props.last_modified_by = document.figures.agency_name
    props.subject = f"{document.figures.year}年政府信息公开工作年度报告"
    props.keywords = "政府信息公开;年度报告"
    props.comments = ""
    props.category = "政府信息公开"
    props.revision = 1
    props.created = props.modified = props.last_printed = instant


def render_docx(document: AnnualReport) -> bytes:
    doc = Document()
    _page(doc)
    _defaults(doc)
    _styles(doc)
    n = document.narratives
    _title(doc, document)
    _heading(doc, SECTION_TITLES["overview"])
    _paragraphs(doc, n.overview)
    after_table = False
    for grid in grids(document.figures):
        _heading(doc, grid.title, after_table)
        _table(doc, grid)
        after_table = True
    _heading(doc, SECTION_TITLES["problems"], after_table)
    _paragraphs(doc, n.problems)
    _heading(doc, SECTION_TITLES["other"])
    _paragraphs(doc, document.fee_statement)
    _paragraphs(doc, n.other)
    _properties(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return with_fixed_times(out.getvalue(), external_attr=0o600 << 16)
