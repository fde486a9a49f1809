"""One sweep function and one fire function (DESIGN §4).

`claim_due` claims the timers due at an instant atomically — `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
conditional `UPDATE … RETURNING` on SQLite — so overlapping sweeps never claim the same timer,
and claims older than `stale_after` are retaken (a worker died holding them). `fire_timer`
re-checks a timer under lock and applies it through the one door (`perform`) as the system;
running it twice, or for a timer the case has moved past, changes nothing. An expiry applied,
an expiry held on a provisional date and each reminder raise an alert (once, by its key)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import Session, col, select

from casework.alerts import recipients, texts
from casework.alerts.ledger import CaseAlert, alert_case, alert_cases
from casework.db import unit_of_work
from casework.errors import CaseworkError
from casework.faults import checkpoint
from casework.models import Agency, Case, Timer
from casework.services.claims import claim
from casework.services.snapshots import contexts_for
from casework.timeutil import utcnow
from workflows.actions import action_spec
from workflows.clocks import Clock
from workflows.roles import Actor

log = logging.getLogger(__name__)

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


def fire_claimed(
    engine: Engine, timer_ids: Sequence[int], today: date, batch: int = 100
) -> Counter[str]:
    """Fire claimed timers, `batch` per transaction (the worker's fire task; `casework timers
    sweep`); count the outcomes. Should a batch fail as a whole, each of its timers is tried
    alone, so one bad timer cannot hold back the others; one that fails alone too is logged
    and left claimed — retaken when its claim is stale."""
    outcomes: Counter[str] = Counter()
    for i in range(0, len(timer_ids), batch):
        chunk = timer_ids[i : i + batch]
        try:
            with unit_of_work(engine) as session:
                fired = fire_timers(session, chunk, today)
                checkpoint("fire:before-commit")  # applied, not yet committed
            outcomes.update(f.outcome for f in fired)
            continue
        except Exception:
            if len(chunk) == 1:
                log.exception("timer %s could not be fired", chunk[0])
                outcomes["error"] += 1
                continue
        for timer_id in chunk:
            try:
                with unit_of_work(engine) as session:
                    outcomes[fire_timer(session, timer_id, today).outcome] += 1
            except Exception:
                log.exception("timer %s could not be fired", timer_id)
                outcomes["error"] += 1
    return outcomes


def more_due(session: Session, now: datetime) -> bool:
    """Whether timers due at `now` still wait unclaimed (a sweep was cut short by its batch or
    by back-pressure)."""
    waiting = select(Timer.id).where(col(Timer.status) == "pending", col(Timer.fire_at) <= now)
    return session.exec(waiting.limit(1)).first() is not None


def fire_timer(session: Session, timer_id: int, today: date, *, notify: bool = True) -> Fired:
    """Apply one timer if it is still current; mark it done. Safe to call any number of times.
    `notify=False` (replays and imports) tells nobody of an expiry applied for past time."""
    return fire_timers(session, [timer_id], today, notify=notify)[0]


def fire_timers(
    session: Session, timer_ids: Sequence[int], today: date, *, notify: bool = True
) -> list[Fired]:
    """Fire a batch of timers in the caller's transaction (the worker's task: one transaction
    for a batch, so a mass of reminders due at 09:00 costs few round trips). The cases are
    locked before their timers, in id order — the order a clerk's action takes them — so a
    fire and an action on the same case queue rather than deadlock. Expiries go first, each in
    a savepoint through the one door; a reminder its case has moved past is cancelled."""
    ids = sorted(set(timer_ids))
    case_ids = sorted(set(session.exec(select(Timer.case_id).where(col(Timer.id).in_(ids))).all()))
    locking = session.get_bind().dialect.name != "sqlite"
    cases_query = select(Case).where(col(Case.id).in_(case_ids)).order_by(col(Case.id))
    timers_query = select(Timer).where(col(Timer.id).in_(ids)).order_by(col(Timer.id))
    if locking:
        cases_query, timers_query = cases_query.with_for_update(), timers_query.with_for_update()
    fresh = {"populate_existing": True}
    cases = {c.id: c for c in session.exec(cases_query.execution_options(**fresh)).all()}
    timers = list(session.exec(timers_query.execution_options(**fresh)).all())
    results: dict[int, Fired] = {}
    for timer in timers:
        assert timer.id is not None
        if timer.kind != "reminder" and timer.status in ("pending", "claimed"):
            results[timer.id] = _expire(session, timer, cases[timer.case_id], today, notify)
    reminders = [t for t in timers if t.kind == "reminder" and t.status in ("pending", "claimed")]
    results.update(_remind(session, reminders, cases, today))
    once = (results.pop(i, Fired("gone")) for i in timer_ids)  # an id repeated: done once
    return list(once)


def _agency(session: Session, case: Case) -> Agency:
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    return agency


def _mark(timer: Timer, status: str) -> None:
    timer.status, timer.claimed_at = status, None
    if status in ("done", "skipped"):
        timer.done_at, timer.attempts = utcnow(), timer.attempts + 1


def _finish(session: Session, timer: Timer, status: str) -> None:
    _mark(timer, status)
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


def _remind(
    session: Session, timers: Sequence[Timer], cases: dict[int | None, Case], today: date
) -> dict[int, Fired]:
    results: dict[int, Fired] = {}
    finished: dict[str, list[Timer]] = {"done": [], "skipped": [], "cancelled": []}
    current: list[Timer] = []
    for timer in timers:
        assert timer.id is not None
        if timer.fire_on < today:  # the day passed while nobody swept (or an import): too
            finished["skipped"].append(timer)  # late to help; the overdue digest covers it
            ref = cases[timer.case_id].ref
            results[timer.id] = Fired("skipped", ref, timer.threshold, timer.fire_on)
        else:
            current.append(timer)
    contexts = contexts_for(session, list({t.case_id: cases[t.case_id] for t in current}.values()))
    offices: dict[int | None, bool] = {}
    handler_names: dict[int | None, str | None] = {}
    alerts: list[CaseAlert] = []
    for timer in current:
        assert timer.id is not None
        ctx = contexts[timer.case_id]
        case = ctx.case
        view = next((v for v in ctx.clocks.current() if v.clock.value == timer.clock), None)
        if view is None or view.due != timer.due_on or view.paused or view.met is not None:
            finished["cancelled"].append(timer)  # the clock moved on since the last sync
            results[timer.id] = Fired("gone")
            continue
        left = ctx.calendar.count_between(today, view.due) if today < view.due else 0
        overdue = timer.threshold == "overdue"
        if overdue and ctx.agency.id not in offices:
            offices[ctx.agency.id] = bool(recipients.district_offices(session, ctx.agency))
        if case.handler_id not in handler_names:
            handler_names[case.handler_id] = recipients.handler_name(session, case)
        message = texts.reminder(
            case,
            ctx.agency,
            view,
            timer.threshold,
            left,
            handler_names[case.handler_id],
            overdue and offices[ctx.agency.id],
        )
        alerts.append(CaseAlert(case, ctx.agency, timer.key, message, escalate=overdue))
        finished["done"].append(timer)
        results[timer.id] = Fired("fired", case.ref, timer.threshold, timer.fire_on)
    alert_cases(session, alerts, today)
    for status, done in finished.items():
        for timer in done:
            _mark(timer, status)
        session.add_all(done)
    session.flush()
    return results
