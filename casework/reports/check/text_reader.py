"""A report saved as plain text → lines: as copied from a web page or the sample's layout
(one cell per line or a row per line, blank lines or not, tabs or spaces)."""

from __future__ import annotations

from casework.reports.check.tokens import Line

TITLE_LINES = 15  # a page copied whole starts with the site's header


def read_text(text: str) -> tuple[list[Line], list[str]]:
    """The non-blank lines, and the first few as candidates for the title."""
    lines = [raw.strip() for raw in text.splitlines()]
    kept = [line for line in lines if line]
    return [Line((line,)) for line in kept], kept[:TITLE_LINES]
