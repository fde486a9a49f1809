"""WorkingCalendar: worked examples, an exhaustive oracle check, overrides, range errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.workdays import (
    OFFICIAL_YEARS,
    CalendarRangeError,
    Override,
    WorkingCalendar,
    default_calendar,
)

FIRST = WorkingCalendar.FIRST
LAST = WorkingCalendar.LAST

# DESIGN.md §3.2 (official 2024-2026 notices) and §3.3.
WORKED_EXAMPLES = [
    (date(2025, 9, 26), 7, date(2025, 10, 13)),
    (date(2025, 9, 26), 20, date(2025, 10, 30)),
    (date(2025, 9, 26), 40, date(2025, 11, 27)),
    (date(2024, 9, 27), 7, date(2024, 10, 12)),  # a Saturday make-up day
    (date(2024, 9, 27), 20, date(2024, 10, 30)),
    (date(2024, 9, 27), 40, date(2024, 11, 27)),
    (date(2024, 2, 8), 7, date(2024, 2, 23)),  # 除夕 2024-02-09 was a working day
    (date(2024, 2, 8), 20, date(2024, 3, 13)),
    (date(2024, 2, 8), 40, date(2024, 4, 11)),
    (date(2025, 9, 22), 7, date(2025, 9, 30)),  # §3.3 correction notice
    (date(2025, 10, 15), 20, date(2025, 11, 12)),  # §3.3 restart
    (date(2025, 9, 24), 13, date(2025, 10, 17)),  # §3.3 resume after a pause
]


def naive_weekday_add(start: date, n: int) -> date:
    """The wrong counter: Monday-Friday only, ignoring the State Council notices."""
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_worked_examples(start: date, n: int, due: date) -> None:
    calendar = default_calendar()
    assert calendar.add(start, n) == due
    deadline = calendar.deadline(start, n)
    assert (deadline.start, deadline.days, deadline.due) == (start, n, due)
    assert deadline.provisional is False
    assert calendar.is_workday(due)
    assert calendar.count_between(start, due) == n


def test_saturday_make_up_day_is_a_due_date() -> None:
    due = default_calendar().add(date(2024, 9, 27), 7)
    assert due == date(2024, 10, 12)
    assert due.weekday() == 5


def test_count_between_design_example() -> None:
    # §3.3: receipt Mon 2025-09-01, consultation letter Wed 2025-09-10 -> 7 WD used.
    calendar = default_calendar()
    assert calendar.count_between(date(2025, 9, 1), date(2025, 9, 10)) == 7
    # ... opinion received Wed 2025-09-24 -> 13 WD remain -> due Fri 2025-10-17.
    assert calendar.add(date(2025, 9, 24), 20 - 7) == date(2025, 10, 17)


def test_a_monday_to_friday_counter_fails_the_examples() -> None:
    wrong = [(start, n) for start, n, due in WORKED_EXAMPLES if naive_weekday_add(start, n) != due]
    assert wrong, "the worked examples would not catch a Monday-Friday counter"
    assert (date(2024, 9, 27), 7) in wrong
    assert (date(2025, 9, 26), 20) in wrong


def test_add_zero_and_negative() -> None:
    calendar = default_calendar()
    assert calendar.add(date(2024, 10, 5), 0) == date(2024, 10, 5)  # a holiday: still day 0
    with pytest.raises(ValueError):
        calendar.add(date(2024, 10, 5), -1)


def test_start_on_a_rest_day() -> None:
    # DESIGN §8: find_workday gets this wrong (11-04); day 0 is the rest day itself.
    assert default_calendar().add(date(2024, 10, 5), 20) == date(2024, 11, 1)


# -- the official data, day by day -----------------------------------------------------


def _official_days() -> list[date]:
    first = date(OFFICIAL_YEARS.start, 1, 1)
    last = date(OFFICIAL_YEARS.stop - 1, 12, 31)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_is_workday_matches_chinese_calendar_on_every_official_day() -> None:
    calendar = default_calendar()
    for day in _official_days():
        if day < FIRST:
            continue
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day


ORACLE_FIRST = date(2005, 1, 1)
ORACLE_LAST = date(2026, 12, 31)
ORACLE_N = (1, 7, 15, 20, 40)


def test_add_matches_day_by_day_oracle_for_every_start_date() -> None:
    """Every start date 2005-01-01... and N with the oracle's due date <= 2026-12-31."""
    size = (ORACLE_LAST - ORACLE_FIRST).days + 1
    days = [ORACLE_FIRST + timedelta(days=i) for i in range(size)]
    works = [bool(chinese_calendar.is_workday(day)) for day in days]
    calendar = default_calendar()
    checked = 0
    for index, start in enumerate(days):
        for n in ORACLE_N:
            # The oracle: walk forward one day at a time, counting working days.
            position, counted = index, 0
            while counted < n and position + 1 < size:
                position += 1
                counted += works[position]
            if counted < n:
                break  # the due date lies beyond the oracle's range (so do larger N)
            assert calendar.add(start, n) == days[position], (start, n)
            checked += 1
    # All five N for ~8000 start dates: nothing was silently skipped.
    assert checked > 5 * (size - 70)


