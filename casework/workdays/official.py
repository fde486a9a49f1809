"""The seeded official data: the State Council notices as shipped in ``chinese_calendar``.

The package covers a contiguous range of years (2004-2026 in chinesecalendar 1.11.0) and
raises ``NotImplementedError`` outside it. The range is detected once at import by probing,
so a newer package release extends it without a code change; nothing here lets that
exception escape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

import chinese_calendar
from chinese_calendar import constants

from casework.workdays.provisional import (
    DRAGON_BOAT,
    LABOUR_DAY,
    MID_AUTUMN,
    NATIONAL_DAY,
    NEW_YEAR,
    QINGMING,
    SPRING_FESTIVAL,
)

__all__ = [
    "OFFICIAL_DAYS_OFF",
    "OFFICIAL_MAKEUP_DAYS",
    "OFFICIAL_YEARS",
    "OfficialDay",
    "is_official_year",
    "official_day",
]

# chinese_calendar's short names (Holiday.chinese) -> the names written in the statute.
_STATUTE_NAMES = {
    "元旦": NEW_YEAR,
    "春节": SPRING_FESTIVAL,
    "清明": QINGMING,
    "劳动节": LABOUR_DAY,
    "端午": DRAGON_BOAT,
    "中秋": MID_AUTUMN,
    "国庆节": NATIONAL_DAY,
}

# Where to look for the package's data when probing (any year the package could cover).
_PROBE_YEARS = range(1900, 2200)


def _covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _probe_years() -> range:
    """The contiguous range of years ``chinese_calendar`` answers for (empty if none)."""
    first = next((year for year in _PROBE_YEARS if _covers(year)), None)
    if first is None:
        return range(0)
    last = first
    while last + 1 < _PROBE_YEARS.stop and _covers(last + 1):
        last += 1
    return range(first, last + 1)


OFFICIAL_YEARS: range = _probe_years()


def _chinese_name(english: Any) -> str:
    """Map a value of ``constants.holidays``/``constants.workdays`` to a Chinese name."""
    try:
        member: Any = constants.Holiday(english)
    except ValueError:
        return str(english)  # unknown to this release's enum: keep what the package says
    chinese = str(member.chinese)
    return _STATUTE_NAMES.get(chinese, chinese)


def _load(table: Any) -> Mapping[date, str]:
    data: dict[date, str] = {}
    for day, english in dict(table).items():
        plain = date(day.year, day.month, day.day)
        if plain.year in OFFICIAL_YEARS:
            data[plain] = _chinese_name(english)
    return MappingProxyType(dict(sorted(data.items())))


# Official days off (holiday runs, including the weekend days inside them), date -> name.
OFFICIAL_DAYS_OFF: Mapping[date, str] = _load(constants.holidays)
# Official make-up working days (调休上班), date -> name of the holiday they make up for.
OFFICIAL_MAKEUP_DAYS: Mapping[date, str] = _load(constants.workdays)


@dataclass(frozen=True)
class OfficialDay:
    """What the State Council notice says about one day."""

    workday: bool
    holiday: str | None  # Chinese name of the holiday the day is off for or made up for
    makeup: bool  # 调休上班: a Saturday/Sunday that is a working day


def is_official_year(year: int) -> bool:
    return year in OFFICIAL_YEARS


def official_day(day: date) -> OfficialDay | None:
    """The official status of ``day``, or ``None`` if its year is not in ``OFFICIAL_YEARS``.

    Same precedence as ``chinese_calendar.is_workday``: a listed make-up day is a working
    day, then a listed holiday is a day off, then Monday-Friday are working days.
    """
    if day.year not in OFFICIAL_YEARS:
        return None
    if day in OFFICIAL_MAKEUP_DAYS:
        return OfficialDay(workday=True, holiday=OFFICIAL_MAKEUP_DAYS[day], makeup=True)
    if day in OFFICIAL_DAYS_OFF:
        return OfficialDay(workday=False, holiday=OFFICIAL_DAYS_OFF[day], makeup=False)
    return OfficialDay(workday=day.weekday() < 5, holiday=None, makeup=False)
