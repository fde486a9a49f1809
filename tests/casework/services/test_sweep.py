"""The sweep and fire functions: atomic claims, stale claims retaken, firing is idempotent."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.models import Alert, Case, CaseEvent, Timer
from casework.services.calendars import confirm_year
from casework.services.recompute import with_recompute
from casework.services.sweep import claim_due, fire_timer
from casework.timeutil import china_instant, utcnow
from tests.casework.services.helpers import TODAY, act, agency, register

NOW = china_instant(TODAY, time(12))


def _expiring(engine: Engine, n: int) -> None:
    """n cases whose correction period ran out on 2025-10-23 (expiry fires 2025-10-24)."""
    with unit_of_work(engine) as s:
        agency(s)
        for i in range(n):
            case = register(s, f"C{i}", "2025-09-22")
            act(s, case, "request_correction", "2025-09-26", period_wd=15)


def test_claim_takes_only_due_timers_once(engine: Engine) -> None:
    _expiring(engine, 3)
    with unit_of_work(engine) as s:
        assert claim_due(s, china_instant(date(2025, 10, 23), time(23, 59))) == []  # not due yet
    with unit_of_work(engine) as s:
        first = claim_due(s, NOW)
    with unit_of_work(engine) as s:
        second = claim_due(s, NOW)
    assert len(first) == 3 and second == []


def test_overlapping_sweeps_never_claim_the_same_timer(engine: Engine) -> None:
    _expiring(engine, 12)
    barrier = threading.Barrier(3)
    claimed: list[list[int]] = []

    def sweep() -> None:
        barrier.wait()
        with unit_of_work(engine) as s:
            claimed.append(claim_due(s, NOW, limit=5))

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    everything = [i for batch in claimed for i in batch]
    assert len(everything) == len(set(everything)) == 12


def test_stale_claims_are_retaken(engine: Engine) -> None:
    """Claims are leases on the wall clock: they go stale even while an injected clock (a
    fixed CASEWORK_TODAY, `now` here) stands still."""
    _expiring(engine, 1)
    start = utcnow()
    with unit_of_work(engine) as s:
        (timer_id,) = claim_due(s, NOW, wall=start)
    with unit_of_work(engine) as s:  # the worker that held it died; the claim is still fresh
        assert claim_due(s, NOW, wall=start + timedelta(minutes=9)) == []
    with unit_of_work(engine) as s:
        assert claim_due(s, NOW, wall=start + timedelta(minutes=11)) == [timer_id]


def test_firing_twice_applies_the_expiry_once(engine: Engine) -> None:
    _expiring(engine, 1)
    with unit_of_work(engine) as s:
        (timer_id,) = claim_due(s, NOW)
    with unit_of_work(engine) as s:
        assert fire_timer(s, timer_id, TODAY).outcome == "fired"
    with unit_of_work(engine) as s:  # a redelivered task
        assert fire_timer(s, timer_id, TODAY).outcome == "gone"
    with Session(engine) as s:
        case = s.exec(select(Case)).one()
        actions = [e.action for e in s.exec(select(CaseEvent)).all()]
        assert case.outcome == "other.correction_not_submitted"
        assert actions.count("correction_deadline_passed") == 1
        assert s.exec(select(Timer).where(Timer.kind == "expiry")).one().status == "done"


def test_a_timer_the_case_moved_past_is_not_applied(engine: Engine) -> None:
    _expiring(engine, 1)
    with unit_of_work(engine) as s:
        (timer_id,) = claim_due(s, NOW)
    with unit_of_work(engine) as s:  # the correction had arrived on the last day
        case = s.exec(select(Case)).one()
        act(s, case, "receive_correction", "2025-10-23")
    with unit_of_work(engine) as s:
        assert fire_timer(s, timer_id, TODAY).outcome == "gone"
    with Session(engine) as s:
        assert s.exec(select(Case)).one().state == "received"


def test_a_provisional_expiry_is_held_and_told_once(engine: Engine) -> None:
    """An applicant's period ending in a year with no holiday notice is never applied by the
    system: the sweep holds it and tells the handler and approvers once."""
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "P", "2026-11-23")
        act(s, case, "request_correction", "2026-11-24", period_wd=40)
    june = china_instant(date(2027, 6, 30), time(12))
    with unit_of_work(engine) as s:
        expiry = s.exec(select(Timer).where(Timer.kind == "expiry")).one()
        assert expiry.provisional and expiry.id in claim_due(s, june)
    with unit_of_work(engine) as s:
        assert expiry.id is not None
        assert fire_timer(s, expiry.id, date(2027, 6, 30)).outcome == "held"
    with unit_of_work(engine) as s:
        assert claim_due(s, june + timedelta(days=1)) == []  # held: not claimed again
        assert fire_timer(s, expiry.id, date(2027, 7, 1)).outcome == "gone"
    with Session(engine) as s:
        assert s.exec(select(Case)).one().state == "correction_requested"
        alerts = s.exec(select(Alert)).all()
        assert [a.kind for a in alerts] == ["held"] and "暂定" in alerts[0].subject


def test_a_held_expiry_applies_once_the_year_is_confirmed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "P", "2026-11-23")
        act(s, case, "request_correction", "2026-11-24", period_wd=40)
    june = china_instant(date(2027, 6, 30), time(12))
    with unit_of_work(engine) as s:
        claim_due(s, june)
        expiry = s.exec(select(Timer).where(Timer.kind == "expiry")).one()
        assert expiry.status == "claimed" and expiry.id is not None
        expiry_id = expiry.id
    with unit_of_work(engine) as s:
        assert fire_timer(s, expiry_id, date(2027, 6, 30)).outcome == "held"
    with unit_of_work(engine) as s:  # the State Council's notice for 2027 is loaded
        with_recompute(s, lambda: confirm_year(s, 2027, "国办发明电〔2026〕号", "admin"), "载入")
    with Session(engine) as s:
        timer = s.get(Timer, expiry_id)
        assert timer is not None and timer.status == "pending" and not timer.provisional
    with unit_of_work(engine) as s:
        assert expiry_id in claim_due(s, june)
    with unit_of_work(engine) as s:
        assert fire_timer(s, expiry_id, date(2027, 6, 30)).outcome == "fired"
    with Session(engine) as s:
        assert s.exec(select(Case)).one().outcome == "other.correction_not_submitted"


def test_claims_stop_while_enough_wait_for_workers(engine: Engine) -> None:
    """A mass of due timers is handed out as fast as it is fired (back-pressure), so no claim
    ages in a queue until it goes stale."""
    _expiring(engine, 12)
    start = utcnow()
    with unit_of_work(engine) as s:
        first = claim_due(s, NOW, 5, wall=start, max_in_flight=8)
    with unit_of_work(engine) as s:
        second = claim_due(s, NOW, 5, wall=start, max_in_flight=8)  # only 3 more may wait
    with unit_of_work(engine) as s:
        assert claim_due(s, NOW, 5, wall=start, max_in_flight=8) == []
    assert len(first) == 5 and len(second) == 3
    for timer_id in first:  # the workers fire five
        with unit_of_work(engine) as s:
            assert fire_timer(s, timer_id, TODAY).outcome == "fired"
    with unit_of_work(engine) as s:
        third = claim_due(s, NOW, 5, wall=start, max_in_flight=8)
    assert len(third) == 4 and not set(third) & set(first + second)
