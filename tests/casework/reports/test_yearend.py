"""The annual report's season: the draft on 1 January, reminders on the cadence days, the
escalation after the due day, and silence once the year is published."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from casework.db import unit_of_work
from casework.models import Alert, ReportInput, ReportPublication
from casework.reports import yearend
from casework.reports.narratives import SYSTEM_ACTOR, saved_narratives, set_narratives
from casework.services.directory import agency_by_code
from casework.timeutil import utcnow
from tests.casework.services.alerting import at, inbox_of, people
from tests.casework.services.helpers import register

NEW_YEAR = "2027-01-01"


def _office(engine: Engine) -> None:
    """The district office `qu` (approver zhao, admin) over the street office `zhz` (clerk
    li, approver wang), which received one request in 2026."""
    with unit_of_work(engine) as s:
        people(s)
        register(s, "2026-001", "2026-03-02")


def _run(engine: Engine, day: str, hour: int = 10) -> list[Alert]:
    with unit_of_work(engine) as s:
        return yearend.run(s, at(day, hour))


def _agency_id(engine: Engine, code: str) -> int:
    with Session(engine) as s:
        ident = agency_by_code(s, code).id
    assert ident is not None
    return ident


def _kinds(alerts: list[Alert], agency_id: int) -> list[str]:
    return [a.kind for a in alerts if a.agency_id == agency_id]


def test_on_new_years_day_the_clerks_get_a_draft_with_the_years_numbers(engine: Engine) -> None:
    _office(engine)
    raised = _run(engine, NEW_YEAR)
    street = _agency_id(engine, "zhz")
    assert _kinds(raised, street) == ["report_draft"]
    with Session(engine) as s:
        (alert,) = inbox_of(s, "li")
        draft = saved_narratives(s, street, 2026)
    assert (
        alert.kind == "report_draft" and "2026年政府信息公开工作年度报告草稿已生成" in alert.subject
    )
    assert "新收政府信息公开申请1件" in alert.body and "2027-01-31" in alert.body
    assert alert.link is not None and alert.link.endswith("/reports/2026?agency=zhz")
    assert draft is not None and draft.revision == 1 and draft.recorded_by == SYSTEM_ACTOR
    assert draft.is_starter and "新收政府信息公开申请1件" in draft.overview


def test_running_the_job_twice_a_day_drafts_and_tells_once(engine: Engine) -> None:
    _office(engine)
    first = _run(engine, NEW_YEAR)
    again = _run(engine, NEW_YEAR, 15)
    with Session(engine) as s:
        revisions = s.exec(select(func.count()).select_from(ReportInput)).one()
        alerts = s.exec(select(func.count()).select_from(Alert)).one()
    assert len(first) == 2 and again == []
    assert revisions == 2 and alerts == 2  # one draft per agency (zhz and qu)


def test_nothing_happens_before_the_agencys_reminder_hour(engine: Engine) -> None:
    _office(engine)
    assert _run(engine, NEW_YEAR, 8) == []


def test_a_text_saved_before_the_draft_is_kept(engine: Engine) -> None:
    _office(engine)
    with unit_of_work(engine) as s:
        texts = {"overview": "经办人写的。", "problems": "", "other": ""}
        set_narratives(s, agency_by_code(s, "zhz"), 2026, texts, "li")
    _run(engine, NEW_YEAR)
    with Session(engine) as s:
        saved = saved_narratives(s, _agency_id(engine, "zhz"), 2026)
        (alert,) = inbox_of(s, "li")
    assert saved is not None and saved.revision == 1 and saved.overview == "经办人写的。"
    assert alert.kind == "report_draft"


def test_reminders_come_weekly_then_daily_on_working_days_only(engine: Engine) -> None:
    _office(engine)
    _run(engine, NEW_YEAR)
    street = _agency_id(engine, "zhz")
    reminded = []
    day = date(2027, 1, 2)
    while day <= date(2027, 1, 31):
        if _kinds(_run(engine, day.isoformat()), street) == ["report_due"]:
            reminded.append(day.day)
        day += timedelta(days=1)
    # Mondays 4 and 11 (weekly); from Friday 15 (10 working days before Sunday 31) daily
    assert reminded == [4, 11, 15, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29]


def test_a_reminder_counts_the_working_days_left(engine: Engine) -> None:
    _office(engine)
    _run(engine, NEW_YEAR)
    _run(engine, "2027-01-25")
    with Session(engine) as s:
        alert = inbox_of(s, "li")[-1]
    assert alert.kind == "report_due" and "还有4个工作日" in alert.subject
    assert "【请填写：…】" in alert.body and "未填写" in alert.body


def test_after_the_due_day_the_approvers_and_the_district_office_are_told(engine: Engine) -> None:
    _office(engine)
    _run(engine, NEW_YEAR)
    raised = _run(engine, "2027-02-01")
    street = _agency_id(engine, "zhz")
    assert _kinds(raised, street) == ["report_overdue"]
    with Session(engine) as s:
        for user in ("li", "wang", "zhao"):
            got = [a for a in inbox_of(s, user) if a.agency_id == street]
            assert got[-1].kind == "report_overdue", user
        (alert,) = [a for a in raised if a.agency_id == street]
    assert "已逾期" in alert.body and "政务公开办" in alert.body


def test_nothing_more_once_the_year_is_published(engine: Engine) -> None:
    _office(engine)
    _run(engine, NEW_YEAR)
    street = _agency_id(engine, "zhz")
    with unit_of_work(engine) as s:
        s.add(ReportPublication(agency_id=street, year=2026, as_of=utcnow(), figures={},
                                content_hash="0" * 64, published_by="wang"))  # fmt: skip
    assert _kinds(_run(engine, "2027-01-15"), street) == []
    assert _kinds(_run(engine, "2027-02-01"), street) == []
    assert _kinds(_run(engine, "2027-02-01"), _agency_id(engine, "qu")) == []  # told already


def test_an_agency_without_clerks_has_its_draft_sent_to_its_approvers(engine: Engine) -> None:
    _office(engine)
    _run(engine, NEW_YEAR)
    district = _agency_id(engine, "qu")
    with Session(engine) as s:
        got = [a for a in inbox_of(s, "zhao") if a.agency_id == district]
        admins = [a for a in inbox_of(s, "admin") if a.agency_id == district]
    assert [a.kind for a in got] == ["report_draft"] and admins == []
    assert "本机关尚无经办人" in got[0].body


def test_a_year_not_drafted_by_its_due_day_is_left_alone(engine: Engine) -> None:
    """A new installation after the due day: that year's report was made elsewhere."""
    _office(engine)
    assert _run(engine, "2027-02-01") == []
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(ReportInput)).one() == 0


def test_an_agencys_own_due_day_sets_its_season(engine: Engine) -> None:
    _office(engine)
    with unit_of_work(engine) as s:
        street = agency_by_code(s, "zhz")
        street.report_due = "03-31"  # a government's own report (条例第四十九条)
        s.add(street)
    _run(engine, NEW_YEAR)
    raised = _run(engine, "2027-02-01")  # a Monday: the weekly reminder, not overdue
    assert _kinds(raised, _agency_id(engine, "zhz")) == ["report_due"]
    with Session(engine) as s:
        drafts = s.exec(select(Alert).where(col(Alert.kind) == "report_draft")).all()
    assert any("2027-03-31" in a.body for a in drafts)
