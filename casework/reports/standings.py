"""Each counted case's standing at an instant T, named: which case, of which agency, with the
standing `casework.statistics.figures.classify` places (the latest conclusion recorded by T).

The same selection as the year statistics (`figures.counted_cases`), with the case's id,
reference and agency alongside — for the drill-down behind a cell, any period's statistics and the per-agency
roll-up. No applicant's personal data is read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col

from casework.models import Agency, Case
from casework.statistics.figures import Standing, counted_cases


@dataclass(frozen=True)
class CaseLine:
    id: int
    ref: str
    agency_id: int
    agency: str  # the agency's code
    applicant_kind: str  # the column
    received_on: date
    outcome: str | None  # as last amended by T; None while open at T
    concluded_on: date | None
    voided: bool | None

    @property
    def standing(self) -> Standing:
        return (self.applicant_kind, self.received_on, self.outcome, self.concluded_on, self.voided)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "ref": self.ref,
            "agency": self.agency,
            "received_on": self.received_on.isoformat(),
            "concluded_on": self.concluded_on.isoformat() if self.concluded_on else None,
            "outcome": self.outcome,
            "applicant_kind": self.applicant_kind,
        }


def case_lines(session: Session, agency_ids: Sequence[int], as_of: datetime) -> list[CaseLine]:
    """Every case of the agencies recorded by `as_of`, with its standing then; by receipt."""
    query = counted_cases(
        agency_ids, as_of, col(Case.id), col(Case.ref), col(Case.agency_id), col(Agency.code)
    ).order_by(col(Case.received_on), col(Agency.code), col(Case.ref), col(Case.id))
    return [CaseLine(*row) for row in session.execute(query).all()]
