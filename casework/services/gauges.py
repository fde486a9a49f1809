"""Figures for monitoring, read from the database at the moment they are asked for (so every
process reports the same truth): timers by state, the sweep's lag, deliveries, open and
overdue cases per agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from casework.models import Agency, Case, Delivery, Timer
from workflows.states import OPEN_STATES

OPEN = [s.value for s in OPEN_STATES]


@dataclass(frozen=True)
class Gauges:
    timers: dict[tuple[str, str], int]  # (kind, status) → count
    due_unclaimed: int  # pending timers whose instant has come
    sweep_lag_seconds: float  # how long the oldest of them has waited (0: none)
    deliveries: dict[tuple[str, str], int]  # (channel, status) → count
    open_cases: dict[str, int]  # agency code → count
    overdue_cases: dict[str, int]


def read_gauges(session: Session, now: datetime, today: date) -> Gauges:
    timers = {
        (kind, status): int(n)
        for kind, status, n in session.exec(
            select(Timer.kind, Timer.status, func.count()).group_by(Timer.kind, Timer.status)
        ).all()
    }
    due, oldest = session.exec(
        select(func.count(), func.min(Timer.fire_at)).where(
            col(Timer.status) == "pending", col(Timer.fire_at) <= now
        )
    ).one()
    lag = (now - oldest).total_seconds() if oldest is not None else 0.0
    deliveries = {
        (channel, status): int(n)
        for channel, status, n in session.exec(
            select(Delivery.channel, Delivery.status, func.count()).group_by(
                Delivery.channel, Delivery.status
            )
        ).all()
    }
    per_agency = (
        select(Agency.code, func.count())
        .join(Case, col(Case.agency_id) == col(Agency.id))
        .where(col(Case.state).in_(OPEN))
        .group_by(Agency.code)
    )
    open_cases = {code: int(n) for code, n in session.exec(per_agency).all()}
    late = per_agency.where(col(Case.reply_due) < today, col(Case.reply_paused).is_(False))
    overdue = {code: int(n) for code, n in session.exec(late).all()}
    return Gauges(timers, int(due), max(0.0, lag), deliveries, open_cases, overdue)
