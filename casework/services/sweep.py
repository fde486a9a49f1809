"""One sweep function and one fire function (DESIGN §4).

`claim_due` claims due timers atomically — `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
conditional `UPDATE … RETURNING` on SQLite — so overlapping sweeps never claim the same timer,
and claims older than `stale_after` are retaken (a worker died holding them). `fire_timer`
re-checks a timer under lock and applies it through the one door (`perform`) as the system;
running it twice, or for a timer the case has moved past, changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from casework.errors import CaseworkError
from casework.models import Case, Timer
from casework.timeutil import utcnow
from workflows.roles import Actor

Outcome = Literal["fired", "held", "gone", "failed"]


@dataclass(frozen=True)
class Fired:
    outcome: Outcome
    ref: str = ""
    action: str = ""
    on: date | None = None
    error: str | None = None


def _claimable(today: date, now: datetime, stale_after: timedelta) -> object:
    return or_(
        and_(
            col(Timer.status) == "pending",
            col(Timer.provisional).is_(False),
            col(Timer.fire_on) <= today,
        ),
        and_(col(Timer.status) == "claimed", col(Timer.claimed_at) < now - stale_after),
    )


def claim_due(
    session: Session,
    today: date,
    limit: int = 500,
    stale_after: timedelta = timedelta(minutes=10),
    now: datetime | None = None,
) -> list[int]:
    """Claim up to `limit` due timers for this sweep; return their ids."""
    now = now or utcnow()
    due = _claimable(today, now, stale_after)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(
            session.exec(
                select(Timer.id)
                .where(due)  # type: ignore[arg-type]
                .order_by(col(Timer.fire_on), col(Timer.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
        )
        if ids:
            session.execute(
                update(Timer).where(col(Timer.id).in_(ids)).values(status="claimed", claimed_at=now)
            )
        return [i for i in ids if i is not None]
    picked = (
        select(Timer.id)
        .where(due)  # type: ignore[arg-type]
        .order_by(col(Timer.fire_on), col(Timer.id))
        .limit(limit)
        .scalar_subquery()
    )
    result = session.execute(
        update(Timer)
        .where(col(Timer.id).in_(picked), due)  # type: ignore[arg-type]
        .values(status="claimed", claimed_at=now)
        .returning(col(Timer.id))
    )
    return sorted(int(row[0]) for row in result.all())


def fire_timer(session: Session, timer_id: int, today: date) -> Fired:
    """Apply one timer if it is still current; mark it done. Safe to call any number of times."""
    from casework.services.perform import perform  # perform imports the timer projection

    query = select(Timer).where(Timer.id == timer_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    timer = session.exec(query).first()
    if timer is None or timer.status in ("done", "cancelled"):
        return Fired("gone")
    case = session.get(Case, timer.case_id)
    assert case is not None
    if timer.provisional:  # an applicant's period ending on a provisional date: an approver
        timer.status, timer.claimed_at = "pending", None  # decides (confirm_expiry)
        session.add(timer)
        return Fired("held", case.ref, timer.action, timer.fire_on)
    savepoint = session.begin_nested()
    try:
        perform(
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
    timer.status, timer.done_at, timer.attempts = "done", utcnow(), timer.attempts + 1
    session.add(timer)
    session.flush()
    return Fired("fired", case.ref, timer.action, timer.fire_on)
