"""The working-day calendar as the database holds it: seeded data plus overrides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from casework.errors import Invalid
from casework.models import Agency, CalendarOverride, CalendarYear
from casework.workdays import DayInfo, Override, WorkingCalendar, default_calendar

NOTICE_CHECK_FROM_MONTH = 11  # the State Council's notice usually comes in November

_cache: dict[tuple[object, ...], WorkingCalendar] = {}


def calendar_for(session: Session, agency_id: int | None = None) -> WorkingCalendar:
    """The calendar an agency counts with: national overrides, then the agency's own.

    Overrides are few (tens a year), so they are read every time and the built calendar is
    cached by their content: any change — even one that reuses a row id — is seen at once."""
    scope: ColumnElement[bool] = col(CalendarOverride.agency_id).is_(None)
    if agency_id is not None:
        scope = or_(scope, col(CalendarOverride.agency_id) == agency_id)
    rows = session.exec(
        select(CalendarOverride).where(scope).order_by(col(CalendarOverride.id))
    ).all()
    national = {r.day: r for r in rows if r.agency_id is None}
    local = {r.day: r for r in rows if r.agency_id is not None}
    merged = {**national, **local}
    years = tuple(sorted(session.exec(select(CalendarYear.year)).all()))
    overrides = tuple(Override(r.day, r.workday, r.source) for r in merged.values())
    key = (overrides, years)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    cal = (
        WorkingCalendar(overrides, confirmed_years=years)
        if overrides or years
        else default_calendar()
    )
    if len(_cache) > 64:
        _cache.clear()
    _cache[key] = cal
    return cal


def set_override(
    session: Session,
    day: date,
    workday: bool,
    source: str,
    actor: str,
    agency: Agency | None = None,
) -> CalendarOverride:
    """Add or replace the override of one day (national, or for one agency)."""
    if not source.strip():
        raise Invalid("须注明来源（如放假通知的文号或网址）", field="source")
    default_calendar().day_info(day)  # raises CalendarRangeError outside the range
    agency_id = agency.id if agency else None
    existing = session.exec(
        select(CalendarOverride).where(
            CalendarOverride.day == day,
            col(CalendarOverride.agency_id) == agency_id
            if agency_id is not None
            else col(CalendarOverride.agency_id).is_(None),
        )
    ).first()
    if existing is not None:
        session.delete(existing)
        session.flush()
    row = CalendarOverride(
        day=day, agency_id=agency_id, workday=workday, source=source.strip(), created_by=actor
    )
    session.add(row)
    session.flush()
    return row


def confirm_year(session: Session, year: int, source: str, actor: str) -> CalendarYear:
    """Mark a year's State Council notice as loaded: its dates stop being provisional."""
    if not source.strip():
        raise Invalid("须注明放假通知的来源", field="source")
    row = session.exec(select(CalendarYear).where(CalendarYear.year == year)).first()
    if row is None:
        row = CalendarYear(year=year, source=source.strip(), loaded_by=actor)
        session.add(row)
        session.flush()
    return row


@dataclass(frozen=True)
class YearView:
    """A year as an agency counts it: the days that are not plain weekdays or weekends
    (holidays, make-up workdays, overrides), whether it is provisional, its working days."""

    year: int
    provisional: bool
    working_days: int
    days: list[DayInfo]


def year_view(calendar: WorkingCalendar, year: int) -> YearView:
    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar.day_info(first)  # CalendarRangeError outside the calendar's range
    calendar.day_info(last)
    rows = []
    day = first
    while day <= last:
        info = calendar.day_info(day)
        weekend = day.weekday() >= 5
        if info.workday == weekend or info.reason not in ("工作日", "周六", "周日"):
            rows.append(info)
        day += timedelta(days=1)
    # working days of the year: those after 1 January, and 1 January itself if one (counting
    # from 31 December would step outside the calendar in its first year)
    total = calendar.count_between(first, last) + (1 if calendar.is_workday(first) else 0)
    return YearView(year, calendar.is_provisional(first), total, rows)


def notice_missing(session: Session, day: date) -> int | None:
    """From 1 November, next year while its holiday notice is not loaded (DESIGN §3.2: the
    administrators are reminded, and the pages show a banner, until it is); else None."""
    if day.month < NOTICE_CHECK_FROM_MONTH:
        return None
    next_year = day.year + 1
    return next_year if calendar_for(session).is_provisional(date(next_year, 1, 1)) else None


def overrides(session: Session, year: int, agency_id: int | None = None) -> list[CalendarOverride]:
    """The year's overrides an agency counts with (national ones, and its own), by day; with no
    agency, the national ones only."""
    scope: ColumnElement[bool] = col(CalendarOverride.agency_id).is_(None)
    if agency_id is not None:
        scope = or_(scope, col(CalendarOverride.agency_id) == agency_id)
    return list(
        session.exec(
            select(CalendarOverride)
            .where(scope, col(CalendarOverride.day) >= date(year, 1, 1),
                   col(CalendarOverride.day) <= date(year, 12, 31))
            .order_by(col(CalendarOverride.day), col(CalendarOverride.id))
        ).all()
    )  # fmt: skip


def loaded_year(session: Session, year: int) -> CalendarYear | None:
    """The record of a year's notice confirmed by an administrator (None: not confirmed here;
    the years the seeded package covers need none)."""
    return session.exec(select(CalendarYear).where(CalendarYear.year == year)).first()
