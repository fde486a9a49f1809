"""A calendar change moves open cases' deadlines: audited, no case version bumped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.models import CalendarAudit, Case, CaseEvent
from casework.services import calendars, recompute
from casework.services.directory import agency_by_code
from tests.casework.services.helpers import act, agency, register


def test_extra_day_off_moves_reply_due_and_is_audited(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2025-09-26")  # due Thu 2025-10-30
    with unit_of_work(engine) as s:
        _, moved = recompute.with_recompute(
            s,
            lambda: calendars.set_override(s, date(2025, 10, 20), False, "测试通知", "test"),
            reason="测试",
        )
    assert [(m.ref, m.clock, m.old_due, m.new_due) for m in moved] == [
        ("A", "reply", date(2025, 10, 30), date(2025, 10, 31))
    ]
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
        audit = s.exec(select(CalendarAudit)).one()
        assert row.reply_due == date(2025, 10, 31) and row.version == 1
        assert (audit.old_due, audit.new_due, audit.clock) == (
            date(2025, 10, 30),
            date(2025, 10, 31),
            "reply",
        )
        assert len(s.exec(select(CaseEvent)).all()) == 1


def test_agency_override_only_moves_that_agencys_cases(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s, "a1")
        agency(s, "a2")
        register(s, "A", "2025-09-26", code="a1")
        register(s, "B", "2025-09-26", code="a2")
    with unit_of_work(engine) as s:
        a1 = agency_by_code(s, "a1")
        recompute.with_recompute(
            s,
            lambda: calendars.set_override(s, date(2025, 10, 20), False, "民族节日", "t", a1),
            reason="测试",
            agency_id=a1.id,
        )
    with Session(engine) as s:
        dues = {c.ref: c.reply_due for c in s.exec(select(Case)).all()}
    assert dues == {"A": date(2025, 10, 31), "B": date(2025, 10, 30)}


def test_extra_working_day_moves_a_paused_clock_on_resume(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        act(s, case, "start_consultation", "2025-09-10", party="某公司")
        act(s, case, "receive_opinion", "2025-09-24", opinion="consent")  # due 2025-10-17
    with unit_of_work(engine) as s:
        _, moved = recompute.with_recompute(
            s,
            lambda: calendars.set_override(s, date(2025, 10, 12), True, "补班", "test"),
            reason="测试",
        )
    assert [(m.old_due, m.new_due) for m in moved] == [(date(2025, 10, 17), date(2025, 10, 16))]


def test_confirming_a_year_clears_the_provisional_flag(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2026-11-23")
        case = s.exec(select(Case)).one()
        act(s, case, "extend", "2026-11-24", days_wd=20, reason="复杂")
    with Session(engine) as s:
        assert s.exec(select(Case)).one().due_provisional
    with unit_of_work(engine) as s:
        recompute.with_recompute(
            s, lambda: calendars.confirm_year(s, 2027, "国办发明电〔2026〕X号", "t"), reason="载入"
        )
    with Session(engine) as s:
        assert not s.exec(select(Case)).one().due_provisional


def test_replacing_an_override_is_seen_at_once(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2025-09-26")  # due Thu 2025-10-30
    for workday, expected in ((False, date(2025, 10, 31)), (True, date(2025, 10, 30))):
        with unit_of_work(engine) as s:
            _, moved = recompute.with_recompute(
                s,
                lambda w=workday: calendars.set_override(s, date(2025, 10, 20), w, "通知", "t"),
                reason="测试",
            )
        assert [m.new_due for m in moved] == [expected]
