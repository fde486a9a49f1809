"""The working-day calendar: counting "N working days" (DESIGN.md §3.2, LEGAL.md §1.1).

A day's base status comes from the official data for years ``chinese_calendar`` covers and
from the fixed provisional rule otherwise; an admin's override wins over both. The working
days of the whole supported range are held as one sorted list of ordinals, so ``add`` and
``count_between`` are bisections, never day-by-day loops. The base list is built once per
process and shared; a calendar with overrides copies and patches it (a few milliseconds).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import compress
from typing import ClassVar

from casework.workdays.official import (
    OFFICIAL_DAYS_OFF,
    OFFICIAL_MAKEUP_DAYS,
    OFFICIAL_YEARS,
    official_day,
)
from casework.workdays.provisional import provisional_days_off

__all__ = [
    "CalendarRangeError",
    "DayInfo",
    "Deadline",
    "Override",
    "WorkingCalendar",
    "default_calendar",
]

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_FIRST = date(2004, 1, 1)
_LAST = date(2099, 12, 31)
_FIRST_ORD = _FIRST.toordinal()
_LAST_ORD = _LAST.toordinal()


@dataclass(frozen=True)
class Override:
    """An admin's override of one day, read from the database by a later layer."""

    day: date
    workday: bool  # True: extra working day; False: extra day off
    source: str  # e.g. "区政府通知 2027-01-05" — shown in derivations


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    reason: str  # "周六", "周日", "国庆节放假", "国庆节调休上班", "工作日", "管理员设定：<source>"
    provisional: bool  # the day's year has no loaded notice


@dataclass(frozen=True)
class Deadline:
    start: date  # day 0
    days: int  # N
    due: date
    provisional: bool
    derivation: tuple[str, ...]


class CalendarRangeError(ValueError):
    """A date outside the calendar's supported range; the message (Chinese) names the range."""


def format_day(day: date) -> str:
    """``2024-10-12（周六）``."""
    return f"{day.isoformat()}（{WEEKDAY_NAMES[day.weekday()]}）"


def _range_text() -> str:
    return f"{_FIRST.isoformat()} 至 {_LAST.isoformat()}"


