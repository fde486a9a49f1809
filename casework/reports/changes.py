"""What was recorded between two instants that moves a case or an appeal in a report.

A report as of T counts each case by its standing then (its latest conclusion row recorded by
T, `casework.statistics.figures`). Between T and a later instant U, a case's standing changes
only by a conclusion row recorded in (T, U] or by the case being recorded then (registered
back-dated); an appeal's only by its events recorded then. Each such change is a `Step`; the
caller places the standings before and after with the one rule of the table
(`classify` for cases, `table_four` for appeals), so a step that moves nothing in its period
is simply not reported. Only the cases and appeals with a step are read, not the whole year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from casework.models import Agency, Appeal, AppealEvent, Case, CaseConclusion, CaseEvent
from casework.services.appeals import COUNTED_ROLES, AppealStanding, table_four
from casework.statistics.figures import Standing, classify
from workflows.roles import Actor, ActorKind

Place = tuple[str, str] | None
"""Where something counts in a period: a case's (in-row, out-row), an appeal's (kind, column);
None where it counts nowhere."""


@dataclass(frozen=True)
class Step:
    """One recorded change; `standing` is what it left (None: not counted)."""

    action: str
    effective_on: date
    recorded_at: datetime
    actor: str  # who recorded it, as the history shows them
    standing: Standing | AppealStanding | None


@dataclass(frozen=True)
class Timeline:
    """A case's or an appeal's standing at the earlier instant and each change after it."""

    ref: str  # the case number; an appeal: its number, with its case's where it has one
    column: str  # a case's report column (applicant kind); an appeal's kind
    start: Standing | AppealStanding | None  # None: not recorded (or not counted) then
    steps: tuple[Step, ...]

    @property
    def end(self) -> Standing | AppealStanding | None:
        return self.steps[-1].standing if self.steps else self.start


def place(standing: Standing | AppealStanding | None, first: date, last: date) -> Place:
    """Where a standing counts in the period first..last (a year for appeals: table 四 is
    only ever a year)."""
    if standing is None:
        return None
    if isinstance(standing, AppealStanding):
        table = table_four([standing], last.year)[standing.kind]
        column = next((k for k, v in table.items() if v and k != "total"), None)
        return (standing.kind, column) if column else None
    return classify(standing, first, last)


def _actor_label(kind: str, name: str) -> str:
    try:
        return Actor(ActorKind(kind), name).label
    except ValueError:
        return name


def _counted_cases(agency_ids: Sequence[int]) -> ColumnElement[bool]:
    """The cases the statistics count (figures._standing_rows: replies ordered anew only where
    the agency counts them); the query joins Agency on the case's agency."""
    return and_(
        col(Case.agency_id).in_(list(agency_ids)),
        or_(col(Case.origin_appeal_id).is_(None), col(Agency.count_follow_up_cases)),
    )


def case_timelines(
    session: Session,
    agency_ids: Sequence[int],
    since: datetime,
    until: datetime,
    received_by: date,
) -> list[Timeline]:
    """Every counted case received by `received_by` whose standing changed in (since, until]."""
    counted = and_(_counted_cases(agency_ids), col(Case.received_on) <= received_by)
    concluded = session.execute(
        sa_select(col(CaseConclusion.case_id))
        .join(Case, col(Case.id) == CaseConclusion.case_id)
        .join(Agency, col(Agency.id) == Case.agency_id)
        .where(
            counted,
            col(CaseConclusion.recorded_at) > since,
            col(CaseConclusion.recorded_at) <= until,
        )
    ).all()
    created = session.execute(
        sa_select(col(Case.id))
        .join(Agency, col(Agency.id) == Case.agency_id)
        .where(counted, col(Case.created_at) > since, col(Case.created_at) <= until)
    ).all()
    ids = sorted({r[0] for r in concluded} | {r[0] for r in created})
    if not ids:
        return []
    cases = session.exec(select(Case).where(col(Case.id).in_(ids))).all()
    rows: dict[int, list[CaseConclusion]] = {i: [] for i in ids}
    for row in session.exec(
        select(CaseConclusion)
        .where(col(CaseConclusion.case_id).in_(ids), col(CaseConclusion.recorded_at) <= until)
        .order_by(col(CaseConclusion.case_id), col(CaseConclusion.id))
    ).all():
        rows[row.case_id].append(row)
    events = {
        (e.case_id, e.seq): e
        for e in session.exec(
            select(CaseEvent).where(
                col(CaseEvent.case_id).in_(ids),
                col(CaseEvent.recorded_at) > since,
                col(CaseEvent.recorded_at) <= until,
            )
        ).all()
    }
    out = [_case_timeline(case, rows[case.id or 0], events, since) for case in cases]
    return sorted(out, key=lambda t: (t.steps[0].recorded_at if t.steps else since, t.ref))


