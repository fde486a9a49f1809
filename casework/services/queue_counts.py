"""The work queue's figures for some agencies on a day: open cases, replies due this week,
overdue replies, cases concluded this year and the share of this year's replies made on or
before their due day.

The first four are one aggregate query over the case rows. A reply's due day is not kept on
the row once the case is answered (the projection holds only running deadlines), so the
on-time share reads the clocks of this year's replied cases, folded from their events in one
batch (`contexts_for`: one query for all their events) — the same fold that writes "（在期限内）"
or "（逾期）" under the reply in the case's derivation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case
from sqlmodel import Session, col, func, select

from casework.models import Case
from casework.services.case_search import OPEN, late
from casework.services.snapshots import contexts_for
from workflows.clocks import Clock
from workflows.outcomes import REPLY_OUTCOMES
from workflows.states import State


@dataclass(frozen=True)
class QueueCounts:
    open: int
    due_this_week: int  # open cases whose running reply period ends from today to Sunday
    overdue: int  # open cases whose reply period has passed
    concluded_this_year: int  # concluded (not voided) from 1 January to today
    replies_this_year: int  # of those, the ones concluded by a reply
    replies_on_time: int  # of those, replied on or before the reply's due day

    @property
    def on_time_rate(self) -> float | None:
        """Replies on time ÷ replies this year; None when there was no reply yet."""
        if not self.replies_this_year:
            return None
        return self.replies_on_time / self.replies_this_year


def week_end(today: date) -> date:
    """The Sunday of today's week (a week runs Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def due_this_week(today: date) -> ColumnElement[bool]:
    """An open case whose running reply period ends from today to the week's end."""
    return (
        col(Case.state).in_(OPEN)
        & col(Case.reply_paused).is_(False)
        & (col(Case.reply_due) >= today)
        & (col(Case.reply_due) <= week_end(today))
    )


def _concluded_in(first: date, last: date) -> ColumnElement[bool]:
    return (
        col(Case.concluded_on).is_not(None)
        & (col(Case.concluded_on) >= first)
        & (col(Case.concluded_on) <= last)
        & (col(Case.state) != State.VOID.value)
    )


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def queue_counts(session: Session, agency_ids: Sequence[int], today: date) -> QueueCounts:
    if not agency_ids:
        return QueueCounts(0, 0, 0, 0, 0, 0)
    ids = list(agency_ids)
    year_start = date(today.year, 1, 1)
    concluded = _concluded_in(year_start, today)
    opened, week, overdue, done = session.exec(
        select(
            _count(col(Case.state).in_(OPEN)),
            _count(due_this_week(today)),
            _count(late(today)),
            _count(concluded),
        ).where(col(Case.agency_id).in_(ids))
    ).one()
    replied = session.exec(
        select(Case).where(
            col(Case.agency_id).in_(ids), concluded, col(Case.outcome).in_(REPLY_OUTCOMES)
        )
    ).all()
    met = [
        view.met
        for ctx in contexts_for(session, replied).values()
        for view in ctx.clocks.views
        if view.clock is Clock.REPLY and view.met is not None
    ]
    return QueueCounts(
        open=int(opened),
        due_this_week=int(week),
        overdue=int(overdue),
        concluded_this_year=int(done),
        replies_this_year=len(met),
        replies_on_time=sum(1 for m in met if m),
    )
