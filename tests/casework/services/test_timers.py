"""Timer projection and the expiries applied through the one door."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError
from casework.models import Case, CaseEvent, Timer
from casework.services.timers import run_due
from tests.casework.services.helpers import TODAY, act, agency, register


def _timers(engine: Engine) -> list[Timer]:
    """The expiry timers (reminders: test_reminders)."""
    with Session(engine) as s:
        query = select(Timer).where(Timer.kind == "expiry").order_by(col(Timer.id))
        return list(s.exec(query).all())


def test_correction_request_creates_one_expiry_timer(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
    (timer,) = _timers(engine)
    assert timer.action == "correction_deadline_passed" and timer.status == "pending"
    assert timer.due_on == date(2025, 10, 23)
    assert timer.fire_on == date(2025, 10, 24)  # the day after the period's last day
    assert not timer.provisional


def test_receiving_the_correction_cancels_the_timer(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
        act(s, case, "receive_correction", "2025-10-15")
    assert [t.status for t in _timers(engine)] == ["cancelled"]


def test_run_due_applies_expiry_with_next_day_effective_date(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
    with unit_of_work(engine) as s:
        assert run_due(s, date(2025, 10, 23), TODAY).fired == []  # not yet: last day still running
        result = run_due(s, date(2025, 10, 24), TODAY)
    assert result.fired == [("A", "correction_deadline_passed", date(2025, 10, 24))]
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
        last = s.exec(select(CaseEvent).order_by(col(CaseEvent.seq).desc())).first()
    assert row.state == "closed" and row.outcome == "other.correction_not_submitted"
    assert row.concluded_on == date(2025, 10, 24)
    assert last is not None and last.actor_kind == "system"
    assert [t.status for t in _timers(engine)] == ["done"]


def test_running_the_timers_twice_changes_nothing(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
    with unit_of_work(engine) as s:
        assert len(run_due(s, TODAY, TODAY).fired) == 1
    with unit_of_work(engine) as s:
        again = run_due(s, TODAY, TODAY)
    assert again.fired == [] and again.failed == []
    with Session(engine) as s:
        assert len(s.exec(select(CaseEvent)).all()) == 3


def test_fee_notice_expiry_closes_as_fee_not_paid(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        act(s, case, "issue_fee_notice", "2025-09-05", amount=200, basis="per_item")
    with unit_of_work(engine) as s:
        run_due(s, TODAY, TODAY)
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
    assert row.outcome == "other.fee_not_paid" and row.state == "closed"


def test_opinion_windows_over_resume_the_reply_clock(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        act(s, case, "start_consultation", "2025-09-10", party="某公司")
    with unit_of_work(engine) as s:
        result = run_due(s, TODAY, TODAY)
    # 2025-09-10 + 15 WD = 2025-09-30 (Sun 09-28 is a make-up day); resumes on 2025-10-01
    assert result.fired == [("A", "opinion_deadline_passed", date(2025, 10, 1))]
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
    # 13 WD remain from 2025-10-01 (holiday until 10-08, make-up Sat 10-11) → 2025-10-24
    assert row.state == "received" and row.reply_due == date(2025, 10, 24)


def test_provisional_expiry_is_held_for_an_approver(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2026-11-23")
        act(s, case, "request_correction", "2026-11-24", period_wd=40)
    (timer,) = _timers(engine)
    assert timer.provisional and timer.due_on.year == 2027
    far = date(2027, 6, 30)
    with unit_of_work(engine) as s:
        result = run_due(s, far, far)
    assert result.fired == [] and [r for r, *_ in result.held] == ["A"]
    with Session(engine) as s:
        assert s.exec(select(Case)).one().state == "correction_requested"


def test_an_action_after_an_unapplied_expiry_meets_the_expiry_first(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)  # expires 2025-10-24
    # the sweeper has not run; the correction is recorded as arriving after the period
    with (
        pytest.raises(ActionError, match="期限已届满：2025-10-24 已由系统作"),
        unit_of_work(engine) as s,
    ):
        act(s, case, "receive_correction", "2025-10-27")
    with unit_of_work(engine) as s:  # arriving on the period's last day is in time
        act(s, case, "receive_correction", "2025-10-23")
    with Session(engine) as s:
        assert s.exec(select(Case)).one().state == "received"


def test_confirmed_expiry_takes_effect_the_day_after_the_period(engine: Engine) -> None:
    from casework.services.perform import perform
    from workflows.roles import Actor, ActorKind, Role

    approver = Actor(ActorKind.USER, "li", frozenset({Role.APPROVER}))
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2026-11-23")
        act(s, case, "request_correction", "2026-11-24", period_wd=40)
    (timer,) = _timers(engine)
    later = date(2027, 6, 30)
    with unit_of_work(engine) as s:
        done = perform(
            s, case_id=case.id, action="confirm_expiry", payload={}, actor=approver, today=later
        )
    assert done.event.effective_on == timer.fire_on  # not the day of the confirmation
    assert done.case.concluded_on == timer.fire_on
    assert done.case.outcome == "other.correction_not_submitted"
    with pytest.raises(ActionError, match="依法为"), unit_of_work(engine) as s:
        case2 = register(s, "B", "2026-11-23")
        act(s, case2, "request_correction", "2026-11-24", period_wd=40)
        perform(
            s,
            case_id=case2.id,
            action="confirm_expiry",
            payload={},
            actor=approver,
            today=later,
            on=later,
        )


def test_fee_figures_count_notices_and_payments_of_the_year(engine: Engine) -> None:
    from casework.services.directory import agency_by_code
    from casework.statistics.figures import report
    from casework.timeutil import utcnow

    with unit_of_work(engine) as s:
        agency(s)
        a = register(s, "A", "2025-09-01")
        act(s, a, "issue_fee_notice", "2025-09-05", amount="300.50", basis="per_item")
        act(s, a, "receive_payment", "2025-09-10")
        b = register(s, "B", "2025-12-01")
        act(s, b, "issue_fee_notice", "2025-12-10", amount="200", basis="per_volume")
    with Session(engine) as s:
        fees = report(s, agency_by_code(s, "zhz"), 2025, utcnow()).fees
    assert fees == {
        "notices": 2,
        "amount_notified_yuan": "500.50",
        "payments": 1,
        "amount_collected_yuan": "300.50",
    }
