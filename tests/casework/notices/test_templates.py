"""The built-in templates: reproducible from their builder, Chinese fonts named for Word's
substitution, sandboxed and escaped rendering, byte-identical re-rendering."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from casework.errors import Invalid
from casework.notices import build_templates, library
from casework.notices.kinds import NoticeKind
from casework.notices.render import paragraphs, render_docx, render_html, sha256
from tests.casework.notices.support import docx_text

KINDS = list(NoticeKind)


def test_every_kind_has_a_built_in_template() -> None:
    assert set(library.builtin_versions()) == set(NoticeKind)


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_committed_templates_are_what_the_builder_makes(kind: NoticeKind) -> None:
    for version in library.builtin_versions()[kind]:
        committed = library.builtin(kind, version).docx
        assert build_templates.build(kind, version) == committed, (
            f"{kind}.v{version}.docx differs from its builder: run "
            "python -m casework.notices.build_templates (and never change a published version)"
        )


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_run_names_a_chinese_font_for_word(kind: NoticeKind) -> None:
    document = Document(io.BytesIO(library.builtin(kind).docx))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    r_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert r_fonts is not None and r_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert r_fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("宋体", "仿宋_GB2312"), run.text
    title = document.paragraphs[1].runs[0]
    assert title.bold and title.font.size.pt == 22
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_template_renders_its_sample_and_the_same_bytes_twice(kind: NoticeKind) -> None:
    template = library.builtin(kind).docx
    context = library.sample_context(kind)
    first = render_docx(template, context)
    assert first == render_docx(template, context)
    text = docx_text(first)
    assert context["number"] in text and context["dated"] in text and context["agency_name"] in text
    assert "{{" not in text and "{%" not in text
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2026-11-24T00:00:00Z" in core  # dated the notice's own date, not when rendered


def test_values_are_escaped_not_read_as_markup() -> None:
    context = library.sample_context(NoticeKind.RECEIPT) | {
        "applicant_name": "甲&乙<公司>",
        "request": "{{ agency_name }} </w:t> 第一行\n第二行",
    }
    text = docx_text(render_docx(library.builtin(NoticeKind.RECEIPT).docx, context))
    assert "甲&乙<公司>：" in text
    assert "{{ agency_name }} </w:t> 第一行" in text


def test_a_template_cannot_reach_python_internals() -> None:
    hostile = _template_with("{{ agency_name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(Invalid) as refused:
        render_docx(hostile, library.sample_context(NoticeKind.RECEIPT))
    assert "模板有误" in str(refused.value)


def test_a_name_the_context_lacks_is_an_error_not_a_blank() -> None:
    with pytest.raises(Invalid) as refused:
        render_docx(_template_with("{{ no_such_fact }}"), library.sample_context(NoticeKind.FEE))
    assert "no_such_fact" in str(refused.value)


def test_not_a_docx_is_refused_in_chinese() -> None:
    with pytest.raises(Invalid) as refused:
        render_docx(b"plain text", library.sample_context(NoticeKind.FEE))
    assert "不是有效的 DOCX" in str(refused.value)


def test_the_html_preview_shows_the_document_and_escapes_it() -> None:
    context = library.sample_context(NoticeKind.REPLY) | {"applicant_name": "<script>x</script>"}
    docx = render_docx(library.builtin(NoticeKind.REPLY).docx, context)
    html = render_html(docx, "预览")
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    for line in paragraphs(docx):
        if line and "<" not in line:
            assert line in html
    assert 'class="center bold title"' in html and 'class="right"' in html


def _template_with(text: str) -> bytes:
    builder = build_templates.Builder(NoticeKind.RECEIPT)
    builder.body(text)
    return builder.bytes()


def test_another_process_renders_the_same_bytes() -> None:
    """No hash seed or process state leaks into a document (set order, ids, times)."""
    code = (
        "from casework.notices import library; from casework.notices.kinds import NoticeKind;"
        "from casework.notices.render import render_docx, sha256;"
        "k = NoticeKind.REPLY;"
        "print(sha256(render_docx(library.builtin(k).docx, library.sample_context(k))))"
    )
    here = sha256(render_docx(library.builtin(NoticeKind.REPLY).docx,
                              library.sample_context(NoticeKind.REPLY)))  # fmt: skip
    for seed in ("1", "2"):
        there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout.strip()  # fmt: skip
        assert there == here
