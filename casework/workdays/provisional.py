"""The fixed provisional rule for a year whose State Council notice is not loaded.

DESIGN.md §3.2: weekends off, plus the statutory days of 《全国年节及纪念日放假办法》
(2024 revision) off, and nothing else: no bridge days, no make-up working days and no
substitute day for a statutory day that falls on a weekend. Every build must agree on it,
so it is computed from fixed astronomical/lunar rules, never from a guessing library.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

from chinese_calendar import get_solar_terms
from lunardate import LunarDate

__all__ = [
    "DRAGON_BOAT",
    "LABOUR_DAY",
    "MID_AUTUMN",
    "NATIONAL_DAY",
    "NEW_YEAR",
    "PROVISIONAL_YEARS",
    "QINGMING",
    "SPRING_FESTIVAL",
    "STATUTORY_HOLIDAYS",
    "provisional_days_off",
]

# Holiday names as written in 《全国年节及纪念日放假办法》 (statute order).
NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"
STATUTORY_HOLIDAYS: tuple[str, ...] = (
    NEW_YEAR,
    SPRING_FESTIVAL,
    QINGMING,
    LABOUR_DAY,
    DRAGON_BOAT,
    MID_AUTUMN,
    NATIONAL_DAY,
)

# lunardate converts lunar years 1900-2099; the solar-term formula covers 1900-2100.
PROVISIONAL_YEARS = range(1900, 2100)

_QINGMING_TERM = "清明"  # the solar term's name in chinese_calendar.get_solar_terms


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the (non-leap) lunar month."""
    lunar: Any = LunarDate(year, month, day)
    # lunardate >= 0.3 renamed toSolarDate (now deprecated) to to_solar_date.
    convert: Any = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate
    solar: Any = convert()
    return date(int(solar.year), int(solar.month), int(solar.day))


def _qingming(year: int) -> date:
    terms: list[tuple[Any, Any]] = list(get_solar_terms(date(year, 4, 1), date(year, 4, 30)))
    for day, name in terms:
        if name == _QINGMING_TERM:
            return date(day.year, day.month, day.day)
    # The formula yields 清明 in early April for every supported year.
    raise LookupError(f"无法计算{year}年清明节气日期")  # pragma: no cover


@functools.lru_cache(maxsize=256)
def _days_off(year: int) -> tuple[tuple[date, str], ...]:
    days: dict[date, list[str]] = {}

    def add(day: date, name: str) -> None:
        names = days.setdefault(day, [])
        if name not in names:
            names.append(name)

    add(date(year, 1, 1), NEW_YEAR)
    new_year_eve = _lunar_to_solar(year, 1, 1) - timedelta(days=1)  # 除夕
    for offset in range(4):  # 除夕, 初一, 初二, 初三
        add(new_year_eve + timedelta(days=offset), SPRING_FESTIVAL)
    add(_qingming(year), QINGMING)
    add(date(year, 5, 1), LABOUR_DAY)
    add(date(year, 5, 2), LABOUR_DAY)
    add(_lunar_to_solar(year, 5, 5), DRAGON_BOAT)
    add(_lunar_to_solar(year, 8, 15), MID_AUTUMN)
    for day in (1, 2, 3):
        add(date(year, 10, day), NATIONAL_DAY)
    # Two statutory days on one date (e.g. 中秋 on 1 Oct) give one day off, named after both.
    return tuple(
        (day, "、".join(sorted(names, key=STATUTORY_HOLIDAYS.index)))
        for day, names in sorted(days.items())
    )


def provisional_days_off(year: int) -> dict[date, str]:
    """The statutory days off of ``year`` under the fixed provisional rule, date -> name.

    Ordinary weekend days are not listed (they are off by weekday); a statutory day that
    falls on a weekend is listed and is not substituted.
    """
    if year not in PROVISIONAL_YEARS:
        raise ValueError(
            f"临时放假规则仅支持{PROVISIONAL_YEARS.start}年至{PROVISIONAL_YEARS.stop - 1}年，"
            f"不支持{year}年"
        )
    return dict(_days_off(year))
