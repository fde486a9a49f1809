"""An agency's policy through its one door (`agency_policy`): every field's problem at once, in
Chinese, by field; a change applied moves the open cases' reminders only when it matters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.services import agency_policy, calendars, directory
from casework.services.agency_policy import PolicyChange
from tests.casework.services.helpers import agency


def test_every_problem_is_named_by_its_field() -> None:
    change = PolicyChange(remind_at="25:00", remind_before_wd="5,99", post_grace_days=31,
                          correction_period_wd=0, webhook_url="ftp://x", report_due="02-29",
                          notice_number_pattern="{简称}", short_name="长" * 33,
                          review_body="某区人民政府")  # fmt: skip
    found = agency_policy.problems(change)
    assert set(found) == {"remind_at", "remind_before_wd", "post_grace_days",
                          "correction_period_wd", "webhook_url", "report_due",
                          "notice_number_pattern", "short_name"}  # fmt: skip
    assert found["remind_at"] == "提醒时刻应为“时:分”，例如“09:00”，而不是“25:00”"
    assert found["post_grace_days"] == "邮寄宽限须在 0 至 30 日之间"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in found.values())
    assert agency_policy.problems(PolicyChange(remind_at="8:30", report_due="")) == {}


def test_apply_refuses_the_first_problem_and_changes_nothing(engine: Engine) -> None:
    with pytest.raises(Invalid) as refused, unit_of_work(engine) as s:
        agency(s)
        found = directory.agency_by_code(s, "zhz")
        agency_policy.apply(s, found, PolicyChange(short_name="漳街", remind_at="x"))
    assert refused.value.field == "remind_at"


def test_apply_normalises_and_reports_what_changed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        found = directory.agency_by_code(s, "zhz")
        changed = agency_policy.apply(s, found, PolicyChange(
            remind_before_wd="1，3", remind_at="8:05", report_due="03-31",
            short_name=" 漳街 ", notice_number_pattern="", escalate_overdue=True))  # fmt: skip
    assert changed == ["remind_before_wd", "remind_at", "report_due", "short_name"]
    with Session(engine) as s:
        found = directory.agency_by_code(s, "zhz")
        assert (found.remind_before_wd, found.remind_at, found.report_due, found.short_name) == (
            "3,1", "08:05", "03-31", "漳街")  # fmt: skip
        assert found.notice_number_pattern is None


def test_next_years_notice_is_missing_from_1_november(engine: Engine) -> None:
    with Session(engine) as s:
        assert calendars.notice_missing(s, date(2026, 10, 31)) is None
        assert calendars.notice_missing(s, date(2026, 11, 1)) == 2027
        assert calendars.notice_missing(s, date(2025, 11, 20)) is None  # 2026 is in the package
    with unit_of_work(engine) as s:
        calendars.confirm_year(s, 2027, "国办发明电〔2026〕1号", "test")
    with Session(engine) as s:
        assert calendars.notice_missing(s, date(2026, 11, 26)) is None
