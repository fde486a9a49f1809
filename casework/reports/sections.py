"""The text sections of a year's report as the clerk edits them (CLI `report text`, API
`/reports/{year}/narratives`): sections 一, 五, 六 as saved or the starter, section 六's fee
statement (derived, not edited), the placeholders still to fill. Saving goes through the one
door, `set_narratives` (the API saves all three sections, the CLI one at a time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from casework.errors import Invalid
from casework.models import Agency, ReportInput
from casework.reports.document import fee_statement
from casework.reports.narratives import (
    SECTION_TITLES,
    SECTIONS,
    Narratives,
    placeholders,
    saved_narratives,
    set_narratives,
    starter,
)
from casework.statistics.figures import report


@dataclass(frozen=True)
class TextSections:
    agency: Agency
    year: int
    narratives: Narratives
    fee_statement: str

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.narratives)

    def as_json(self) -> dict[str, Any]:
        n = self.narratives
        return {
            "agency": self.agency.code,
            "year": self.year,
            **n.texts(),
            "revision": n.revision,
            "starter": n.is_starter,
            "recorded_by": n.recorded_by,
            "recorded_at": n.recorded_at.isoformat().replace("+00:00", "Z")
            if n.recorded_at
            else None,
            "placeholders": self.placeholders,
            "fee_statement": self.fee_statement,
        }


def text_sections(session: Session, agency: Agency, year: int, now: datetime) -> TextSections:
    """The latest saved texts (or the starter from the figures as of `now`)."""
    assert agency.id is not None
    figures = report(session, agency, year, now)
    saved = saved_narratives(session, agency.id, year)
    return TextSections(
        agency=agency,
        year=year,
        narratives=saved if saved is not None else starter(figures),
        fee_statement=fee_statement(figures),
    )


def save_section(
    session: Session,
    agency: Agency,
    year: int,
    section: str,
    text: str,
    actor: str,
    now: datetime,
    *,
    expected_revision: int | None = None,
) -> ReportInput:
    """Replace one section; the other two stay as they are now (saved, or the starter)."""
    if section not in SECTIONS:
        names = "、".join(f"{s}（{SECTION_TITLES[s]}）" for s in SECTIONS)
        raise Invalid(f"没有“{section}”这一部分；可用：{names}", field="section")
    current = text_sections(session, agency, year, now).narratives
    data = current.texts() | {section: text}
    based_on = current.revision if expected_revision is None else expected_revision
    return set_narratives(session, agency, year, data, actor, expected_revision=based_on)
