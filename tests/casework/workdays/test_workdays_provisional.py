"""The fixed provisional rule and the official data it stands in for."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunardate import LunarDate

from casework.workdays import (
    OFFICIAL_DAYS_OFF,
    OFFICIAL_MAKEUP_DAYS,
    OFFICIAL_YEARS,
    PROVISIONAL_YEARS,
    STATUTORY_HOLIDAYS,
    OfficialDay,
    default_calendar,
    official_day,
    provisional_days_off,
)

needs_2027_unpublished = pytest.mark.skipif(
    2027 in OFFICIAL_YEARS, reason="chinese_calendar now ships the 2027 notice"
)

EXPECTED_2027 = {
    date(2027, 1, 1): "元旦",
    date(2027, 2, 5): "春节",  # 除夕 (lunar new year is Sat 2027-02-06)
    date(2027, 2, 6): "春节",
    date(2027, 2, 7): "春节",
    date(2027, 2, 8): "春节",
    date(2027, 4, 5): "清明节",
    date(2027, 5, 1): "劳动节",
    date(2027, 5, 2): "劳动节",
    date(2027, 6, 9): "端午节",
    date(2027, 9, 15): "中秋节",
    date(2027, 10, 1): "国庆节",
    date(2027, 10, 2): "国庆节",
    date(2027, 10, 3): "国庆节",
}


def _year(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _lunar(day: date) -> tuple[int, int, int]:
    # lunardate >= 0.3 renamed fromSolarDate (now deprecated) to from_solar_date.
    convert = getattr(LunarDate, "from_solar_date", None) or LunarDate.fromSolarDate
    lunar = convert(day.year, day.month, day.day)
    return (lunar.year, lunar.month, lunar.day)


def test_2027_days_off() -> None:
    assert provisional_days_off(2027) == EXPECTED_2027


@needs_2027_unpublished
def test_2027_calendar_is_weekends_plus_statutory_days_only() -> None:
    calendar = default_calendar()
    for day in _year(2027):
        expected_off = day.weekday() >= 5 or day in EXPECTED_2027
        assert calendar.is_workday(day) is not expected_off, day
        assert calendar.day_info(day).provisional is True


@needs_2027_unpublished
def test_deadline_into_2027_is_provisional_and_never_raises() -> None:
    deadline = default_calendar().deadline(date(2026, 12, 10), 20)
    assert deadline.due.year == 2027
    assert deadline.due == date(2027, 1, 8)  # 2027-01-01 (Fri) off, no bridge, no make-up
    assert deadline.provisional is True
    assert any(line.startswith("2027年放假安排尚未公布") for line in deadline.derivation)


def test_no_bridge_no_make_up_no_substitute() -> None:
    # 2027-05-01/02 fall on Sat/Sun: nothing is added on Monday 05-03.
    days = provisional_days_off(2027)
    assert date(2027, 5, 3) not in days
    assert all(day.year == 2027 for day in days)


@pytest.mark.parametrize("year", range(2027, 2100))
def test_rule_structure_in_future_years(year: int) -> None:
    days = provisional_days_off(year)
    names: dict[str, list[date]] = {}
    for day, name in days.items():
        for part in name.split("、"):
            assert part in STATUTORY_HOLIDAYS
            names.setdefault(part, []).append(day)
    assert names["元旦"] == [date(year, 1, 1)]
    spring = names["春节"]
    assert len(spring) == 4
    assert spring == [spring[0] + timedelta(days=i) for i in range(4)]
    assert _lunar(spring[1]) == (year, 1, 1)  # 除夕 is the day before lunar 1/1
    (qingming,) = names["清明节"]
    assert date(year, 4, 3) <= qingming <= date(year, 4, 6)
    assert names["劳动节"] == [date(year, 5, 1), date(year, 5, 2)]
    (dragon_boat,) = names["端午节"]
    assert _lunar(dragon_boat)[1:] == (5, 5)
    (mid_autumn,) = names["中秋节"]
    assert _lunar(mid_autumn)[1:] == (8, 15)
    assert names["国庆节"] == [date(year, 10, i) for i in (1, 2, 3)]
    # 13 statutory days; fewer only when two fall on one date (中秋 on 1-3 Oct).
    assert len(days) == 13 or (len(days) == 12 and mid_autumn.month == 10)


def test_result_is_a_fresh_dict() -> None:
    provisional_days_off(2030).clear()
    assert len(provisional_days_off(2030)) >= 12


@pytest.mark.parametrize("year", [PROVISIONAL_YEARS.start - 1, PROVISIONAL_YEARS.stop])
def test_years_outside_the_rule_raise_value_error(year: int) -> None:
    with pytest.raises(ValueError, match="临时放假规则"):
        provisional_days_off(year)


# -- compared with the official years --------------------------------------------------


def test_official_years_are_probed() -> None:
    assert OFFICIAL_YEARS.start <= 2004 and 2026 in OFFICIAL_YEARS
    for year in (OFFICIAL_YEARS.start - 1, OFFICIAL_YEARS.stop):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(year, 6, 1))


@pytest.mark.parametrize("year", range(2004, 2027))
def test_rule_approximates_the_official_years(year: int) -> None:
    days = provisional_days_off(year)
    official_off = {day for day in _year(year) if not chinese_calendar.is_workday(day)}
    provisional_off = {day for day in _year(year) if day.weekday() >= 5 or day in days}
    # The yearly number of working days stays close (bridges and make-ups roughly cancel).
    assert abs(len(official_off) - len(provisional_off)) <= 8
    # The core statutory days have been days off in every notice since 2004.
    spring = [day for day, name in days.items() if name == "春节"]
    core = [date(year, 1, 1), *spring[1:], date(year, 5, 1)]
    core += [date(year, 10, i) for i in (1, 2, 3)]
    assert set(core) <= official_off
    # 清明、端午、中秋 since the 2007 revision; 5-2 since 2020; 除夕 since the 2024 revision.
    if year >= 2008:
        assert {day for day, name in days.items() if name in ("清明节", "端午节", "中秋节")} <= (
            official_off
        )
    if year >= 2020:
        assert date(year, 5, 2) in official_off
    if year >= 2025:
        assert set(days) <= official_off


def test_official_day_wraps_the_package() -> None:
    assert official_day(date(2024, 10, 12)) == OfficialDay(True, "国庆节", True)
    assert official_day(date(2024, 10, 1)) == OfficialDay(False, "国庆节", False)
    assert official_day(date(2024, 10, 8)) == OfficialDay(True, None, False)
    assert official_day(date(2024, 10, 13)) == OfficialDay(False, None, False)
    assert official_day(date(2015, 9, 3)) == OfficialDay(
        False, "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日", False
    )
    if 2027 not in OFFICIAL_YEARS:
        assert official_day(date(2027, 1, 1)) is None


def test_official_names_are_chinese() -> None:
    names = set(OFFICIAL_DAYS_OFF.values()) | set(OFFICIAL_MAKEUP_DAYS.values())
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    assert all(not any("a" <= ch.lower() <= "z" for ch in name) for name in names)
    assert all(day.weekday() >= 5 for day in OFFICIAL_MAKEUP_DAYS)
