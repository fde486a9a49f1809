"""Reminders by agency policy, escalation, expiry and calendar alerts, the daily digest and
calendar check: each raised once (the alert ledger), to the right people."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.models import Alert, Case, Delivery, Timer
from casework.services import daily
from casework.services.calendars import calendar_for, confirm_year, set_override
from casework.services.directory import agency_by_code, set_reminder_policy
from casework.services.recompute import with_recompute
from casework.services.replay import load_file, replay
from casework.services.sweep import claim_due, fire_timer, fire_timers
from casework.timeutil import CHINA
from tests.casework.services.alerting import at, inbox_of, live_reminders, people
from tests.casework.services.helpers import act, register


def _sweep(engine: Engine, day: str, hour: int = 12) -> list[str]:
    """One sweep at that moment, firing what it claims (as the workers do)."""
    now = at(day, hour)
    with unit_of_work(engine) as s:
        ids = claim_due(s, now)
    outcomes = []
    for timer_id in ids:
        with unit_of_work(engine) as s:
            outcomes.append(fire_timer(s, timer_id, now.astimezone(CHINA).date()).outcome)
    return outcomes


def _registered(engine: Engine, received: str = "2026-11-02") -> int:
    with unit_of_work(engine) as s:
        people(s)
        case = register(s, "R1", received)
        act(s, case, "assign", received, handler="li")
        assert case.id is not None
        return case.id


def test_registration_schedules_reminders_by_the_default_policy(engine: Engine) -> None:
    _registered(engine)
    with Session(engine) as s:
        case = s.exec(select(Case)).one()
        reply_due = case.reply_due
        assert reply_due is not None
        calendar = calendar_for(s, case.agency_id)
        reply = {t.threshold: t for t in live_reminders(s) if t.clock == "reply"}
    assert set(reply) == {"before:5", "before:2", "due", "overdue"}
    for threshold, left in [("before:5", 5), ("before:2", 2), ("due", 0)]:
        timer = reply[threshold]
        assert timer.due_on == reply_due and calendar.is_workday(timer.fire_on)
        assert calendar.count_between(timer.fire_on, reply_due) == left
        assert timer.fire_at.astimezone(CHINA).time() == time(9, 0)
    overdue = reply["overdue"].fire_on
    assert calendar.count_between(reply_due, overdue) == 1 and calendar.is_workday(overdue)


def test_a_reminder_is_sent_once_to_the_handler_at_its_hour(engine: Engine) -> None:
    _registered(engine)
    with Session(engine) as s:
        timer = next(t for t in live_reminders(s) if t.threshold == "before:5")
        day = timer.fire_on.isoformat()
    assert "fired" not in _sweep(engine, day, hour=8)  # 08:00: not yet
    assert _sweep(engine, day, hour=9).count("fired") == 1
    assert _sweep(engine, day, hour=10) == []  # nothing more to claim
    with unit_of_work(engine) as s:
        assert timer.id is not None
        assert fire_timer(s, timer.id, date.fromisoformat(day)).outcome == "gone"  # redelivered
    with Session(engine) as s:
        (alert,) = inbox_of(s, "li")
        assert alert.kind == "reminder" and "还剩5个工作日" in alert.subject
        assert "期限计算" in alert.body and "/cases/" in (alert.link or "")
        assert "张三" not in alert.body  # no applicant's personal data in an alert
        assert inbox_of(s, "wang") == []  # a reminder is for the handler only


def test_a_reminder_whose_day_passed_is_skipped_not_sent(engine: Engine) -> None:
    _registered(engine)
    with Session(engine) as s:
        timer = next(t for t in live_reminders(s) if t.threshold == "before:5")
        later = s.exec(select(Case)).one().reply_due
    assert later is not None and timer.fire_on < later
    outcomes = _sweep(engine, later.isoformat(), hour=8)  # the worker was down for days
    assert "skipped" in outcomes and "fired" not in outcomes
    with Session(engine) as s:
        assert inbox_of(s, "li") == []


def test_pausing_cancels_reminders_and_a_restarted_clock_reminds_again(engine: Engine) -> None:
    case_id = _registered(engine)
    with Session(engine) as s:
        first = {t.key for t in live_reminders(s) if t.clock == "reply"}
    with unit_of_work(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        act(s, case, "request_correction", "2026-11-04", period_wd=15)
    with Session(engine) as s:
        assert [t for t in live_reminders(s) if t.clock == "reply"] == []
        cancelled = s.exec(select(Timer).where(Timer.status == "cancelled")).all()
        assert first <= {t.key for t in cancelled}
    with unit_of_work(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        act(s, case, "receive_correction", "2026-11-10")
    with Session(engine) as s:
        again = {t.key for t in live_reminders(s) if t.clock == "reply"}
    assert len(again) == 4 and not again & first  # a new anchor event: new ledger keys


def test_overdue_escalates_to_approvers_and_the_district_office(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        people(s, webhook="http://hooks.test")
        case = register(s, "R1", "2026-11-02")
        act(s, case, "assign", "2026-11-02", handler="li")
    with Session(engine) as s:
        overdue = next(t for t in live_reminders(s) if t.threshold == "overdue")
    assert _sweep(engine, overdue.fire_on.isoformat(), hour=9).count("fired") >= 1
    with Session(engine) as s:
        alert = next(a for a in s.exec(select(Alert)).all() if a.kind == "overdue")
        for user in ("li", "wang", "zhao"):
            assert alert in inbox_of(s, user)
        assert alert not in inbox_of(s, "admin")
        hooks = {d.target for d in s.exec(select(Delivery)).all() if d.channel == "webhook"}
        assert {"http://hooks.test/street", "http://hooks.test/district"} <= hooks
        assert "已逾期" in alert.subject and "同时发送负责人及政务公开办" in alert.body


def test_an_applied_expiry_is_told_to_the_handler(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        people(s)
        case = register(s, "R1", "2025-09-22")
        act(s, case, "assign", "2025-09-22", handler="li")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
    assert "fired" in _sweep(engine, "2026-11-26")
    with Session(engine) as s:
        assert s.exec(select(Case)).one().outcome == "other.correction_not_submitted"
        (alert,) = [a for a in inbox_of(s, "li") if a.kind == "expired"]
        assert "申请人补正期限已届满" in alert.subject and "逾期未补正" in alert.body


def test_a_moved_deadline_is_told_to_the_handler(engine: Engine) -> None:
    case_id = _registered(engine)
    with Session(engine) as s:
        old_due = s.exec(select(Case)).one().reply_due
    assert old_due is not None
    with unit_of_work(engine) as s:
        with_recompute(
            s,
            lambda: set_override(s, date(2026, 11, 20), False, "临时停工通知", "admin"),
            "临时停工通知",
        )
    with Session(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None and case.reply_due is not None and case.reply_due > old_due
        (alert,) = [a for a in inbox_of(s, "li") if a.kind == "moved"]
        assert old_due.isoformat() in alert.subject and case.reply_due.isoformat() in alert.subject
        reminders = {t.threshold: t for t in live_reminders(s) if t.clock == "reply"}
        assert reminders["due"].fire_on == case.reply_due  # the reminders moved too


def test_a_policy_change_moves_the_open_cases_reminders(engine: Engine) -> None:
    _registered(engine)
    with unit_of_work(engine) as s:
        set_reminder_policy(s, agency_by_code(s, "zhz"), "3", "08:30", False)
    with Session(engine) as s:
        reply = {t.threshold: t for t in live_reminders(s) if t.clock == "reply"}
    assert set(reply) == {"before:3", "due"}
    assert reply["due"].fire_at.astimezone(CHINA).time() == time(8, 30)


def test_the_overdue_digest_goes_out_once_a_working_day(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        people(s)
        register(s, "R1", "2026-09-01")  # reply due in early October, never answered
    with unit_of_work(engine) as s:
        assert daily.overdue_digests(s, at("2026-11-26", 8)) == []  # before 09:00
    with unit_of_work(engine) as s:
        raised = daily.overdue_digests(s, at("2026-11-26", 9, 30))
        assert sorted(a.key for a in raised) == ["digest:1:2026-11-26", "digest:2:2026-11-26"]
    with unit_of_work(engine) as s:
        assert daily.overdue_digests(s, at("2026-11-26", 15)) == []  # once a day
        assert daily.overdue_digests(s, at("2026-11-28", 10)) == []  # a Saturday
    with Session(engine) as s:
        (street,) = [a for a in inbox_of(s, "wang") if a.kind == "digest"]
        (district,) = [a for a in inbox_of(s, "zhao") if a.kind == "digest"]
        assert "R1" in street.body and "已逾期" in street.body
        assert "含下级机关" in district.subject and "某街道办事处" in district.body
        assert inbox_of(s, "li") == []


def test_the_calendar_check_reminds_admins_until_next_year_is_loaded(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        people(s)
    with unit_of_work(engine) as s:
        assert daily.calendar_check(s, at("2026-10-30", 10)) is None  # before November
        alert = daily.calendar_check(s, at("2026-11-26", 10))
        assert alert is not None and "2027" in alert.subject
        assert daily.calendar_check(s, at("2026-11-26", 16)) is None  # once a day
    with Session(engine) as s:
        assert [a.kind for a in inbox_of(s, "admin")] == ["calendar"]
        assert inbox_of(s, "li") == []
    with unit_of_work(engine) as s:
        confirm_year(s, 2027, "国办发明电〔2026〕号", "admin")
    with unit_of_work(engine) as s:
        assert daily.calendar_check(s, at("2026-11-27", 10)) is None


def test_a_replayed_history_sends_nothing_for_past_time(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        people(s)
        case = register(s, "OLD", "2024-03-04")
        act(s, case, "assign", "2024-03-04", handler="li")
        act(s, case, "request_correction", "2024-03-08", period_wd=15)
        act(s, case, "receive_correction", "2024-03-20")
    outcomes = _sweep(engine, "2026-11-26", hour=9)
    assert "skipped" in outcomes
    with Session(engine) as s:
        assert [a.kind for a in s.exec(select(Alert)).all()] == []


def test_replaying_the_sample_history_raises_no_alert(engine: Engine) -> None:
    """The sample's four deemed abandonments are applied by the system's own expiry during the
    import — and told to nobody: they happened in 2023."""
    data = load_file(Path(__file__).parents[3] / "examples" / "sample-2023.json")
    with unit_of_work(engine) as s:
        result = replay(s, data, date(2026, 11, 26), date(2026, 11, 26))
        assert len(result.expiries) == 4
    with Session(engine) as s:
        assert s.exec(select(Alert)).all() == []


def test_a_batch_of_reminders_fires_as_one_at_a_time_would(engine: Engine) -> None:
    """The worker fires claimed timers a batch per transaction: the same alerts, recipients
    and outcomes as firing them one by one, a case moved on since the claim included."""
    with unit_of_work(engine) as s:
        people(s)
        cases = [register(s, f"R{i}", "2026-11-02") for i in range(6)]
        for case in cases[1::2]:
            act(s, case, "assign", "2026-11-02", handler="li")
        ids = {case.ref: case.id for case in cases}
        first = next(t for t in live_reminders(s) if t.threshold == "before:5")
        day, clock = first.fire_on, first.clock
    with unit_of_work(engine) as s:
        claimed = claim_due(s, at(day.isoformat(), 9))
        timers = s.exec(select(Timer).where(col(Timer.id).in_(claimed))).all()
        of = {
            s.get(Case, t.case_id).ref: t.id  # type: ignore[union-attr]
            for t in timers
            if (t.clock, t.threshold, t.fire_on) == (clock, "before:5", day)
        }
        for ref in ("R2", "R5"):  # moved on after the claim: the reminder no longer applies
            act(s, s.get(Case, ids[ref]), "request_correction", day.isoformat(), period_wd=15)  # type: ignore[arg-type]
    assert sorted(of) == [f"R{i}" for i in range(6)]
    batch = [of["R2"], of["R0"], of["R1"], 10**9]  # 10**9: no such timer (gone)
    with unit_of_work(engine) as s:
        outcomes = [f.outcome for f in fire_timers(s, batch, day)]
    assert outcomes == ["gone", "fired", "fired", "gone"]
    single = []
    for ref in ("R3", "R4", "R5"):
        with unit_of_work(engine) as s:
            single.append(fire_timer(s, of[ref], day).outcome)
    assert single == ["fired", "fired", "gone"]
    with unit_of_work(engine) as s:  # redelivered: nothing more
        assert [f.outcome for f in fire_timers(s, batch, day)] == ["gone"] * 4
    with Session(engine) as s:
        alerts = {a.case_id: a for a in s.exec(select(Alert))}
        assert set(alerts) == {ids[r] for r in ("R0", "R1", "R3", "R4")}

        def text(ref: str) -> str:
            alert = alerts[ids[ref]]
            return (
                (alert.subject + alert.body)
                .replace(ref, "R")
                .replace(f"/cases/{ids[ref]}", "/cases/N")
            )

        assert text("R0") == text("R4")  # unassigned: told to the agency's clerks
        assert text("R1") == text("R3") != text("R0")  # assigned: names the handler
        assert len(inbox_of(s, "li")) == 4 and inbox_of(s, "wang") == []
        statuses = {t.id: t.status for t in s.exec(select(Timer).where(col(Timer.id).in_(claimed)))}
        assert [statuses[of[r]] for r in sorted(of)] == ["done"] * 2 + ["cancelled"] + [
            "done"
        ] * 2 + ["cancelled"]
