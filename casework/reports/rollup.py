"""A district's roll-up of a year (DESIGN §3.6): the total over an agency and its subtree, one
row per agency of the subtree (its figures and whether it published its annual report), and
the agencies that have not published by their due day (条例第四十九条).

An agency merged into another (机构改革) has no row of its own: its cases count in the row of
the agency it was merged into, so the rows add up to the total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from casework.models import Agency, ReportPublication
from casework.reports.due import due_day, due_instant
from casework.reports.standings import CaseLine, case_lines
from casework.statistics.figures import RequestTable, agency_ids, compute_period, report
from casework.timeutil import china_today
from workflows.outcomes import OUTCOMES, OutcomeGroup


class Status(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"  # published, but after the due day
    OVERDUE = "overdue"  # the due day has passed, nothing published
    NOT_DUE = "not_due"  # nothing published yet, the due day still ahead
    MERGED = "merged"  # merged away; publishes nothing itself

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TIME: "按期发布",
    Status.LATE: "逾期发布",
    Status.OVERDUE: "逾期未发布",
    Status.NOT_DUE: "尚未发布（未到截止日）",
    Status.MERGED: "已撤并",
}
NOT_PUBLISHED_BY_DUE = frozenset({Status.LATE, Status.OVERDUE})


@dataclass(frozen=True)
class Figures:
    """An agency's (or the total's) column 总计 of table 三: 一, 二, 三（七）, 四 and the six
    outcome groups."""

    new: int
    carried_in: int
    concluded_total: int
    carried_out: int
    groups: dict[str, int]

    @classmethod
    def of(cls, table: RequestTable) -> Figures:
        groups = dict.fromkeys((g.value for g in OutcomeGroup), 0)
        for o in OUTCOMES:
            groups[o.group.value] += table.outcomes[o.code][-1]
        return cls(
            table.new[-1],
            table.carried_in[-1],
            table.concluded_total[-1],
            table.carried_out[-1],
            groups,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "carried_in": self.carried_in,
            "concluded_total": self.concluded_total,
            "carried_out": self.carried_out,
            "outcome_groups": dict(self.groups),
        }


@dataclass(frozen=True)
class Publication:
    revision: int  # the latest by T
    published_at: datetime  # of the latest revision
    first_published_at: datetime  # of revision 1: what the due day is checked against


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    parent: str | None
    depth: int  # 0 for the agency asked about
    figures: Figures
    due: date
    publication: Publication | None
    status: Status
    days_late: int | None  # late or overdue: days past the due day (China time)

    def as_json(self) -> dict[str, Any]:
        pub = self.publication
        return {
            "agency": self.code,
            "name": self.name,
            "parent": self.parent,
            "depth": self.depth,
            **self.figures.as_json(),
            "due": self.due.isoformat(),
            "publication": None
            if pub is None
            else {
                "revision": pub.revision,
                "published_at": _instant(pub.published_at),
                "first_published_at": _instant(pub.first_published_at),
            },
            "status": self.status.value,
            "status_label": self.status.label,
            "days_late": self.days_late,
        }


@dataclass(frozen=True)
class Rollup:
    agency: str
    agency_name: str
    year: int
    as_of: datetime
    day: date  # the day lateness is counted to: today, or T's day when T is earlier
    total: Figures
    rows: list[AgencyRow] = field(default_factory=list)

    @property
    def unpublished(self) -> list[AgencyRow]:
        """The agencies that did not publish by their due day (late or still not)."""
        return [r for r in self.rows if r.status in NOT_PUBLISHED_BY_DUE]

    def as_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "agency_name": self.agency_name,
            "year": self.year,
            "as_of": _instant(self.as_of),
            "day": self.day.isoformat(),
            "total": self.total.as_json(),
            "agencies": [r.as_json() for r in self.rows],
            "unpublished": [
                {k: v for k, v in r.as_json().items() if k in UNPUBLISHED_KEYS}
                for r in self.unpublished
            ],
        }


UNPUBLISHED_KEYS = ("agency", "name", "due", "publication", "status", "status_label", "days_late")


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _owners(agencies: dict[int, Agency]) -> dict[int, int]:
    """Each agency → the agency whose row holds its cases: itself, or the agency it was
    merged into (followed while that one is in the subtree)."""
    out: dict[int, int] = {}
    for agency_id in agencies:
        owner, seen = agency_id, {agency_id}
        while (target := agencies[owner].merged_into_id) in agencies and target not in seen:
            assert target is not None
            owner = target
            seen.add(owner)
        out[agency_id] = owner
    return out


def _tree_order(root: Agency, agencies: Sequence[Agency]) -> list[tuple[Agency, int]]:
    """Depth first from the root, children by code; with each agency's depth."""
    children: dict[int | None, list[Agency]] = {}
    for a in agencies:
        if a.id != root.id:
            children.setdefault(a.parent_id, []).append(a)
    out: list[tuple[Agency, int]] = []
    stack: list[tuple[Agency, int]] = [(root, 0)]
    placed: set[int | None] = set()
    while stack:
        agency, depth = stack.pop()
        out.append((agency, depth))
        placed.add(agency.id)
        below = sorted(children.get(agency.id, []), key=lambda a: a.code, reverse=True)
        stack += [(a, depth + 1) for a in below if a.id not in placed]
    # merged agencies reached only through a merge, not through a parent: after the tree
    out += [(a, 1) for a in sorted(agencies, key=lambda a: a.code) if a.id not in placed]
    return out


