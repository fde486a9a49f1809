"""Timer rows: the projection of the clocks that the sweeper acts on (DESIGN §4).

`sync` keeps a case's timers in step with its clocks inside the event's transaction;
`run_due` applies every due expiry through the same door as a clerk (`perform`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from casework.clocks import Clocks
from casework.models import Case, Timer
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
    action: str
    clock: Clock
    due_on: date
    fire_on: date
    provisional: bool
    anchor_seq: int

    def key(self, case_id: int) -> str:
        return f"{case_id}:{self.clock.value}:expiry:{self.anchor_seq}"


def _anchor(events: Sequence[EventRecord], clock: Clock) -> int:
    return max(
        (e.seq for e in events if any(c is clock for c, _ in action_spec(e.action).clocks)),
        default=0,
    )


def wanted(state: str, events: Sequence[EventRecord], clocks: Clocks) -> list[WantedTimer]:
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
            out.append(
                WantedTimer(action, clock, due, fire_on, provisional, _anchor(events, clock))
            )
    return out


def sync(session: Session, case: Case, events: Sequence[EventRecord], clocks: Clocks) -> None:
    """Make the case's pending timers match what its clocks want now."""
    assert case.id is not None
    want = {w.key(case.id): w for w in wanted(case.state, events, clocks)}
    pending = session.exec(
        select(Timer).where(Timer.case_id == case.id, col(Timer.status).in_(["pending", "claimed"]))
    ).all()
    for timer in pending:
        w = want.pop(timer.key, None)
        if w is None:
            timer.status = "cancelled"
        else:
            timer.due_on, timer.fire_on, timer.provisional = w.due_on, w.fire_on, w.provisional
        session.add(timer)
    for key, w in want.items():
        if session.exec(select(Timer.id).where(Timer.key == key)).first() is None:
            session.add(
                Timer(
                    case_id=case.id,
                    kind="expiry",
                    action=w.action,
                    clock=w.clock.value,
                    due_on=w.due_on,
                    fire_on=w.fire_on,
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
    query = select(Timer).where(Timer.status == "pending", Timer.fire_on <= until)
    if case_ids is not None:
        query = query.where(col(Timer.case_id).in_(list(case_ids)))
    return list(session.exec(query.order_by(col(Timer.fire_on), col(Timer.id))).all())


def run_due(
    session: Session, until: date, today: date, case_ids: Collection[int] | None = None
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
            result = fire_timer(session, timer.id, today)
            if result.outcome == "fired" and result.on is not None:
                fired.append((result.ref, result.action, result.on))
            elif result.outcome == "held" and result.on is not None:
                held.append((result.ref, result.action, result.on))
            elif result.outcome == "failed":
                failed.append((result.ref, result.action, result.error or ""))
    return TimerRun(fired, held, failed)
