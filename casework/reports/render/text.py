"""The whole report as plain text: the title, sections 一, 五, 六 as entered, and sections
二–四 in the sample's published layout (`casework.statistics.text`)."""

from __future__ import annotations

from casework.reports.document import AnnualReport
from casework.reports.narratives import SECTION_TITLES
from casework.statistics.text import render_tables


def _section(title: str, *paragraphs: str) -> str:
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    return f"{title}\n\n{body}\n" if body else f"{title}\n"


def render_text(document: AnnualReport) -> str:
    n = document.narratives
    parts = [
        f"{document.title}\n",
        _section(SECTION_TITLES["overview"], n.overview),
        render_tables(document.figures),
        _section(SECTION_TITLES["problems"], n.problems),
        _section(SECTION_TITLES["other"], document.fee_statement, n.other),
    ]
    return "\n".join(parts)