def _case_timeline(
    case: Case,
    rows: list[CaseConclusion],
    events: dict[tuple[int, int], CaseEvent],
    since: datetime,
) -> Timeline:
    assert case.id is not None
    kind, received = case.applicant_kind, case.received_on
    open_: Standing = (kind, received, None, None, None)
    start: Standing | None = None
    steps: list[Step] = []
    if case.created_at <= since:
        start = open_
        for row in rows:
            if row.recorded_at > since:
                break
            start = (kind, received, row.outcome, row.concluded_on, row.voided)
    else:
        first = events.get((case.id, 1))
        if first is not None:
            steps.append(_step(first, open_))
    for row in rows:
        if row.recorded_at <= since:
            continue
        event = events.get((case.id, row.event_seq))
        if event is not None:
            steps.append(_step(event, (kind, received, row.outcome, row.concluded_on, row.voided)))
    return Timeline(case.ref, kind, start, tuple(steps))


def _step(event: CaseEvent, standing: Standing) -> Step:
    return Step(
        event.action,
        event.effective_on,
        event.recorded_at,
        _actor_label(event.actor_kind, event.actor_name),
        standing,
    )


def appeal_timelines(
    session: Session,
    agency_ids: Sequence[int],
    since: datetime,
    until: datetime,
    filed_by: date,
) -> list[Timeline]:
    """Every counted appeal filed by `filed_by` with an event recorded in (since, until]."""
    touched = session.execute(
        sa_select(col(AppealEvent.appeal_id))
        .join(Appeal, col(Appeal.id) == AppealEvent.appeal_id)
        .where(
            col(Appeal.agency_id).in_(list(agency_ids)),
            col(Appeal.role).in_(list(COUNTED_ROLES)),
            col(Appeal.filed_on) <= filed_by,
            col(AppealEvent.recorded_at) > since,
            col(AppealEvent.recorded_at) <= until,
        )
    ).all()
    ids = sorted({r[0] for r in touched})
    if not ids:
        return []
    appeals = {a.id: a for a in session.exec(select(Appeal).where(col(Appeal.id).in_(ids)))}
    case_refs = dict(
        session.execute(
            sa_select(col(Case.id), col(Case.ref)).where(
                col(Case.id).in_([a.case_id for a in appeals.values() if a.case_id])
            )
        ).all()
    )
    events: dict[int, list[AppealEvent]] = {i: [] for i in ids}
    for event in session.exec(
        select(AppealEvent)
        .where(col(AppealEvent.appeal_id).in_(ids), col(AppealEvent.recorded_at) <= until)
        .order_by(col(AppealEvent.appeal_id), col(AppealEvent.seq))
    ).all():
        events[event.appeal_id].append(event)
    out = []
    for appeal_id in ids:
        appeal = appeals[appeal_id]
        ref = f"复议/诉讼 {appeal_id}"
        if appeal.case_id in case_refs:
            ref += f"（案件 {case_refs[appeal.case_id]}）"
        out.append(_appeal_timeline(appeal, ref, events[appeal_id], since))
    return sorted(out, key=lambda t: (t.steps[0].recorded_at if t.steps else since, t.ref))


def _appeal_timeline(
    appeal: Appeal, ref: str, events: list[AppealEvent], since: datetime
) -> Timeline:
    filed: date | None = None
    decided: tuple[date, str] | None = None
    start: AppealStanding | None = None
    steps: list[Step] = []
    for event in events:
        if event.action == "filed":
            filed = event.effective_on
        elif event.action == "decided":
            decided = (event.effective_on, str(event.payload.get("result")))
        standing = (
            AppealStanding(
                kind=appeal.kind,
                filed_on=filed,
                decided_on=decided[0] if decided else None,
                result=decided[1] if decided else None,
            )
            if filed is not None
            else None
        )
        if event.recorded_at <= since:
            start = standing
        else:
            steps.append(
                Step(
                    event.action, event.effective_on, event.recorded_at, event.actor_name, standing
                )
            )
    return Timeline(ref, appeal.kind, start, tuple(steps))