def _check_date(day: date) -> int:
    """Validate ``day`` and return its index into the calendar's arrays."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"需要日期（datetime.date），收到 {type(day).__name__}")
    ordinal = day.toordinal()
    if not _FIRST_ORD <= ordinal <= _LAST_ORD:
        raise CalendarRangeError(f"日期 {day.isoformat()} 超出工作日历支持范围（{_range_text()}）")
    return ordinal - _FIRST_ORD


@functools.cache
def _base_flags() -> bytes:
    """One byte per day FIRST..LAST: 1 for a working day, before overrides."""
    size = _LAST_ORD - _FIRST_ORD + 1
    week = bytes((1, 1, 1, 1, 1, 0, 0))  # Monday..Sunday
    shift = _FIRST.weekday()
    rotated = week[shift:] + week[:shift]
    flags = bytearray((rotated * (size // 7 + 1))[:size])
    for year in range(_FIRST.year, _LAST.year + 1):
        if year not in OFFICIAL_YEARS:
            for day in provisional_days_off(year):
                flags[day.toordinal() - _FIRST_ORD] = 0
    # Same precedence as chinese_calendar.is_workday: make-up days win over holidays.
    for day in OFFICIAL_DAYS_OFF:
        if _FIRST <= day <= _LAST:
            flags[day.toordinal() - _FIRST_ORD] = 0
    for day in OFFICIAL_MAKEUP_DAYS:
        if _FIRST <= day <= _LAST:
            flags[day.toordinal() - _FIRST_ORD] = 1
    return bytes(flags)


def _working_ordinals(flags: bytes) -> list[int]:
    return list(compress(range(_FIRST_ORD, _LAST_ORD + 1), flags))


@functools.cache
def _base_ordinals() -> list[int]:
    return _working_ordinals(_base_flags())


@dataclass(frozen=True)
class _Reason:
    """Why a day is (not) a working day, in a form the derivation can group."""

    kind: str  # "override", "holiday", "makeup", "weekend", "workday"
    label: str  # holiday name, override source or weekday name


class WorkingCalendar:
    """Working days FIRST..LAST: official data, provisional rule, admin overrides."""

    FIRST: ClassVar[date] = _FIRST
    LAST: ClassVar[date] = _LAST

    def __init__(
        self, overrides: Iterable[Override] = (), confirmed_years: Iterable[int] = ()
    ) -> None:
        # Later overrides of the same day win, so a caller may pass general ones first
        # and agency-specific ones after them.
        self._overrides: dict[date, Override] = {}
        for override in overrides:
            _check_date(override.day)
            self._overrides[override.day] = override
        years = set(OFFICIAL_YEARS)
        for year in confirmed_years:
            if not _FIRST.year <= year <= _LAST.year:
                raise CalendarRangeError(f"{year}年超出工作日历支持范围（{_range_text()}）")
            years.add(year)
        self._confirmed = frozenset(years)
        if self._overrides:
            flags = bytearray(_base_flags())
            for override in self._overrides.values():
                flags[override.day.toordinal() - _FIRST_ORD] = 1 if override.workday else 0
            self._flags = bytes(flags)
            self._ordinals = _working_ordinals(self._flags)
        else:
            self._flags = _base_flags()
            self._ordinals = _base_ordinals()

    # -- single days -----------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        return self._flags[_check_date(d)] == 1

    def is_provisional(self, d: date) -> bool:
        """True if ``d``'s year has no loaded notice (neither in the package nor confirmed)."""
        _check_date(d)
        return d.year not in self._confirmed

    def _reason(self, d: date) -> _Reason:
        override = self._overrides.get(d)
        if override is not None:
            return _Reason("override", override.source)
        official = official_day(d)
        if official is not None:
            if official.makeup:
                return _Reason("makeup", official.holiday or "")
            if official.holiday is not None:
                return _Reason("holiday", official.holiday)
        else:
            name = provisional_days_off(d.year).get(d)
            if name is not None:
                return _Reason("holiday", name)
        if d.weekday() >= 5:
            return _Reason("weekend", WEEKDAY_NAMES[d.weekday()])
        return _Reason("workday", "")

    def day_info(self, d: date) -> DayInfo:
        workday = self.is_workday(d)
        reason = self._reason(d)
        if reason.kind == "override":
            text = f"管理员设定：{reason.label}"
        elif reason.kind == "holiday":
            text = f"{reason.label}放假"
        elif reason.kind == "makeup":
            text = f"{reason.label}调休上班"
        elif reason.kind == "weekend":
            text = reason.label
        else:
            text = "工作日"
        return DayInfo(day=d, workday=workday, reason=text, provisional=self.is_provisional(d))

    # -- counting --------------------------------------------------------------------

    def add(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (day 0, whatever its weekday)."""
        _check_date(start)
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        if n == 0:
            return start
        index = bisect_right(self._ordinals, start.toordinal()) + n - 1
        if index >= len(self._ordinals):
            raise CalendarRangeError(
                f"自 {start.isoformat()} 起第{n}个工作日超出工作日历支持范围（{_range_text()}）"
            )
        return date.fromordinal(self._ordinals[index])

    def back(self, end: date, n: int) -> date:
        """The working day ``n`` working days before ``end`` (a reminder ``n`` days ahead):
        ``count_between(back(end, n), end) == n`` when ``end`` is a working day."""
        _check_date(end)
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        index = bisect_right(self._ordinals, end.toordinal()) - 1 - n
        if index < 0:
            raise CalendarRangeError(
                f"{end.isoformat()} 之前第{n}个工作日超出工作日历支持范围（{_range_text()}）"
            )
        return date.fromordinal(self._ordinals[index])

    def count_between(self, start: date, end: date) -> int:
        """The number of working days ``d`` with ``start < d <= end`` (0 if ``end <= start``)."""
        _check_date(start)
        _check_date(end)
        if end <= start:
            return 0
        return bisect_right(self._ordinals, end.toordinal()) - bisect_right(
            self._ordinals, start.toordinal()
        )

    def _unconfirmed_years(self, start: date, end: date) -> list[int]:
        """Years of the days in ``(start, end]`` with no loaded notice."""
        if end <= start:
            return []
        first = (start + timedelta(days=1)).year
        return [year for year in range(first, end.year + 1) if year not in self._confirmed]

    def deadline(self, start: date, n: int) -> Deadline:
        due = self.add(start, n)
        provisional = bool(self._unconfirmed_years(start, due))
        if n == 0:
            lines = [f"起算日 {format_day(start)}为第0日，期限为0个工作日，即当日"]
        else:
            lines = [f"起算日 {format_day(start)}为第0日，自次日起计算{n}个工作日"]
            lines += self._span_lines(start, due)
            mark = "（暂定）" if provisional else ""
            lines.append(f"第{n}个工作日：{format_day(due)}{mark}")
            lines += self._provisional_notes(start, due)
        return Deadline(
            start=start, days=n, due=due, provisional=provisional, derivation=tuple(lines)
        )

    # -- derivation ------------------------------------------------------------------

    def derivation(self, start: date, end: date) -> list[str]:
        """Chinese lines explaining the working days of the span ``(start, end]``."""
        count = self.count_between(start, end)
        lines = [f"起算日 {format_day(start)}为第0日，计算至 {format_day(end)}"]
        lines += self._span_lines(start, end)
        lines.append(f"共计{count}个工作日")
        lines += self._provisional_notes(start, end)
        return lines

    def _provisional_notes(self, start: date, end: date) -> list[str]:
        return [
            f"{year}年放假安排尚未公布（国务院办公厅通知未载入），按临时规则推算："
            "仅周末及法定节日休息，日期为暂定"
            for year in self._unconfirmed_years(start, end)
        ]

    def _span_lines(self, start: date, end: date) -> list[str]:
        """Skipped runs and counted non-ordinary working days of ``(start, end]``."""
        lines: list[str] = []
        off_run: list[tuple[date, _Reason]] = []
        work_run: list[tuple[date, _Reason]] = []

        def flush_off() -> None:
            if off_run:
                lines.append(f"不计 {_run_dates(off_run)}{_off_reasons(off_run)}")
                off_run.clear()

        def flush_work() -> None:
            if work_run:
                lines.append(f"计入 {_run_dates(work_run)}{_work_reason(work_run[0][1])}")
                work_run.clear()

        day = start + timedelta(days=1)
        while day <= end:
            reason = self._reason(day)
            if not self.is_workday(day):
                flush_work()
                off_run.append((day, reason))
            else:
                flush_off()
                noteworthy = reason.kind == "override" or day.weekday() >= 5
                if noteworthy and work_run and work_run[0][1] == reason:
                    work_run.append((day, reason))
                else:
                    flush_work()
                    if noteworthy:
                        work_run.append((day, reason))
            day += timedelta(days=1)
        flush_off()
        flush_work()
        return lines


def _run_dates(run: list[tuple[date, _Reason]]) -> str:
    first, last = run[0][0], run[-1][0]
    if first == last:
        return format_day(first)
    return f"{format_day(first)}至 {format_day(last)}"


def _off_reasons(run: list[tuple[date, _Reason]]) -> str:
    """``国庆节、中秋节放假``, ``周末``, ``周末，元旦放假``, ``管理员设定：…`` for a run."""
    kinds: list[str] = []
    labels: dict[str, list[str]] = {}
    for _, reason in run:
        kind = reason.kind if reason.kind in ("override", "holiday") else "weekend"
        if kind not in labels:
            kinds.append(kind)
            labels[kind] = []
        if reason.label not in labels[kind]:
            labels[kind].append(reason.label)
    parts = []
    for kind in kinds:
        if kind == "holiday":
            parts.append("、".join(labels[kind]) + "放假")
        elif kind == "override":
            parts.append("管理员设定：" + "；".join(labels[kind]))
        else:
            parts.append("周末")
    return "，".join(parts)


def _work_reason(reason: _Reason) -> str:
    if reason.kind == "override":
        return f"管理员设定：{reason.label}"
    if reason.kind == "makeup":
        return f"{reason.label}调休上班"
    return "工作日"  # pragma: no cover - only overrides and make-up days are listed


@functools.lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendar with no overrides and no confirmed years beyond the package's data."""
    return WorkingCalendar()
