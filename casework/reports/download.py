"""The annual report as a file in any registered format: what the API's download and
`casework report render` both hand out (one door)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from casework.errors import Invalid
from casework.models import Agency
from casework.reports.document import build
from casework.reports.render import FORMATS, Format, filename


@dataclass(frozen=True)
class ReportFile:
    filename: str  # the report's title and the format's suffix
    fallback: str  # an ASCII name for clients that cannot read the Chinese one
    media_type: str
    content: bytes


def format_named(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise Invalid(
            f"没有“{name}”格式的年度报告；可用的格式：{'、'.join(FORMATS)}", field="format"
        ) from None


def render_report(
    session: Session,
    agency: Agency,
    year: int,
    as_of: datetime,
    format_name: str,
    subtree: bool = False,
) -> ReportFile:
    """The whole report of the agency's year as recorded by `as_of`, rendered."""
    fmt = format_named(format_name)
    document = build(session, agency, year, as_of, subtree)
    return ReportFile(
        filename=filename(document, fmt),
        fallback=f"annual-report-{year}{fmt.suffix}",
        media_type=fmt.media_type,
        content=fmt.render(document),
    )
