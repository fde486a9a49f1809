"""Loading a case with its events, calendar and clocks into the snapshot the rules work on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from casework.clocks import Clocks, compute_clocks
from casework.errors import NotFound
from casework.models import Agency, Case, CaseEvent
from casework.services.calendars import calendar_for
from casework.services.directory import agency_by_code, policy_of
from casework.workdays import WorkingCalendar
from workflows.snapshot import CaseSnapshot, EventRecord


def event_record(row: CaseEvent) -> EventRecord:
    return EventRecord(
        row.seq, row.action, row.effective_on, row.payload, row.from_state, row.to_state
    )


@dataclass(frozen=True)
class CaseContext:
    case: Case
    agency: Agency
    rows: tuple[CaseEvent, ...]
    calendar: WorkingCalendar
    clocks: Clocks
    snapshot: CaseSnapshot

    @property
    def events(self) -> tuple[EventRecord, ...]:
        return self.snapshot.events


def load_case(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id)
    if for_update and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    case = session.exec(query.execution_options(populate_existing=True)).first()
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的案件")
    return case


def find_case(session: Session, ref: str, agency_code: str | None = None) -> Case:
    query = select(Case).where(Case.ref == ref)
    if agency_code is not None:
        query = query.where(Case.agency_id == agency_by_code(session, agency_code).id)
    found = session.exec(query).all()
    if not found:
        where = f"（机关 {agency_code}）" if agency_code else ""
        raise NotFound(f"没有案号为“{ref}”的案件{where}")
    if len(found) > 1:
        raise NotFound(f"案号“{ref}”在多个机关中存在，请用 --agency 指明机关")
    return found[0]


def context_for(session: Session, case: Case) -> CaseContext:
    assert case.id is not None
    return contexts_for(session, [case])[case.id]


def contexts_for(session: Session, cases: Sequence[Case]) -> dict[int, CaseContext]:
    """The contexts of many cases at once (a batch of timers): one query for all their events,
    each agency's calendar built once."""
    ids = [case.id for case in cases if case.id is not None]
    rows_of: dict[int, list[CaseEvent]] = {i: [] for i in ids}
    if ids:
        query = (
            select(CaseEvent)
            .where(col(CaseEvent.case_id).in_(ids))
            .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
        )
        for row in session.exec(query).all():
            rows_of[row.case_id].append(row)
    calendars: dict[int | None, WorkingCalendar] = {}
    out: dict[int, CaseContext] = {}
    for case in cases:
        agency = session.get(Agency, case.agency_id)
        assert agency is not None and case.id is not None
        if agency.id not in calendars:
            calendars[agency.id] = calendar_for(session, agency.id)
        calendar = calendars[agency.id]
        rows = tuple(rows_of[case.id])
        events = tuple(event_record(r) for r in rows)
        policy = policy_of(agency)
        clocks = compute_clocks(case.received_on, events, calendar, policy)
        snapshot = CaseSnapshot(
            case.state, case.received_on, events, case.outcome, clocks.dues, policy
        )
        out[case.id] = CaseContext(case, agency, rows, calendar, clocks, snapshot)
    return out
