"""Every rendering of an annual report, by format: what publishing snapshots and what the API
and CLI hand out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from casework.reports.document import AnnualReport
from casework.reports.render.docx import render_docx
from casework.reports.render.html import render_html
from casework.reports.render.text import render_text
from casework.reports.render.xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    name: str  # "html", "docx", "xlsx", "json", "txt"
    suffix: str
    media_type: str
    render: Callable[[AnnualReport], bytes]


def _json(document: AnnualReport) -> bytes:
    return (json.dumps(document.as_json(), ensure_ascii=False, indent=2) + "\n").encode()


def _text(document: AnnualReport) -> bytes:
    return render_text(document).encode()


def _html(document: AnnualReport) -> bytes:
    return render_html(document).encode()


_OOXML = "application/vnd.openxmlformats-officedocument."
FORMATS: dict[str, Format] = {
    "json": Format("json", ".json", "application/json", _json),
    "txt": Format("txt", ".txt", "text/plain; charset=utf-8", _text),
    "html": Format("html", ".html", "text/html; charset=utf-8", _html),
    "docx": Format("docx", ".docx", f"{_OOXML}wordprocessingml.document", render_docx),
    "xlsx": Format("xlsx", ".xlsx", f"{_OOXML}spreadsheetml.sheet", render_xlsx),
}


def filename(document: AnnualReport, fmt: Format) -> str:
    return f"{document.title}{fmt.suffix}"


def render_all(document: AnnualReport) -> dict[str, bytes]:
    """Every format, rendered from the one document (publishing stores all of them)."""
    return {name: fmt.render(document) for name, fmt in FORMATS.items()}
