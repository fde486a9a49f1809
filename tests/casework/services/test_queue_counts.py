"""The work queue's figures (casework.services.queue_counts) on both backends: open, due this
week, overdue, concluded this year and the on-time share of this year's replies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.models import Case
from casework.services.directory import agency_by_code
from casework.services.queue_counts import QueueCounts, queue_counts, week_end
from tests.casework.services.helpers import TODAY, act, agency, register
from workflows.outcomes import ANSWERED_OUTCOMES

REPLY = sorted(ANSWERED_OUTCOMES)[0]  # any reply on the information


def _counts(engine: Engine, *codes: str) -> QueueCounts:
    with Session(engine) as s:
        ids = [agency_by_code(s, c).id or 0 for c in codes]
        return queue_counts(s, ids, TODAY)


def test_the_week_ends_on_sunday() -> None:
    assert week_end(date(2026, 11, 26)) == date(2026, 11, 29)  # Thursday → Sunday
    assert week_end(date(2026, 11, 29)) == date(2026, 11, 29)
    assert week_end(date(2026, 11, 30)) == date(2026, 12, 6)


def test_nothing_to_count_is_zero_and_no_rate(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
    counts = _counts(engine, "zhz")
    assert counts == QueueCounts(0, 0, 0, 0, 0, 0)
    assert counts.on_time_rate is None
    with Session(engine) as s:
        assert queue_counts(s, [], TODAY) == QueueCounts(0, 0, 0, 0, 0, 0)


def test_each_figure_counts_its_own_cases(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "other")
        fresh = register(s, "FRESH", "2026-11-20")  # open, due in December
        this_week = register(s, "WEEK", "2026-10-29")  # open, due this week
        late = register(s, "LATE", "2026-10-09")  # open, reply overdue
        paused = register(s, "PAUSED", "2026-10-09")  # open, the reply clock paused
        act(s, paused, "request_correction", "2026-10-12", items=["请明确所需文件名称"])
        on_time = register(s, "ONTIME", "2026-03-02")
        act(s, on_time, "reply", "2026-03-10", outcome=REPLY)
        replied_late = register(s, "REPLATE", "2026-01-05")
        act(s, replied_late, "reply", "2026-03-20", outcome=REPLY)
        withdrawn = register(s, "WITHDRAWN", "2026-06-01")  # concluded, but not a reply
        act(s, withdrawn, "withdraw", "2026-06-03")
        last_year = register(s, "2025", "2025-11-03")  # replied last year
        act(s, last_year, "reply", "2025-11-10", outcome=REPLY)
        voided = register(s, "VOID", "2026-11-02")  # registered by mistake
        act(s, voided, "void", "2026-11-03", reason="重复登记")
        register(s, "ELSEWHERE", "2026-10-09", code="other")  # another agency's overdue case
        dues = {c.ref: c.reply_due for c in (fresh, this_week, late, paused)}
    assert dues["WEEK"] is not None and TODAY <= dues["WEEK"] <= week_end(TODAY)
    assert dues["FRESH"] is not None and dues["FRESH"] > week_end(TODAY)
    assert dues["LATE"] is not None and dues["LATE"] < TODAY
    assert dues["PAUSED"] is None  # paused: no running reply date

    counts = _counts(engine, "zhz")
    assert counts == QueueCounts(
        open=4,
        due_this_week=1,
        overdue=1,
        concluded_this_year=3,  # on time, late, withdrawn
        replies_this_year=2,
        replies_on_time=1,
    )
    assert counts.on_time_rate == 0.5
    both = _counts(engine, "zhz", "other")
    assert (both.open, both.overdue) == (5, 2)


def test_a_reply_on_the_due_day_is_on_time_and_a_day_later_is_not(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        due_day = register(s, "DUEDAY", "2026-09-01")
        next_day = register(s, "NEXTDAY", "2026-09-01")
        due = due_day.reply_due
        assert due is not None
        act(s, due_day, "reply", due.isoformat(), outcome=REPLY)
        act(s, next_day, "reply", date.fromordinal(due.toordinal() + 1).isoformat(),
            outcome=REPLY)  # fmt: skip
    counts = _counts(engine, "zhz")
    assert (counts.replies_this_year, counts.replies_on_time) == (2, 1)


def test_an_extended_reply_is_measured_against_the_extended_due_day(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "EXT", "2026-09-01")
        first_due = case.reply_due
        assert first_due is not None
        act(s, case, "extend", "2026-09-10", days_wd=10, reason="需调取档案")
        row = s.get_one(Case, case.id)
        assert row.reply_due is not None and row.reply_due > first_due
        act(s, row, "reply", row.reply_due.isoformat(), outcome=REPLY)
    counts = _counts(engine, "zhz")
    assert (counts.replies_this_year, counts.replies_on_time) == (1, 1)
