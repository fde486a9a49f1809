"""The carry-in check (DESIGN §3.6): year Y's 二 (上年结转) is computed at its own T; where it
differs from the 四 (结转下年度) that year Y−1 published, the report shows the difference and
its cases — each case received by 31 December Y−1 that the published 四 counted and today's 二
does not, or the other way round, with what was recorded since Y−1 was frozen.

Both sides per case come from the one rule (`classify`): at Y−1's frozen T₁ for year Y−1 (is it
carried out?) and at T for year Y (is it carried in?). Only cases whose standing changed in
(T₁, T] can differ, so only those are read. The publication of Y−1 is the one a report as of T
saw (published by T), so a report as of T stays reproducible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from casework.models import Agency
from casework.reports import publications
from casework.reports.changes import case_timelines, place
from casework.statistics.figures import agency_ids


@dataclass(frozen=True)
class CarryInCase:
    ref: str
    column: str  # the report column (applicant kind)
    published: bool  # counted in the published 四 of Y−1
    counted: bool  # counted in 二 of Y as of T
    because: tuple[tuple[str, date], ...]  # (action, effective date) recorded after T₁

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "column": self.column,
            "published": self.published,
            "counted": self.counted,
            "because": [{"action": a, "effective_on": on.isoformat()} for a, on in self.because],
        }


@dataclass(frozen=True)
class CarryInDifference:
    previous_year: int
    revision: int  # of the previous year's publication compared with
    published_as_of: datetime
    published: list[int]  # 四 of Y−1 as published, per column
    carried_in: list[int]  # 二 of Y as of T, per column
    cases: tuple[CarryInCase, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "previous_year": self.previous_year,
            "revision": self.revision,
            "published_as_of": self.published_as_of.isoformat().replace("+00:00", "Z"),
            "published_carried_out": self.published,
            "carried_in": self.carried_in,
            "cases": [c.as_json() for c in self.cases],
        }


def carry_in_difference(
    session: Session, agency: Agency, year: int, as_of: datetime, carried_in: list[int]
) -> CarryInDifference | None:
    """None where Y−1 is not published (as of T) or its published 四 equals 二 case by case."""
    assert agency.id is not None
    previous = publications.latest(session, agency.id, year - 1, published_by=as_of)
    if previous is None:
        return None
    published = [int(v) for v in previous.figures["requests"]["rows"]["carried_out"]]
    first_then, last_then = date(year - 1, 1, 1), date(year - 1, 12, 31)
    first, last = date(year, 1, 1), date(year, 12, 31)
    ids = agency_ids(session, agency, False)
    cases = []
    for timeline in case_timelines(session, ids, previous.as_of, as_of, last_then):
        then = place(timeline.start, first_then, last_then)
        now = place(timeline.end, first, last)
        was_out = then is not None and then[1] == "carried_out"
        is_in = now is not None and now[0] == "carried_in"
        if was_out != is_in:
            because = tuple((s.action, s.effective_on) for s in timeline.steps)
            cases.append(CarryInCase(timeline.ref, timeline.column, was_out, is_in, because))
    if published == list(carried_in) and not cases:
        return None
    return CarryInDifference(
        year - 1,
        previous.revision,
        previous.as_of,
        published,
        list(carried_in),
        tuple(sorted(cases, key=lambda c: c.ref)),
    )
