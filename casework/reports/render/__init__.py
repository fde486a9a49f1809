"""Every rendering of an annual report, by format: what publishing snapshots and what the API
and CLI hand out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from casework.reports.document import AnnualReport
from casework.reports.render.text import render_text


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


FORMATS: dict[str, Format] = {
    "json": Format("json", ".json", "application/json", _json),
    "txt": Format("txt", ".txt", "text/plain; charset=utf-8", _text),
}


def filename(document: AnnualReport, fmt: Format) -> str:
    return f"{document.title}{fmt.suffix}"


def render_all(document: AnnualReport) -> dict[str, bytes]:
    """Every format, rendered from the one document (publishing stores all of them)."""
    return {name: fmt.render(document) for name, fmt in FORMATS.items()}
