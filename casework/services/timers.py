"""Timer rows: the projection of the clocks that the sweeper acts on (DESIGN §4).

`sync` keeps a case's timers in step with its clocks inside the event's transaction: expiries
of the applicant's and third parties' periods, and reminders of the agency's own deadlines by
its policy (N working days before, the due day, the first day overdue). `run_due` applies every
due expiry through the same door as a clerk (`perform`); reminders are only sent by the sweep,
so replays and imports send nothing for past time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from casework.clocks import Clocks
from casework.errors import Invalid
from casework.models import Agency, Case, Timer
from casework.timeutil import china_instant, start_of_china_day
from casework.workdays.calendar import CalendarRangeError, WorkingCalendar
from workflows.actions import action_spec
from workflows.clocks import Clock
from workflows.snapshot import EventRecord
from workflows.states import State

# Which system action applies the expiry of which clock, and in which state.
EXPIRY_ACTIONS: dict[Clock, tuple[str, State]] = {
    Clock.CORRECTION: ("correction_deadline_passed", State.CORRECTION_REQUESTED),
    Clock.PAYMENT: ("payment_deadline_passed", State.FEE_PENDING),
    Clock.OPINION: ("opinion_deadline_passed", State.CONSULTING),
}


@dataclass(frozen=True)
class WantedTimer:
    kind: str  # expiry, reminder
    threshold: str  # expiry, before:N, due, overdue
    action: str
    clock: Clock
    due_on: date
    fire_on: date
    fire_at: datetime
    provisional: bool
    anchor_seq: int

    def key(self, case_id: int) -> str:
        """The alert ledger's key: (case, clock, threshold, anchor event)."""
        return f"{case_id}:{self.clock.value}:{self.threshold}:{self.anchor_seq}"


# The agency's own deadlines, which get reminders, and the state in which each one runs.
REMINDED: dict[Clock, State] = {
    Clock.REPLY: State.RECEIVED,
    Clock.CORRECTION_NOTICE: State.RECEIVED,
}


@dataclass(frozen=True)
class ReminderPolicy:
    before_wd: tuple[int, ...] = (5, 2)
    at: time = time(9, 0)
    escalate_overdue: bool = True

    @classmethod
    def of(cls, agency: Agency) -> ReminderPolicy:
        return cls(
            parse_before_wd(agency.remind_before_wd),
            parse_remind_at(agency.remind_at),
            agency.escalate_overdue,
        )


def parse_before_wd(text: str) -> tuple[int, ...]:
    """'5,2' → (5, 2); an error in Chinese for anything else."""
    try:
        days = sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()})
    except ValueError:
        raise Invalid(f"提醒天数应为逗号分隔的工作日数，例如“5,2”，而不是“{text}”") from None
    if any(d < 1 or d > 60 for d in days):
        raise Invalid(f"提醒天数应在 1 至 60 个工作日之间：{text}")
    return tuple(reversed(days))


def parse_remind_at(text: str) -> time:
    try:
        hour, minute = (int(part) for part in text.split(":"))
        return time(hour, minute)
    except ValueError:
        raise Invalid(f"提醒时刻应为“时:分”，例如“09:00”，而不是“{text}”") from None


def _anchor(events: Sequence[EventRecord], clock: Clock) -> int:
    return max(
        (e.seq for e in events if any(c is clock for c, _ in action_spec(e.action).clocks)),
        default=0,
    )


def _expiries(state: str, events: Sequence[EventRecord], clocks: Clocks) -> list[WantedTimer]:
    dues = clocks.dues
    out: list[WantedTimer] = []
    candidates = {
        Clock.CORRECTION: (
            dues.correction,
            dues.correction_expires_on,
            dues.correction_provisional,
        ),
        Clock.PAYMENT: (dues.payment, dues.payment_expires_on, dues.payment_provisional),
        Clock.OPINION: (
            max((w.due for w in dues.parties if not w.answered and w.due), default=None),
            dues.opinion_expires_on,
            dues.opinion_provisional,
        ),
    }
    for clock, (due, fire_on, provisional) in candidates.items():
        action, in_state = EXPIRY_ACTIONS[clock]
        if state == in_state and due is not None and fire_on is not None:
            anchor = _anchor(events, clock)
            at = start_of_china_day(fire_on)
            out.append(
                WantedTimer(
                    "expiry", "expiry", action, clock, due, fire_on, at, provisional, anchor
                )
            )
    return out


