"""The working-day calendar: a year as an agency counts it, a deadline calculator, and an
administrator's overrides (each moves the open cases' deadlines through the core)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Caller, Db, Me, visible_agency
from api.schemas import (
    CalendarChangeOut,
    CalendarDay,
    CalendarYearOut,
    DayOverrideIn,
    DeadlineCalcOut,
    MovedOut,
    YearConfirmIn,
)
from casework.errors import Invalid
from casework.models import Agency
from casework.services import calendar_admin, calendars
from casework.services.recompute import Moved
from casework.workdays import CalendarRangeError
from workflows.roles import Role

router = APIRouter(prefix="/calendar", tags=["工作日日历"])

Year = Annotated[int, Path(ge=2004, le=2099, description="年份")]
AgencyCode = Annotated[str | None, Query(max_length=64, description="按该机关的日历（含本地调整）")]
MAX_DAYS = 400


def _agency(session: Db, caller: Caller, code: str | None) -> Agency | None:
    return visible_agency(session, caller, code)[0] if code else None


def _national_admin(caller: Caller) -> None:
    calendar_admin.require_national_role(caller.scope.all_roles)


def _moved(moved: list[Moved], caller: Caller) -> CalendarChangeOut:
    """The deadlines that moved, of the cases this caller can see (a national change moves
    every agency's; the others' case numbers are not theirs to read)."""
    moved = [m for m in moved if m.agency_id is not None and caller.scope.get(m.agency_id)]
    return CalendarChangeOut(
        moved=[
            MovedOut(ref=m.ref, clock=m.clock, party=m.party, old_due=m.old_due, new_due=m.new_due)
            for m in moved
        ]
    )


@router.get(
    "/deadline", summary="期限计算器：自某日起第 N 个工作日", response_model=DeadlineCalcOut
)
def deadline(
    caller: Me,
    session: Db,
    start: Annotated[date, Query(description="起算日（第0日）")],
    days: Annotated[int, Query(ge=0, le=MAX_DAYS, description="工作日数")],
    agency: AgencyCode = None,
) -> DeadlineCalcOut:
    found = _agency(session, caller, agency)
    calendar = calendars.calendar_for(session, found.id if found else None)
    try:
        result = calendar.deadline(start, days)
    except CalendarRangeError as error:
        raise Invalid(str(error), field="start") from None
    return DeadlineCalcOut(start=start, days=days, due=result.due,
                           provisional=result.provisional, derivation=list(result.derivation))  # fmt: skip


@router.get("/{year}", summary="某年的节假日、调休上班日及调整", response_model=CalendarYearOut)
def year(year: Year, caller: Me, session: Db, agency: AgencyCode = None) -> CalendarYearOut:
    found = _agency(session, caller, agency)
    calendar = calendars.calendar_for(session, found.id if found else None)
    try:
        view = calendars.year_view(calendar, year)
    except CalendarRangeError as error:
        raise Invalid(str(error), field="year") from None
    return CalendarYearOut(
        year=year,
        agency=found.code if found else None,
        provisional=view.provisional,
        working_days=view.working_days,
        days=[CalendarDay(date=i.day, workday=i.workday, reason=i.reason) for i in view.days],
    )


@router.put(
    "/days/{day}",
    summary="调整某日为上班或休息（管理员），并重算在办案件的期限",
    response_model=CalendarChangeOut,
)
def set_day(day: date, body: DayOverrideIn, caller: Me, session: Db) -> CalendarChangeOut:
    agency: Agency | None = None
    if body.agency:
        agency, access = visible_agency(session, caller, body.agency)
        caller.require(access, frozenset({Role.ADMIN}), "调整本机关日历")
    else:
        _national_admin(caller)
    try:
        moved = calendar_admin.set_day(
            session, day, body.workday, body.source, caller.username, agency
        )
    except CalendarRangeError as error:
        raise Invalid(str(error), field="day") from None
    session.commit()
    return _moved(moved, caller)


@router.post(
    "/years/{year}/confirm",
    summary="确认某年放假安排已载入（管理员）：该年日期不再为暂定，并重算期限",
    response_model=CalendarChangeOut,
)
def confirm(year: Year, body: YearConfirmIn, caller: Me, session: Db) -> CalendarChangeOut:
    _national_admin(caller)
    moved = calendar_admin.confirm(session, year, body.source, caller.username)
    session.commit()
    return _moved(moved, caller)
