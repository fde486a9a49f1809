"""One sweep function and one fire function (DESIGN §4).

`claim_due` claims the timers due at an instant atomically — `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
conditional `UPDATE … RETURNING` on SQLite — so overlapping sweeps never claim the same timer,
and claims older than `stale_after` are retaken (a worker died holding them). `fire_timer`
re-checks a timer under lock and applies it through the one door (`perform`) as the system;
running it twice, or for a timer the case has moved past, changes nothing. An expiry applied,
an expiry held on a provisional date and each reminder raise an alert (once, by its key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from casework.alerts import recipients, texts
from casework.alerts.ledger import alert_case
from casework.errors import CaseworkError
from casework.models import Agency, Case, Timer
from casework.services.claims import claim
from casework.services.snapshots import context_for
from casework.timeutil import utcnow
from workflows.actions import action_spec
from workflows.clocks import Clock
from workflows.roles import Actor

Outcome = Literal["fired", "held", "skipped", "gone", "failed"]


@dataclass(frozen=True)
class Fired:
    outcome: Outcome
    ref: str = ""
    action: str = ""
    on: date | None = None
    error: str | None = None


def claim_due(
    session: Session,
    now: datetime,
    limit: int = 500,
    stale_after: timedelta = timedelta(minutes=10),
    *,
    wall: datetime | None = None,
    max_in_flight: int | None = None,
) -> list[int]:
    """Claim up to `limit` timers due at `now` for this sweep; return their ids. `now` may be
    an injected clock; claims are leases on the wall clock (`wall`, default the real time),
    so a claim lost with its message goes stale even while the injected clock stands still.
    With `max_in_flight`, claims stop while that many fresh claims wait for workers: a mass of
    reminders due at 09:00 is handed out as fast as it is fired, and no claim goes stale in a
    queue."""
    wall = wall or utcnow()
    if max_in_flight is not None:
        waiting = session.exec(
            select(func.count())
            .select_from(Timer)
            .where(col(Timer.status) == "claimed", col(Timer.claimed_at) >= wall - stale_after)
        ).one()
        limit = min(limit, max_in_flight - waiting)
        if limit <= 0:
            return []
    due = or_(
        and_(col(Timer.status) == "pending", col(Timer.fire_at) <= now),
        and_(col(Timer.status) == "claimed", col(Timer.claimed_at) < wall - stale_after),
    )
    order = (col(Timer.fire_at), col(Timer.id))
    return claim(session, Timer, due, order, {"status": "claimed", "claimed_at": wall}, limit)


def fire_timer(session: Session, timer_id: int, today: date, *, notify: bool = True) -> Fired:
    """Apply one timer if it is still current; mark it done. Safe to call any number of times.
    `notify=False` (replays and imports) tells nobody of an expiry applied for past time."""
    query = select(Timer).where(Timer.id == timer_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    timer = session.exec(query).first()
    if timer is None or timer.status not in ("pending", "claimed"):
        return Fired("gone")
    case = session.get(Case, timer.case_id)
    assert case is not None
    if timer.kind == "reminder":
        return _remind(session, timer, case, today)
    return _expire(session, timer, case, today, notify)


def _agency(session: Session, case: Case) -> Agency:
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    return agency


def _finish(session: Session, timer: Timer, status: str) -> None:
    timer.status, timer.claimed_at = status, None
    if status in ("done", "skipped"):
        timer.done_at, timer.attempts = utcnow(), timer.attempts + 1
    session.add(timer)
    session.flush()


def _expire(session: Session, timer: Timer, case: Case, today: date, notify: bool) -> Fired:
    from casework.services.perform import perform  # perform imports the timer projection

    clock = Clock(timer.clock)
    if timer.provisional:  # an applicant's period ending on a provisional date: an approver
        _finish(session, timer, "held")  # decides (confirm_expiry); told once
        agency = _agency(session, case)
        handler = recipients.handler_name(session, case)
        message = texts.held(case, agency, clock, timer.due_on, handler)
        alert_case(session, case, agency, f"{timer.key}:held", message, today, escalate=True)
        return Fired("held", case.ref, timer.action, timer.fire_on)
    savepoint = session.begin_nested()
    try:
        performed = perform(
            session,
            case_id=timer.case_id,
            action=timer.action,
            payload={},
            actor=Actor.system(),
            on=timer.fire_on,
            today=today,
        )
    except CaseworkError as error:
        savepoint.rollback()
        session.refresh(timer)
        timer.attempts += 1
        timer.last_error = str(error)
        timer.status, timer.claimed_at = "pending", None
        session.add(timer)
        session.flush()
        return Fired("failed", case.ref, timer.action, timer.fire_on, str(error))
    savepoint.commit()
    session.refresh(timer)
    _finish(session, timer, "done")
    if notify:
        closed, agency = performed.case, _agency(session, case)
        handler = recipients.handler_name(session, closed)
        label = action_spec(timer.action).label
        message = texts.expired(closed, agency, clock, timer.due_on, label, handler)
        alert_case(session, closed, agency, f"{timer.key}:done", message, today)
    return Fired("fired", case.ref, timer.action, timer.fire_on)


def _remind(session: Session, timer: Timer, case: Case, today: date) -> Fired:
    if timer.fire_on < today:  # the day passed while nobody swept (or an import): too late to
        _finish(session, timer, "skipped")  # help; the overdue digest covers what is late
        return Fired("skipped", case.ref, timer.threshold, timer.fire_on)
    ctx = context_for(session, case)
    view = next((v for v in ctx.clocks.current() if v.clock.value == timer.clock), None)
    if view is None or view.due != timer.due_on or view.paused or view.met is not None:
        _finish(session, timer, "cancelled")  # the clock moved on since the last sync
        return Fired("gone")
    left = ctx.calendar.count_between(today, view.due) if today < view.due else 0
    overdue = timer.threshold == "overdue"
    message = texts.reminder(
        case,
        ctx.agency,
        view,
        timer.threshold,
        left,
        recipients.handler_name(session, case),
        overdue and bool(recipients.district_offices(session, ctx.agency)),
    )
    alert_case(session, case, ctx.agency, timer.key, message, today, escalate=overdue)
    _finish(session, timer, "done")
    return Fired("fired", case.ref, timer.threshold, timer.fire_on)
