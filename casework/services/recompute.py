"""Recomputing deadlines after a calendar change (DESIGN §2.3): the case projection and the
timers follow the new calendar; each moved deadline goes to the calendar audit, not to the
case's event log, so no version is bumped; the handler is told of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from casework.alerts import recipients, texts
from casework.alerts.ledger import alert_case
from casework.models import CalendarAudit, Case
from casework.services import timers
from casework.services.projection import deadline_columns
from casework.services.snapshots import CaseContext, context_for
from casework.settings import get_settings
from casework.timeutil import utcnow
from workflows.clocks import Clock
from workflows.states import OPEN_STATES

T = TypeVar("T")


@dataclass(frozen=True)
class Moved:
    ref: str
    clock: str
    party: str | None
    old_due: date | None
    new_due: date | None
    agency_id: int | None = None  # whose case: a caller is told only of cases they can see


def _tell_handler(
    session: Session,
    ctx: CaseContext,
    clock: Clock,
    old: date | None,
    new: date | None,
    reason: str,
    key: str,
) -> None:
    name = recipients.handler_name(session, ctx.case)
    message = texts.moved(ctx.case, ctx.agency, clock, old, new, reason, name)
    alert_case(session, ctx.case, ctx.agency, key, message, get_settings().current_day())


def _open_cases(session: Session, agency_id: int | None) -> list[Case]:
    query = select(Case).where(col(Case.state).in_([s.value for s in OPEN_STATES]))
    if agency_id is not None:
        query = query.where(Case.agency_id == agency_id)
    return list(session.exec(query.order_by(col(Case.id))).all())


def _dues(session: Session, case: Case) -> dict[tuple[str, str | None], date | None]:
    return {(v.clock.value, v.party): v.due for v in context_for(session, case).clocks.current()}


def with_recompute(
    session: Session, change: Callable[[], T], reason: str, agency_id: int | None = None
) -> tuple[T, list[Moved]]:
    """Apply a calendar change, then move every open case's deadlines and timers with it."""
    cases = _open_cases(session, agency_id)
    before = {case.id: _dues(session, case) for case in cases}
    result = change()
    session.flush()
    moved: list[Moved] = []
    for case in cases:
        moved += _rebuild_case(session, case, reason, before[case.id])
    session.flush()
    return result, moved


def rebuild(session: Session, reason: str, agency_id: int | None = None) -> list[Moved]:
    """Recompute the projection and timers of every open case from the log."""
    return with_recompute(session, lambda: None, reason, agency_id)[1]


def _rebuild_case(
    session: Session,
    case: Case,
    reason: str,
    before: dict[tuple[str, str | None], date | None],
) -> list[Moved]:
    assert case.id is not None
    ctx = context_for(session, case)
    moved: list[Moved] = []
    for view in ctx.clocks.current():
        old = before.get((view.clock.value, view.party), view.due)
        if old != view.due:
            moved.append(
                Moved(case.ref, view.clock.value, view.party, old, view.due, case.agency_id)
            )
            audit = CalendarAudit(
                case_id=case.id,
                clock=view.clock.value,
                party=view.party,
                old_due=old,
                new_due=view.due,
                reason=reason,
            )
            session.add(audit)
            session.flush()
            _tell_handler(session, ctx, view.clock, old, view.due, reason, f"moved:{audit.id}")
    for name, value in deadline_columns(ctx.clocks.current()).items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    session.add(case)
    timers.sync(session, case, ctx.events, ctx.clocks, ctx.calendar, ctx.agency)
    return moved
