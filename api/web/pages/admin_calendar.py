"""管理 › 工作日历: a year as twelve month grids — days off, make-up working days (调休),
administrators' overrides with their source, provisional years — the overrides listed, a day
set off or on (the API's `PUT /api/v1/calendar/days/{day}`, which moves the open cases'
deadlines) and a year's notice confirmed (`POST /api/v1/calendar/years/{year}/confirm`). A
calendar administrator keeps the national calendar; an agency's administrator, its own days."""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import Db, reading
from api.routers import calendar as calendar_api
from api.schemas import DayOverrideIn, MovedOut, YearConfirmIn
from api.web.pages.admin import is_admin, is_calendar_admin, tabs
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import Forbidden, Invalid, NotFound
from casework.models import Agency
from casework.services import calendars
from casework.workdays import CalendarRangeError, WorkingCalendar
from workflows.clocks import Clock

router = APIRouter(include_in_schema=False)

NATIONAL = "national"
FIRST_YEAR, LAST_YEAR = 2004, 2099
Year = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
ScopeParam = Annotated[str | None, Query(max_length=64)]
Text = Annotated[str, Form(max_length=600)]
SOURCE_MAX = 500
WEEKEND_REASONS = ("周六", "周日")  # a plain weekend's reason (casework.workdays)


@dataclass(frozen=True)
class Scope:
    """Whose calendar the page shows and changes: the national one, or an agency's own days."""

    key: str  # NATIONAL or the agency's code
    label: str
    agency: Agency | None


@dataclass
class Outcome:
    done: str = ""
    moved: list[MovedOut] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def scopes(me: Visitor) -> list[Scope]:
    """The calendars this visitor keeps; none: 403."""
    out = [Scope(NATIONAL, "全国日历", None)] if is_calendar_admin(me) else []
    if is_admin(me) and me.current is not None:
        agency = me.current.agency
        out.append(Scope(agency.code, f"{agency.name}（本机关调整）", agency))
    if not out:
        raise Forbidden("调整工作日历须由日历管理员或本机关管理员办理")
    return out


def _scope(me: Visitor, key: str | None) -> tuple[Scope, list[Scope]]:
    allowed = scopes(me)
    return next((s for s in allowed if s.key == key), allowed[0]), allowed


def page_url(year: int, scope: Scope) -> str:
    return f"/admin/calendar?year={year}&scope={scope.key}"


def _cell(cal: WorkingCalendar, day: date, local: dict[date, Any], today: date) -> dict[str, Any]:
    info = cal.day_info(day)
    weekend = day.weekday() >= 5
    override = local.get(day)
    if override is not None:
        kind = "override-work" if info.workday else "override-off"
    elif info.workday and weekend:
        kind = "makeup"
    elif not info.workday and (not weekend or info.reason not in WEEKEND_REASONS):
        kind = "holiday"  # a weekend inside a holiday (国庆节放假) too
    else:
        kind = "weekend" if weekend else "workday"
    return {"day": day, "workday": info.workday, "kind": kind, "reason": info.reason,
            "override": override, "today": day == today}  # fmt: skip


def month_grids(cal: WorkingCalendar, year: int, overrides: list[Any], today: date) -> list[Any]:
    """Twelve months, each a list of weeks (Monday first) of day cells or None."""
    by_day: dict[date, Any] = {}
    for row in overrides:  # an agency's own override wins over the national one
        if row.day not in by_day or row.agency_id is not None:
            by_day[row.day] = row
    grid = months.Calendar(firstweekday=0)
    return [
        {"month": m, "weeks": [[_cell(cal, d, by_day, today) if d.month == m else None
                                for d in week] for week in grid.monthdatescalendar(year, m)]}
        for m in range(1, 13)
    ]  # fmt: skip