# -- count_between properties ----------------------------------------------------------

dates = st.dates(min_value=FIRST, max_value=LAST)
near_dates = st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31))
overrides = st.lists(
    st.builds(Override, day=near_dates, workday=st.booleans(), source=st.just("测试")),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(start=dates, end=dates)
def test_count_between_consistent_with_add(start: date, end: date) -> None:
    calendar = default_calendar()
    count = calendar.count_between(start, end)
    if end <= start:
        assert count == 0
        return
    assert 0 <= count <= (end - start).days
    reached = calendar.add(start, count)
    assert reached <= end
    if count:
        assert calendar.is_workday(reached)
    try:
        assert calendar.add(start, count + 1) > end
    except CalendarRangeError:
        assert calendar.count_between(end, LAST) == 0


@settings(max_examples=200, deadline=None)
@given(data=overrides, a=near_dates, b=near_dates, c=near_dates, n=st.integers(0, 60))
def test_count_between_additive_and_inverse_of_add(
    data: list[Override], a: date, b: date, c: date, n: int
) -> None:
    calendar = WorkingCalendar(data)
    a, b, c = sorted((a, b, c))
    whole, left, right = (calendar.count_between(*span) for span in ((a, c), (a, b), (b, c)))
    assert whole == left + right
    due = calendar.add(a, n)
    assert calendar.count_between(a, due) == n
    assert n == 0 or calendar.is_workday(due)
    # Counting day by day gives the same number.
    slow = sum(calendar.is_workday(a + timedelta(days=i)) for i in range(1, (c - a).days + 1))
    assert calendar.count_between(a, c) == slow


@settings(max_examples=100, deadline=None)
@given(data=overrides, day=near_dates)
def test_last_override_of_a_day_decides(data: list[Override], day: date) -> None:
    calendar = WorkingCalendar(data)
    mine = [override for override in data if override.day == day]
    if mine:
        assert calendar.is_workday(day) == mine[-1].workday
        assert calendar.day_info(day).reason == f"管理员设定：{mine[-1].source}"
    else:
        assert calendar.is_workday(day) == default_calendar().is_workday(day)


# -- day_info --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday", "reason"),
    [
        (date(2024, 9, 28), False, "周六"),
        (date(2024, 10, 13), False, "周日"),
        (date(2024, 9, 29), True, "国庆节调休上班"),
        (date(2024, 10, 1), False, "国庆节放假"),
        (date(2024, 10, 5), False, "国庆节放假"),
        (date(2024, 10, 8), True, "工作日"),
        (date(2024, 2, 9), True, "工作日"),  # 除夕 2024: rest only "encouraged"
        (date(2025, 1, 28), False, "春节放假"),  # 除夕 2025: statutory
        (date(2025, 10, 6), False, "中秋节放假"),
        (date(2024, 4, 4), False, "清明节放假"),
        (date(2027, 1, 1), False, "元旦放假"),  # provisional rule
        (date(2027, 1, 2), False, "周六"),
        (date(2027, 2, 9), True, "工作日"),
    ],
)
def test_day_info_reasons(day: date, workday: bool, reason: str) -> None:
    info = default_calendar().day_info(day)
    assert (info.day, info.workday, info.reason) == (day, workday, reason)
    assert info.provisional == (day.year not in OFFICIAL_YEARS)


def test_every_year_of_the_range_answers_without_not_implemented_error() -> None:
    calendar = default_calendar()
    for year in range(FIRST.year, LAST.year + 1):
        for day in (date(year, 1, 1), date(year, 10, 1), date(year, 12, 31)):
            calendar.day_info(day)
            assert calendar.add(day, 0) == day


# -- overrides and confirmed years -----------------------------------------------------