def _reminders(
    state: str,
    events: Sequence[EventRecord],
    clocks: Clocks,
    calendar: WorkingCalendar,
    policy: ReminderPolicy,
) -> list[WantedTimer]:
    out: list[WantedTimer] = []
    for view in clocks.current():
        if REMINDED.get(view.clock) != state or view.due is None:
            continue
        if view.paused or view.met is not None:
            continue
        anchor = _anchor(events, view.clock)
        days: list[tuple[str, date]] = []
        for n in policy.before_wd:
            with suppress(CalendarRangeError):
                days.append((f"before:{n}", calendar.back(view.due, n)))
        days.append(("due", view.due))
        if policy.escalate_overdue:
            with suppress(CalendarRangeError):
                days.append(("overdue", calendar.add(view.due, 1)))
        for threshold, day in days:
            at = china_instant(day, policy.at)
            out.append(
                WantedTimer(
                    "reminder",
                    threshold,
                    "",
                    view.clock,
                    view.due,
                    day,
                    at,
                    view.provisional,
                    anchor,
                )
            )
    return out


def wanted(
    state: str,
    events: Sequence[EventRecord],
    clocks: Clocks,
    calendar: WorkingCalendar,
    policy: ReminderPolicy,
) -> list[WantedTimer]:
    return _expiries(state, events, clocks) + _reminders(state, events, clocks, calendar, policy)


LIVE_STATUSES = ("pending", "claimed", "held")


def sync(
    session: Session,
    case: Case,
    events: Sequence[EventRecord],
    clocks: Clocks,
    calendar: WorkingCalendar,
    agency: Agency,
) -> None:
    """Make the case's live timers match what its clocks want now (in the event's transaction).
    A timer whose clock has moved on is cancelled; one whose date moved follows it."""
    assert case.id is not None
    policy = ReminderPolicy.of(agency)
    want = {w.key(case.id): w for w in wanted(case.state, events, clocks, calendar, policy)}
    live = session.exec(
        select(Timer).where(Timer.case_id == case.id, col(Timer.status).in_(LIVE_STATUSES))
    ).all()
    for timer in live:
        w = want.pop(timer.key, None)
        if w is None:
            timer.status = "cancelled"
        else:
            timer.due_on, timer.fire_on, timer.fire_at = w.due_on, w.fire_on, w.fire_at
            if timer.status == "held" and not w.provisional:
                timer.status = "pending"  # the year's notice is loaded: the expiry can apply
            timer.provisional = w.provisional
        session.add(timer)
    if want:
        taken = set(
            session.exec(select(Timer.key).where(col(Timer.key).in_(list(want)))).all()
        )  # done, skipped or cancelled before: the ledger says it happened once already
        for key, w in want.items():
            if key not in taken:
                session.add(
                    Timer(
                        case_id=case.id,
                        kind=w.kind,
                        threshold=w.threshold,
                        action=w.action,
                        clock=w.clock.value,
                        due_on=w.due_on,
                        fire_on=w.fire_on,
                        fire_at=w.fire_at,
                        provisional=w.provisional,
                        anchor_seq=w.anchor_seq,
                        key=key,
                    )
                )
    session.flush()


@dataclass(frozen=True)
class TimerRun:
    fired: list[tuple[str, str, date]]  # (case ref, action, effective date)
    held: list[tuple[str, str, date]]  # provisional: left for an approver (confirm_expiry)
    failed: list[tuple[str, str, str]]  # (case ref, action, error)


def due_timers(
    session: Session, until: date, case_ids: Collection[int] | None = None
) -> list[Timer]:
    query = select(Timer).where(
        Timer.kind == "expiry", Timer.status == "pending", Timer.fire_on <= until
    )
    if case_ids is not None:
        query = query.where(col(Timer.case_id).in_(list(case_ids)))
    return list(session.exec(query.order_by(col(Timer.fire_on), col(Timer.id))).all())


def run_due(
    session: Session,
    until: date,
    today: date,
    case_ids: Collection[int] | None = None,
    *,
    notify: bool = True,
) -> TimerRun:
    """Apply every expiry due on or before `until`, in date order, in this transaction (the
    CLI, replays and a user's action use it; the sweeper claims and fires one by one)."""
    from casework.services.sweep import fire_timer  # sweep imports perform, which imports this

    fired: list[tuple[str, str, date]] = []
    held: list[tuple[str, str, date]] = []
    failed: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    while batch := [t for t in due_timers(session, until, case_ids) if t.id not in seen]:
        for timer in batch:
            assert timer.id is not None
            seen.add(timer.id)
            result = fire_timer(session, timer.id, today, notify=notify)
            if result.outcome == "fired" and result.on is not None:
                fired.append((result.ref, result.action, result.on))
            elif result.outcome == "held" and result.on is not None:
                held.append((result.ref, result.action, result.on))
            elif result.outcome == "failed":
                failed.append((result.ref, result.action, result.error or ""))
    return TimerRun(fired, held, failed)
