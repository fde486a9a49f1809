"""Generates the built-in notice templates (`templates/<kind>.v<version>.docx`) with
python-docx: `python -m casework.notices.build_templates` rewrites them, byte for byte the same
(fixed core properties and ZIP entry times; a test checks the committed files match).

A template is a DOCX with Jinja tags (docxtpl): `{{ name }}` in a run, `{%p … %}` as a
paragraph of its own. Clerks may open a template in Word and edit it; an agency's edited copy
is uploaded as its own version (`casework notice template set`). A published version is never
changed: a new wording is a new builder under a new version, and the old one stays so old
notices re-render as they were issued.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, title in 宋体 二号
(22 pt) bold, body 仿宋_GB2312 三号 (16 pt), 28 pt lines. Each run names its East-Asian font
(w:eastAsia), so Word and LibreOffice substitute a Chinese font where that one is missing.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from casework.notices.kinds import NoticeKind
from casework.notices.render import normalized

TEMPLATES = Path(__file__).parent / "templates"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BUILT_ON = datetime(2026, 11, 26, tzinfo=UTC)  # the date the v1 templates were written


def _fonts(element: object, east_asia: str, latin: str = LATIN_FONT) -> None:
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_fonts = r_pr.get_or_add_rFonts()
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)


class Builder:
    """One template being written: paragraphs in the official layout."""

    def __init__(self, kind: NoticeKind) -> None:
        self.kind = kind
        self.doc: DocumentObject = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        self._document_defaults()
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(16)
        _fonts(normal.element, BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)

    def _document_defaults(self) -> None:
        """The default font names the real fonts, not the theme's (a theme font would win over
        them), and the default language of East-Asian text is Chinese."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        r_fonts = r_pr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            r_fonts.attrib.pop(qn(theme), None)
        r_fonts.set(qn("w:ascii"), LATIN_FONT)
        r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
        r_fonts.set(qn("w:eastAsia"), BODY_FONT)
        r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")

    def _paragraph(
        self,
        text: str,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = False,
        font: str = BODY_FONT,
        size: int = 16,
        bold: bool = False,
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(size)
            run.bold = bold or None
            _fonts(run._element, font)
        return paragraph

    def title(self, text: str) -> None:
        self._paragraph(text, WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=22, bold=True)

    def heading(self, title: str) -> None:
        """Agency, title, 文号, a blank line."""
        self.title("{{ agency_name }}")
        self.title(title)
        self._paragraph("{{ number }}", WD_ALIGN_PARAGRAPH.CENTER)
        self._paragraph("")

    def to(self, text: str) -> None:
        self._paragraph(text)

    def body(self, text: str) -> None:
        self._paragraph(text, indent=True)

    def tag(self, tag: str) -> None:
        """A paragraph that holds only a docxtpl block tag ({%p if … %}); it leaves no line."""
        self._paragraph(tag)

    def closing(self, words: str = "特此告知。") -> None:
        self.body(words)
        self._paragraph("")
        self._paragraph("{{ agency_name }}", WD_ALIGN_PARAGRAPH.RIGHT)
        self._paragraph("{{ dated }}", WD_ALIGN_PARAGRAPH.RIGHT)

    def remedy(self) -> None:
        """行政复议法 (2023) Art. 20 and 23; 行政诉讼法 Art. 45, 46 (LEGAL.md §1.3)."""
        self.tag("{%p if review_first %}")
        self.body(
            "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项及第二款的规定，"
            "申请政府信息公开，行政机关不予公开的，应当先向行政复议机关申请行政复议（复议前置）。"
            "您如对本告知不服，应当自收到本告知书之日起六十日内向{{ review_body }}申请行政复议；"
            "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
        )
        self.tag("{%p else %}")
        self.body(
            "{{ remedy_party }}如对本告知不服，可以自收到本告知书之日起六十日内向{{ review_body }}"
            "申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
        )
        self.tag("{%p endif %}")

    def request_line(self) -> None:
        self.body(
            "本机关于{{ received_on }}收到您（单位）通过{{ channel_label }}方式提出的政府信息公开申请"
            "（登记号：{{ case_ref }}），申请获取：“{{ request }}”。"
        )

    def bytes(self) -> bytes:
        props = self.doc.core_properties
        props.title = self.kind.label
        props.author = props.last_modified_by = "casework"
        props.subject = f"告知书模板：{self.kind.value}"
        props.keywords = props.comments = ""
        props.category = "政府信息公开"
        props.revision = 1
        props.created = props.modified = props.last_printed = BUILT_ON
        out = io.BytesIO()
        self.doc.save(out)
        return normalized(out.getvalue())


def receipt_v1(b: Builder) -> None:
    b.heading("政府信息公开申请登记回执")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.body(
        "根据{{ regs }}第三十一条的规定，收到申请之日为{{ received_on }}。根据第三十三条的规定，"
        "本机关将自收到申请之日起20个工作日内，即于{{ reply_due }}前作出答复；需要延长答复期限的，"
        "经政府信息公开工作机构负责人同意并告知您，延长的期限最长不超过20个工作日。"
        "征求第三方和其他机关意见所需时间不计算在答复期限内。"
    )
    b.tag("{%p if reply_due_provisional %}")
    b.body("（上述日期所在年度的节假日安排尚未公布，该日期为暂定日期，以公布后的工作日为准。）")
    b.tag("{%p endif %}")
    b.closing("特此回执。")


def correction_v1(b: Builder) -> None:
    b.heading("政府信息公开申请补正告知书")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.body(
        "经审查，您的申请内容不明确。根据{{ regs }}第三十条的规定，本机关现一次性告知您需要补正的事项如下："
    )
    b.tag("{%p for item in items %}")
    b.body("{{ loop.index }}. {{ item }}")
    b.tag("{%p endfor %}")
    b.body(
        "请您自收到本告知书之日起{{ period_wd }}个工作日内，即于{{ correction_due }}前，"
        "向本机关提交补正后的申请。"
    )
    b.body("答复期限自本机关收到补正后的申请之日起重新计算。")
    b.body("您无正当理由逾期不补正的，视为放弃申请，本机关不再处理您的该政府信息公开申请。")
    b.closing()


def extension_v1(b: Builder) -> None:
    b.heading("政府信息公开申请延期答复告知书")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.body(
        "因{{ reason }}，本机关不能在{{ old_due }}前作出答复。根据{{ regs }}第三十三条第二款的规定，"
        "经本机关政府信息公开工作机构负责人{{ approver }}同意，答复期限延长{{ days_wd }}个工作日，"
        "本机关将于{{ new_due }}前作出答复。"
    )
    b.tag("{%p if new_due_provisional %}")
    b.body("（上述日期所在年度的节假日安排尚未公布，该日期为暂定日期，以公布后的工作日为准。）")
    b.tag("{%p endif %}")
    b.closing()


def consultation_v1(b: Builder) -> None:
    b.heading("政府信息公开征求第三方意见书")
    b.to("{{ recipient }}：")
    b.body(
        "本机关于{{ received_on }}收到政府信息公开申请，申请获取：“{{ information }}”。"
        "该政府信息可能涉及你方商业秘密、个人隐私等合法权益，公开后可能损害你方合法权益。"
        "根据{{ regs }}第三十二条的规定，现书面征求你方意见。"
    )
    b.body(
        "请你方自收到本意见书之日起15个工作日内，即于{{ opinion_due }}前，以书面形式向本机关提出"
        "是否同意公开的意见；不同意公开的，请说明理由。"
    )
    b.body(
        "你方逾期未提出意见的，由本机关依照{{ regs }}的规定决定是否公开。你方不同意公开且有合理理由的，"
        "本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
        "并将决定公开的政府信息内容和理由书面告知你方。"
    )
    b.closing("特此函告。")


def disclosure_decision_v1(b: Builder) -> None:
    b.heading("政府信息决定公开告知书")
    b.to("{{ recipient }}：")
    b.body(
        "本机关于{{ consulted_on }}就“{{ information }}”的公开书面征求你方意见，你方{{ opinion }}。"
    )
    b.body(
        "经审查，本机关认为不公开该政府信息可能对公共利益造成重大影响。根据{{ regs }}第三十二条的规定，"
        "本机关决定予以公开，现将决定公开的政府信息内容和理由告知如下："
    )
    b.body("决定公开的政府信息内容：{{ content }}")
    b.body("决定公开的理由：{{ reasons }}")
    b.remedy()
    b.closing()


def fee_v1(b: Builder) -> None:
    b.heading("政府信息公开信息处理费收费通知")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.body(
        "您申请公开政府信息的数量、频次明显超过合理范围。根据{{ regs }}第四十二条和"
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关依法收取信息处理费："
    )
    b.body("计收方式：{{ basis_label }}")
    b.body("收费标准：{{ standard }}")
    b.body("应缴金额：{{ amount }}")
    b.body("缴费方式：{{ payment_method }}")
    b.body(
        "请您自收到本通知之日起20个工作日内，即于{{ payment_due }}前缴纳。自本机关发出本通知之日起"
        "至收到您缴纳的费用之日止的期间，不计算在答复期限内。"
    )
    b.body("您逾期未缴纳的，视为放弃申请，本机关不再处理您的该政府信息公开申请。")
    b.remedy()
    b.closing()


def reply_v1(b: Builder) -> None:
    b.heading("政府信息公开申请答复告知书")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.tag("{%p if corrected_on %}")
    b.body("本机关于{{ corrected_on }}收到您补正后的申请。")
    b.tag("{%p endif %}")
    b.body("现答复如下：")
    b.body("{{ finding }}。")
    b.body("法律依据：{{ basis }}。")
    b.tag("{%p if details %}")
    b.body("{{ details }}")
    b.tag("{%p endif %}")
    b.tag("{%p if form %}")
    b.body("提供形式：{{ form }}。")
    b.tag("{%p endif %}")
    b.tag("{%p if competent_agency %}")
    b.body("负责公开该政府信息的机关：{{ competent_agency }}。")
    b.tag("{%p endif %}")
    b.remedy()
    b.closing()


def termination_v1(b: Builder) -> None:
    b.heading("政府信息公开申请终止处理告知书")
    b.to("{{ applicant_name }}：")
    b.request_line()
    b.body("{{ history }}")
    b.body("{{ termination }}。")
    b.remedy()
    b.closing()


BUILDERS: dict[tuple[NoticeKind, int], Callable[[Builder], None]] = {
    (NoticeKind.RECEIPT, 1): receipt_v1,
    (NoticeKind.CORRECTION, 1): correction_v1,
    (NoticeKind.EXTENSION, 1): extension_v1,
    (NoticeKind.CONSULTATION, 1): consultation_v1,
    (NoticeKind.DISCLOSURE_DECISION, 1): disclosure_decision_v1,
    (NoticeKind.FEE, 1): fee_v1,
    (NoticeKind.REPLY, 1): reply_v1,
    (NoticeKind.TERMINATION, 1): termination_v1,
}


def build(kind: NoticeKind, version: int) -> bytes:
    builder = Builder(kind)
    BUILDERS[(kind, version)](builder)
    return builder.bytes()


def file_name(kind: NoticeKind, version: int) -> str:
    return f"{kind.value}.v{version}.docx"


def main() -> None:
    TEMPLATES.mkdir(exist_ok=True)
    for kind, version in sorted(BUILDERS):
        path = TEMPLATES / file_name(kind, version)
        path.write_bytes(build(kind, version))
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