def test_extra_day_off_moves_the_due_date_later() -> None:
    start, n = date(2025, 10, 15), 20
    base = default_calendar().add(start, n)
    calendar = WorkingCalendar([Override(date(2025, 10, 20), False, "区政府通知 2025-10-16")])
    assert calendar.add(start, n) == base + timedelta(days=1)  # Wed 11-12 -> Thu 11-13
    info = calendar.day_info(date(2025, 10, 20))
    assert info.workday is False
    assert info.reason == "管理员设定：区政府通知 2025-10-16"


def test_extra_working_saturday_moves_the_due_date_earlier() -> None:
    start, n = date(2025, 10, 15), 20
    base = default_calendar().add(start, n)
    calendar = WorkingCalendar([Override(date(2025, 10, 18), True, "区政府通知 2025-10-16")])
    assert calendar.add(start, n) == date(2025, 11, 11)
    assert calendar.add(start, n) < base
    assert calendar.is_workday(date(2025, 10, 18))
    assert calendar.day_info(date(2025, 10, 18)).reason == "管理员设定：区政府通知 2025-10-16"


def test_overrides_do_not_touch_the_shared_default() -> None:
    WorkingCalendar([Override(date(2025, 10, 20), False, "x")])
    assert default_calendar().is_workday(date(2025, 10, 20))
    assert WorkingCalendar().is_workday(date(2025, 10, 20))


def test_confirmed_year_with_overrides_is_not_provisional() -> None:
    # An admin loads a (made-up) 2027 notice: 元旦 1 Jan off, Sunday 3 Jan made up.
    notice = "国办发明电〔2026〕X号"
    loaded = [
        Override(date(2027, 1, 1), False, notice),
        Override(date(2027, 1, 3), True, notice),
    ]
    calendar = WorkingCalendar(loaded, confirmed_years=[2027])
    assert not calendar.is_provisional(date(2027, 1, 3))
    info = calendar.day_info(date(2027, 1, 3))
    assert (info.workday, info.provisional) == (True, False)
    deadline = calendar.deadline(date(2026, 12, 10), 20)
    assert deadline.provisional is False
    assert deadline.due == date(2027, 1, 7)  # the made-up Sunday counts
    assert not any("临时规则" in line for line in deadline.derivation)
    # Without confirmation the same overrides still leave the year provisional.
    assert WorkingCalendar(loaded).deadline(date(2026, 12, 10), 20).provisional is True


def test_provisional_flag_depends_on_the_span_only() -> None:
    calendar = default_calendar()
    assert calendar.deadline(date(2026, 12, 29), 2).provisional is False  # due 12-31
    assert calendar.deadline(date(2026, 12, 31), 0).provisional is False
    assert calendar.deadline(date(2026, 12, 31), 1).provisional is True
    assert calendar.is_provisional(date(2027, 6, 1))
    assert not calendar.is_provisional(date(2026, 6, 1))


# -- range errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_workday(date(2003, 12, 31)),
        lambda c: c.day_info(date(2100, 1, 1)),
        lambda c: c.is_provisional(date(1999, 1, 1)),
        lambda c: c.add(date(2003, 12, 31), 1),
        lambda c: c.add(date(2099, 12, 20), 20),
        lambda c: c.deadline(date(2099, 12, 30), 5),
        lambda c: c.count_between(date(2025, 1, 1), date(2100, 1, 1)),
        lambda c: c.derivation(date(2003, 1, 1), date(2025, 1, 1)),
        lambda c: WorkingCalendar([Override(date(2100, 1, 4), False, "x")]),
        lambda c: WorkingCalendar(confirmed_years=[2100]),
    ],
)
def test_out_of_range_raises_calendar_range_error(call: object) -> None:
    with pytest.raises(CalendarRangeError) as caught:
        call(default_calendar())  # type: ignore[operator]
    message = str(caught.value)
    assert "2004-01-01" in message and "2099-12-31" in message
    assert "超出" in message
    assert isinstance(caught.value, ValueError)


def test_datetime_is_rejected() -> None:
    with pytest.raises(TypeError):
        default_calendar().is_workday(datetime(2025, 1, 2, 9, 0))


def test_whole_range_is_usable() -> None:
    calendar = default_calendar()
    total = calendar.count_between(FIRST, LAST)
    assert 96 * 240 < total < 96 * 260
    last_workday = calendar.add(FIRST, total)
    assert last_workday <= LAST and calendar.is_workday(last_workday)


# -- cost ------------------------------------------------------------------------------


def test_default_calendar_is_cached() -> None:
    assert default_calendar() is default_calendar()