def _publications(
    session: Session, ids: Sequence[int], year: int, as_of: datetime
) -> dict[int, Publication]:
    rows = session.exec(
        select(ReportPublication)
        .where(
            col(ReportPublication.agency_id).in_(list(ids)),
            ReportPublication.year == year,
            col(ReportPublication.published_at) <= as_of,
        )
        .order_by(col(ReportPublication.revision))
    ).all()
    by_agency: dict[int, list[ReportPublication]] = {}
    for row in rows:
        by_agency.setdefault(row.agency_id, []).append(row)
    return {
        agency_id: Publication(revs[-1].revision, revs[-1].published_at, revs[0].published_at)
        for agency_id, revs in by_agency.items()
    }


def _status(
    agency: Agency, due: date, publication: Publication | None, day: date
) -> tuple[Status, int | None]:
    if not agency.active and agency.merged_into_id is not None:
        return Status.MERGED, None
    if publication is not None:
        if publication.first_published_at <= due_instant(due):
            return Status.ON_TIME, None
        return Status.LATE, (china_today(publication.first_published_at) - due).days
    if day > due:
        return Status.OVERDUE, (day - due).days
    return Status.NOT_DUE, None


def rollup(
    session: Session,
    agency: Agency,
    year: int,
    as_of: datetime,
    today: date,
    due_default: str,
) -> Rollup:
    """The roll-up of `year` over `agency` and its subtree as recorded by `as_of`; lateness
    counted to `today` (or to T's day, when T is earlier)."""
    assert agency.id is not None
    ids = agency_ids(session, agency, subtree=True)
    agencies = {
        a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(ids))).all() if a.id
    }
    owners = _owners(agencies)
    by_owner: dict[int, list[CaseLine]] = {}
    for line in case_lines(session, ids, as_of):
        by_owner.setdefault(owners[line.agency_id], []).append(line)
    publications = _publications(session, ids, year, as_of)
    day = min(today, china_today(as_of))
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows: list[AgencyRow] = []
    shown = [a for a in agencies.values() if owners[a.id or 0] == a.id]
    for row_agency, depth in _tree_order(agency, shown):
        assert row_agency.id is not None
        lines = by_owner.get(row_agency.id, [])
        due = due_day(row_agency.report_due, due_default, year)
        publication = publications.get(row_agency.id)
        status, days_late = _status(row_agency, due, publication, day)
        parent = agencies.get(row_agency.parent_id or 0)
        rows.append(
            AgencyRow(
                code=row_agency.code,
                name=row_agency.name,
                parent=parent.code if parent is not None else None,
                depth=depth,
                figures=Figures.of(compute_period([li.standing for li in lines], first, last)),
                due=due,
                publication=publication,
                status=status,
                days_late=days_late,
            )
        )
    total = report(session, agency, year, as_of, subtree=True)
    return Rollup(
        agency=agency.code,
        agency_name=agency.name,
        year=year,
        as_of=as_of,
        day=day,
        total=Figures.of(total.requests),
        rows=rows,
    )


def publication_status(
    session: Session, agency: Agency, year: int, as_of: datetime, today: date, due_default: str
) -> tuple[date, Status, int | None]:
    """One agency's report of `year`: its due day, its status and the days late — the roll-up's
    rule for a single agency (the report page's status line)."""
    assert agency.id is not None
    due = due_day(agency.report_due, due_default, year)
    publication = _publications(session, [agency.id], year, as_of).get(agency.id)
    status, days_late = _status(agency, due, publication, min(today, china_today(as_of)))
    return due, status, days_late
