"""PDF through LibreOffice: required where CI installs it (CASEWORK_REQUIRE_SERVICES=1), else
skipped; without it, a clear Chinese refusal."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from casework.notices import library, pdf
from casework.notices.kinds import NoticeKind
from casework.notices.render import render_docx
from tests.conftest import REQUIRE_SERVICES


@pytest.fixture
def soffice() -> str:
    program = pdf.soffice()
    if program is None:
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    return program


def test_a_notice_becomes_a_pdf_with_its_chinese_text(soffice: str) -> None:
    context = library.sample_context(NoticeKind.CORRECTION) | {"number": "漳街公开补〔2026〕12号"}
    data = pdf.docx_to_pdf(render_docx(library.builtin(NoticeKind.CORRECTION).docx, context))
    assert data.startswith(b"%PDF-")
    fonts = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", data)
    assert any(b"CJK" in f or b"Han" in f or b"Song" in f for f in fonts), fonts  # a Chinese font
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if REQUIRE_SERVICES:
            pytest.fail(
                "CASEWORK_REQUIRE_SERVICES=1 but pdftotext (poppler-utils) is not installed"
            )
        return
    text = subprocess.run([pdftotext, "-", "-"], input=data, capture_output=True, check=True).stdout
    flat = re.sub(r"\s+", "", text.decode("utf-8"))
    assert "补正告知书" in flat and "漳街公开补〔2026〕12号" in flat and "第三十条" in flat


def test_without_libreoffice_the_refusal_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.docx_to_pdf(b"")
    assert "未安装 LibreOffice" in str(refused.value)
