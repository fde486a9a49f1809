"""DOCX from a template and a context, the same bytes every time; the HTML preview.

docxtpl fills the template (Jinja inside the DOCX) in a sandbox: an agency's own template is
an upload, and a sandboxed Jinja cannot reach Python's internals from a tag. Values are
XML-escaped. The package is then written with fixed core properties (dated the notice's own
date) and fixed ZIP entry times, so re-rendering an issued notice reproduces its bytes (its
SHA-256 is stored with it).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from casework.errors import Invalid
from casework.reproducible_zip import with_fixed_times


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """Fill `template` with `context`; a template error is an `Invalid` naming it."""
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(dict(context), jinja_env=_environment(), autoescape=True)
    except TemplateError as error:
        raise Invalid(f"告知书模板有误，无法生成文书：{error}", "template") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise Invalid(f"告知书模板不是有效的 DOCX 文件：{error}", "template") from None
    meta = context.get("document", {})
    _fix_properties(doc.docx, meta)
    out = io.BytesIO()
    doc.save(out)
    return normalized(out.getvalue())


def _fix_properties(document: DocumentObject, meta: Mapping[str, Any]) -> None:
    props = document.core_properties
    dated = date.fromisoformat(str(meta.get("dated", "2000-01-01")))
    instant = datetime.combine(dated, time(0), tzinfo=UTC)
    props.title = str(meta.get("title", ""))
    props.author = str(meta.get("author", ""))
    props.last_modified_by = str(meta.get("author", ""))
    props.subject = str(meta.get("subject", ""))
    props.keywords = str(meta.get("keywords", ""))
    props.comments = ""
    props.category = "政府信息公开"
    props.revision = 1
    props.created = instant
    props.modified = instant
    props.last_printed = instant


def normalized(package: bytes) -> bytes:
    """The same DOCX with every entry's time fixed (a ZIP records when it was written)."""
    return with_fixed_times(package, external_attr=0o600 << 16)


# -- the HTML preview ----------------------------------------------------------------------
# Built from the rendered DOCX itself, so the preview shows exactly what was issued, an
# agency's own template included.

_PAGE = _environment().from_string(
    """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { background: #eee; margin: 0; }
.page { background: #fff; width: 210mm; min-height: 297mm; margin: 1em auto; box-sizing: border-box;
        padding: 37mm 26mm 35mm 28mm; font-family: "仿宋_GB2312", "FangSong", "STFangsong", serif;
        font-size: 16pt; line-height: 28pt; }
p { margin: 0; }
.title { font-family: "方正小标宋简体", "宋体", "SimSun", serif; font-size: 22pt; line-height: 36pt; }
.center { text-align: center; }
.right { text-align: right; }
.indent { text-indent: 2em; }
.bold { font-weight: bold; }
.notice-mark { color: #a00; text-align: center; font-size: 12pt; }
</style>
</head>
<body>
{% if banner %}<p class="notice-mark">{{ banner }}</p>{% endif %}
<div class="page">
{% for p in paragraphs %}<p class="{{ p.classes }}">{{ p.html }}</p>
{% endfor %}</div>
</body>
</html>
"""
)


def paragraphs(docx: bytes) -> list[str]:
    """The text of a DOCX, paragraph by paragraph (tables' cells in order)."""
    document = Document(io.BytesIO(docx))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            out.extend(cell.text for cell in row.cells)
    return out


def render_html(docx: bytes, title: str, banner: str = "") -> str:
    document = Document(io.BytesIO(docx))
    items: list[dict[str, Any]] = []
    for paragraph in document.paragraphs:
        classes = []
        align = paragraph.alignment
        if align == WD_ALIGN_PARAGRAPH.CENTER:
            classes.append("center")
        elif align == WD_ALIGN_PARAGRAPH.RIGHT:
            classes.append("right")
        indent = paragraph.paragraph_format.first_line_indent
        if indent is not None and indent > 0:
            classes.append("indent")
        runs = paragraph.runs
        if runs and all(r.bold for r in runs if r.text.strip()):
            classes.append("bold")
        sizes = [r.font.size.pt for r in runs if r.font.size is not None]
        if sizes and max(sizes) >= 20:
            classes.append("title")
        text = paragraph.text
        html = (
            Markup("<br>").join(escape(line) for line in text.split("\n"))
            if text
            else Markup("&nbsp;")
        )
        items.append({"classes": " ".join(classes), "html": html})
    return _PAGE.render(title=title, paragraphs=items, banner=banner)
