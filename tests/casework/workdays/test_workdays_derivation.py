"""The Chinese derivation lines shown with every deadline."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.workdays import OFFICIAL_YEARS, Override, WorkingCalendar, default_calendar

RUN = re.compile(r"^(不计|计入) (\d{4}-\d{2}-\d{2})（周.）(?:至 (\d{4}-\d{2}-\d{2})（周.）)?(.+)$")


def test_design_example() -> None:
    deadline = default_calendar().deadline(date(2024, 9, 27), 7)
    assert deadline.derivation == (
        "起算日 2024-09-27（周五）为第0日，自次日起计算7个工作日",
        "不计 2024-09-28（周六）周末",
        "计入 2024-09-29（周日）国庆节调休上班",
        "不计 2024-10-01（周二）至 2024-10-07（周一）国庆节放假",
        "计入 2024-10-12（周六）国庆节调休上班",
        "第7个工作日：2024-10-12（周六）",
    )


def test_spring_festival_2024_eve_was_a_working_day() -> None:
    lines = default_calendar().deadline(date(2024, 2, 8), 7).derivation
    assert lines == (
        "起算日 2024-02-08（周四）为第0日，自次日起计算7个工作日",
        "不计 2024-02-10（周六）至 2024-02-17（周六）春节放假",
        "计入 2024-02-18（周日）春节调休上班",
        "第7个工作日：2024-02-23（周五）",
    )


def test_combined_holiday_names_both() -> None:
    lines = default_calendar().deadline(date(2025, 9, 26), 7).derivation
    assert "不计 2025-10-01（周三）至 2025-10-08（周三）国庆节、中秋节放假" in lines
    assert lines[-1] == "第7个工作日：2025-10-13（周一）"


def test_provisional_deadline_says_so() -> None:
    deadline = default_calendar().deadline(date(2026, 12, 10), 20)
    if 2027 in OFFICIAL_YEARS:  # pragma: no cover - once the package ships 2027
        return
    assert deadline.derivation[-2] == "第20个工作日：2027-01-08（周五）（暂定）"
    assert deadline.derivation[-1] == (
        "2027年放假安排尚未公布（国务院办公厅通知未载入），"
        "按临时规则推算：仅周末及法定节日休息，日期为暂定"
    )
    assert "不计 2027-01-01（周五）至 2027-01-03（周日）元旦放假，周末" in deadline.derivation


def test_one_note_per_unconfirmed_year() -> None:
    lines = default_calendar().derivation(date(2026, 12, 1), date(2029, 1, 15))
    notes = [line for line in lines if "按临时规则推算" in line]
    expected = [year for year in (2027, 2028, 2029) if year not in OFFICIAL_YEARS]
    assert [int(note[:4]) for note in notes] == expected
    confirmed = WorkingCalendar(confirmed_years=[2027, 2028, 2029])
    lines = confirmed.derivation(date(2026, 12, 1), date(2029, 1, 15))
    assert not any("按临时规则推算" in line for line in lines)


def test_overrides_show_their_source() -> None:
    calendar = WorkingCalendar(
        [
            Override(date(2025, 10, 20), False, "区政府通知 2025-10-16"),
            Override(date(2025, 10, 25), True, "区政府通知 2025-10-17"),
        ]
    )
    lines = calendar.deadline(date(2025, 10, 15), 20).derivation
    assert (
        "不计 2025-10-18（周六）至 2025-10-20（周一）周末，管理员设定：区政府通知 2025-10-16"
        in lines
    )
    assert "计入 2025-10-25（周六）管理员设定：区政府通知 2025-10-17" in lines
    assert "不计 2025-10-26（周日）周末" in lines


def test_zero_days() -> None:
    deadline = default_calendar().deadline(date(2025, 10, 1), 0)
    assert deadline.due == date(2025, 10, 1)
    assert deadline.derivation == ("起算日 2025-10-01（周三）为第0日，期限为0个工作日，即当日",)


def test_span_derivation_frames() -> None:
    lines = default_calendar().derivation(date(2025, 9, 1), date(2025, 9, 10))
    assert lines == [
        "起算日 2025-09-01（周一）为第0日，计算至 2025-09-10（周三）",
        "不计 2025-09-06（周六）至 2025-09-07（周日）周末",
        "共计7个工作日",
    ]
    assert default_calendar().derivation(date(2025, 9, 10), date(2025, 9, 1))[-1] == "共计0个工作日"


spans = st.tuples(
    st.dates(min_value=date(2004, 1, 1), max_value=date(2099, 9, 1)),  # + 120 days stays in range
    st.integers(min_value=0, max_value=120),
)
overrides = st.lists(
    st.builds(
        Override,
        day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
        workday=st.booleans(),
        source=st.sampled_from(["甲通知", "乙通知"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(span=spans, data=overrides)
def test_lines_account_for_every_day(span: tuple[date, int], data: list[Override]) -> None:
    """Days in the "不计" runs plus the working days make up the whole span; runs are maximal."""
    start, length = span
    end = start + timedelta(days=length)
    calendar = WorkingCalendar(data)
    lines = calendar.derivation(start, end)
    skipped: list[date] = []
    previous_off_end: date | None = None
    for line in lines[1:]:
        match = RUN.match(line)
        if not match:
            continue
        verb, first_text, last_text, reason = match.groups()
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if last_text else first
        assert start < first <= last <= end
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        if verb == "不计":
            assert not any(calendar.is_workday(day) for day in days)
            assert previous_off_end is None or (first - previous_off_end).days > 1
            # A run never stops next to another non-working day.
            assert first - timedelta(days=1) == start or calendar.is_workday(
                first - timedelta(days=1)
            )
            assert last == end or calendar.is_workday(last + timedelta(days=1))
            skipped += days
            previous_off_end = last
        else:
            assert all(calendar.is_workday(day) for day in days)
            assert all(day.weekday() >= 5 or day in {o.day for o in data} for day in days), line
        assert reason
    count = calendar.count_between(start, end)
    assert len(skipped) + count == (end - start).days
    notes = sum("按临时规则推算" in line for line in lines)
    assert lines[-1 - notes] == f"共计{count}个工作日"


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2099, 1, 1)))
def test_deadline_lines_frame_the_due_date(start: date) -> None:
    deadline = default_calendar().deadline(start, 20)
    assert deadline.derivation[0].endswith("自次日起计算20个工作日")
    final = [line for line in deadline.derivation if line.startswith("第20个工作日：")]
    assert len(final) == 1 and deadline.due.isoformat() in final[0]
    assert ("（暂定）" in final[0]) == deadline.provisional
