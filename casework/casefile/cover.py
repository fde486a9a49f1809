"""The cover list (卷内目录) of a case file as a PDF: the case on top, then one row per
document. Chinese text uses the Adobe CID font STSong-Light, which every PDF reader supplies,
so nothing has to be embedded or installed."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casework.casefile.contents import CaseFile

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


def _p(text: str, style: ParagraphStyle = CELL) -> Paragraph:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), style)


def cover_pdf(book: CaseFile, made_on: date) -> bytes:
    """The cover list; `book`'s entries must have been written (sizes and hashes known)."""
    h = book.header
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{h.ref} 卷内目录",
        author=h.agency,
        invariant=True,  # no random document id or time stamp: the same case, the same bytes
    )
    facts = [
        f"机关：{h.agency}",
        f"案号：{h.ref}　　申请人：{h.applicant}（{h.applicant_kind}）",
        f"收到申请之日：{h.received_on}　　提交方式：{h.channel}　　经办人：{h.handler or '—'}",
        f"办理状态：{h.state}　　办理结果：{h.outcome}　　办结日期：{h.concluded_on or '—'}",
        f"申请内容：{h.request[:300]}{'……' if len(h.request) > 300 else ''}",
        f"立卷日期：{made_on}　　共 {len(book.entries)} 件",
    ]
    story = [_p("政府信息公开申请案卷　卷内目录", TITLE), Spacer(1, 6 * mm)]
    story += [_p(line, BODY) for line in facts]
    story.append(Spacer(1, 5 * mm))
    rows = [[_p(t) for t in ("序号", "题名", "文号", "日期", "大小", "SHA-256（前16位）", "备注")]]
    for i, e in enumerate(book.entries, start=1):
        rows.append(
            [
                _p(str(i)),
                _p(e.title),
                _p(e.number or "—"),
                _p(e.dated.isoformat() if e.dated else "—"),
                _p(_size(e.size)),
                _p(e.sha256[:16]),
                _p(e.note),
            ]
        )
    widths = [w * mm for w in (10, 52, 30, 20, 16, 28, 18)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    story.append(
        _p("各文件的完整 SHA-256 见案卷中的 manifest.json，可用于核对文件未被改动。", CELL)
    )
    doc.build(story)
    return out.getvalue()