def _page(
    request: Request, session: Session, me: Visitor, year: int, scope_key: str | None,
    outcome: Outcome | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    scope, allowed = _scope(me, scope_key)
    agency_id = scope.agency.id if scope.agency else None
    cal = calendars.calendar_for(session, agency_id)
    try:
        view = calendars.year_view(cal, year)
    except CalendarRangeError as error:
        raise Invalid(str(error), field="year") from None
    overrides = calendars.overrides(session, year, agency_id)
    headers = {"HX-Replace-Url": page_url(year, scope)} if request.method == "POST" else None
    return render(
        request, session, me, "admin_calendar.html", status=status, headers=headers,
        tabs=tabs(me), year=year, scope=scope, scopes=allowed, view=view,
        grids=month_grids(cal, year, overrides, me.caller.today), overrides=overrides,
        loaded=calendars.loaded_year(session, year), may_confirm=is_calendar_admin(me),
        first_year=FIRST_YEAR, last_year=LAST_YEAR, outcome=outcome or Outcome(),
        clock_labels={c.value: c.label for c in Clock}, weekdays="一二三四五六日",
    )  # fmt: skip


@router.get("/admin/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request, me: Me, session: Db, year: Year = None, scope: ScopeParam = None
) -> HTMLResponse:
    return _page(request, session, me, year or me.caller.today.year, scope)


def _source(text: str, errors: dict[str, str]) -> str:
    text = text.strip()
    if not text:
        errors["source"] = "须注明依据（如放假通知的文号或网址）"
    elif len(text) > SOURCE_MAX:
        errors["source"] = f"依据不能超过 {SOURCE_MAX} 个字符"
    return text


@router.post("/admin/calendar/days", response_class=HTMLResponse)
def set_day(
    request: Request,
    me: Me,
    session: Db,
    day: Text = "",
    kind: Text = "",
    source: Text = "",
    scope: Text = "",
) -> HTMLResponse:
    """One day off or on, through the API's own route function (the same checks, the same
    service, one commit); the deadlines it moved are listed."""
    chosen = next((s for s in scopes(me) if s.key == scope), None)
    if chosen is None:  # never another calendar than the one the form showed
        raise NotFound("没有这个日历")
    values = {"day": day, "kind": kind, "source": source}
    errors: dict[str, str] = {}
    when: date | None = None
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        errors["day"] = "请选择日期（YYYY-MM-DD）"
    if kind not in ("off", "work"):
        errors["kind"] = "请选择上班或休息"
    text = _source(source, errors)
    year = when.year if when and FIRST_YEAR <= when.year <= LAST_YEAR else me.caller.today.year
    if not errors and when is not None:
        try:
            body = DayOverrideIn(workday=kind == "work", source=text,
                                 agency=chosen.agency.code if chosen.agency else None)  # fmt: skip
            changed = calendar_api.set_day(when, body, me.caller, session)
        except (Invalid, ValidationError) as error:
            session.rollback()
            errors[getattr(error, "field", None) or "day"] = _message(error)
    if errors:
        with reading() as reader:
            outcome = Outcome(values=values, errors=errors)
            return _page(request, reader, me, year, chosen.key, outcome, 422)
    assert when is not None
    done = f"已将 {when.isoformat()} 设为{'上班' if kind == 'work' else '休息'}（{chosen.label}；依据：{text}）"
    with reading() as reader:
        return _page(request, reader, me, year, chosen.key, Outcome(done, changed.moved))


@router.post("/admin/calendar/years/{year}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, year: int, me: Me, session: Db, confirm_source: Text = ""
) -> HTMLResponse:
    """A year's State Council notice loaded: its dates stop being provisional (national)."""
    if not is_calendar_admin(me):
        raise Forbidden("确认放假安排须由日历管理员办理")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(f"年份须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间", field="year")
    errors: dict[str, str] = {}
    text = _source(confirm_source, errors)
    if errors:
        with reading() as reader:
            outcome = Outcome(values={"confirm_source": confirm_source},
                              errors={"confirm_source": errors["source"]})  # fmt: skip
            return _page(request, reader, me, year, NATIONAL, outcome, 422)
    changed = calendar_api.confirm(year, YearConfirmIn(source=text), me.caller, session)
    done = f"已确认{year}年放假安排已载入（依据：{text}），该年日期不再为暂定"
    with reading() as reader:
        return _page(request, reader, me, year, NATIONAL, Outcome(done, changed.moved))


def _message(error: Invalid | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return "填写有误，请检查日期和依据"
    return str(error)
