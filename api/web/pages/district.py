"""政务公开办 (district office, `supervises_subtree`): the sub-agencies' open cases whose reply
is overdue or due within five working days (personal data masked as the API masks it for a
supervising office), by agency; 督办 of a case (`casework.services.supervision`, the door of
`POST /api/v1/cases/{id}/supervisions`); and the year's roll-up of the subtree
(`casework.reports.rollup`, as `GET /api/v1/reports/{year}/rollup`).

Users without a role in a district office get 404 for these pages. The case page shows a
case's supervisions with `supervision_panel()` and `_supervisions.html`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import CaseId, Db, visible_case
from api.web.countdown import Countdown, countdown
from api.web.errors import is_htmx
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import Invalid, NotFound
from casework.masking import mask_name
from casework.models import Agency, Applicant, Case, User
from casework.reports import rollup
from casework.services.access import Access
from casework.services.calendars import calendar_for
from casework.services.case_search import CaseFilter, count_cases, search_cases
from casework.services.supervision import (
    NOTE_MAX,
    SUPERVISING_ROLES,
    SupervisionView,
    may_supervise,
    office_for,
    supervise,
    supervisions_of,
    tallies,
)
from casework.settings import get_settings
from casework.statistics.figures import agency_ids, parse_as_of
from casework.workdays.calendar import WorkingCalendar
from workflows.outcomes import GROUP_LABELS, OutcomeGroup
from workflows.states import OPEN_STATES, State

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
SOON_WD = 5  # "due soon": the reply is due within this many working days (the yellow badge)
Due = Literal["", "overdue", "soon"]


def offices(me: Visitor) -> list[Access]:
    return [a for a in me.own if a.agency.supervises_subtree]


def chosen_office(me: Visitor, code: str | None) -> Access:
    """The district office the page is about (the one asked for, the one the user works in
    now, or their first); none at all: the page does not exist for them."""
    mine = offices(me)
    if not mine:
        raise NotFound("没有这个页面")
    for access in mine:
        if access.agency.code == code:
            return access
    current = me.current
    return current if current is not None and current in mine else mine[0]


def _subtree(session: Session, me: Visitor, office: Access) -> list[Agency]:
    """The agencies below the office the user sees (by code), the office itself left out."""
    ids = set(agency_ids(session, office.agency, subtree=True)) - {office.agency.id}
    seen = [me.caller.scope.get(i) for i in ids]
    return sorted((a.agency for a in seen if a is not None), key=lambda a: a.code)


@dataclass(frozen=True)
class Row:
    id: int
    ref: str
    agency: str
    received_on: date
    applicant: str  # masked unless the user handles the agency's cases
    state: str
    handler: str
    due: Countdown | None
    supervised: int
    last_supervised: datetime | None
    may_supervise: bool


@dataclass(frozen=True)
class AgencyCount:
    code: str
    name: str
    overdue: int
    soon: int


def _filter(due: str, soon_until: date, today: date) -> CaseFilter:
    if due == "overdue":
        return CaseFilter(open_only=True, overdue=True)
    if due == "soon":  # running, not yet late, due within SOON_WD working days
        return CaseFilter(open_only=True, overdue=False, due_before=soon_until)
    return CaseFilter(open_only=True, due_before=soon_until)  # both


def district_url(office: str, agency: str = "", due: str = "", page: int = 1) -> str:
    pairs = [(k, v) for k, v in (("office", office), ("agency", agency), ("due", due)) if v]
    if page > 1:
        pairs.append(("page", str(page)))
    return "/district" + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/district", response_class=HTMLResponse)
def district(
    request: Request,
    me: Me,
    session: Db,
    office: Annotated[str | None, Query(max_length=64)] = None,
    agency: Annotated[str, Query(max_length=64)] = "",
    due: Annotated[Due, Query()] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    here = chosen_office(me, office)
    today = me.caller.today
    below = _subtree(session, me, here)
    calendars: dict[int, WorkingCalendar] = {}

    def calendar(agency_id: int) -> WorkingCalendar:
        if agency_id not in calendars:
            calendars[agency_id] = calendar_for(session, agency_id)
        return calendars[agency_id]

    soon_until = calendar(here.agency.id or 0).add(today, SOON_WD)
    counts = [
        AgencyCount(a.code, a.name,
                    count_cases(session, [a.id or 0], _filter("overdue", soon_until, today), today),
                    count_cases(session, [a.id or 0], _filter("soon", soon_until, today), today))
        for a in below
    ]  # fmt: skip
    shown = [a for a in below if a.code == agency] if agency else below
    ids = [a.id or 0 for a in shown]
    chosen = _filter(due, soon_until, today)
    total = count_cases(session, ids, chosen, today)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    found = search_cases(session, ids, chosen, today, order="urgency",
                         offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    told = tallies(session, [f.case.id or 0 for f in found])
    supervising = bool(here.roles & SUPERVISING_ROLES)
    rows = []
    for f in found:
        case, access = f.case, me.caller.scope.get(f.case.agency_id)
        tally = told.get(case.id or 0)
        rows.append(Row(
            id=case.id or 0, ref=case.ref, agency=f.agency.name, received_on=case.received_on,
            applicant=f.applicant.name if access and access.reveals else mask_name(f.applicant.name),
            state=State(case.state).label,
            handler=(f.handler.display_name or f.handler.username) if f.handler else "",
            due=countdown(calendar(case.agency_id), today, case.reply_due, case.due_provisional)
            if case.reply_due else None,
            supervised=tally.count if tally else 0,
            last_supervised=tally.last_at if tally else None,
            may_supervise=supervising,
        ))  # fmt: skip
    return render(
        request, session, me, "district.html",
        office=here, offices=offices(me), oc=here.agency.code if len(offices(me)) > 1 else "",
        counts=counts, rows=rows, total=total, page=page,
        pages=pages, agency=agency, due=due, url=district_url, today=today,
        soon_until=soon_until, soon_wd=SOON_WD,
    )  # fmt: skip


# --- 督办 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionPanel:
    """A case's supervisions for `_supervisions.html`, and where to supervise it (None: the
    user may not)."""

    items: list[SupervisionView]
    supervise_url: str | None


def supervision_panel(session: Session, me: Visitor, case: Case) -> SupervisionPanel:
    """For the case page: `supervisions=supervision_panel(session, me, case)`, then
    `{% include "_supervisions.html" %}`."""
    url = supervise_url(case.id or 0) if may_supervise(session, me.caller.scope, case) else None
    return SupervisionPanel(supervisions_of(session, case), url)


def supervise_url(case_id: int) -> str:
    return f"/district/cases/{case_id}/supervise"


def _supervise_page(
    request: Request,
    session: Session,
    me: Visitor,
    case_id: int,
    *,
    note: str = "",
    due_by: str = "",
    errors: dict[str, str] | None = None,
    sent: str = "",
    status: int = 200,
) -> HTMLResponse:
    case, access = visible_case(session, me.caller, case_id)
    office = office_for(session, me.caller.scope, case)  # 403 for anyone else
    agency = session.get(Agency, case.agency_id)
    handler = session.get(User, case.handler_id) if case.handler_id else None
    applicant = session.get(Applicant, case.applicant_id)
    name = applicant.name if applicant else ""
    due = None
    if case.reply_due is not None:
        due = countdown(calendar_for(session, case.agency_id), me.caller.today, case.reply_due,
                        case.due_provisional)  # fmt: skip
    return render(
        request, session, me, "district_supervise.html", status=status,
        case=case, agency=agency, office=office, state=State(case.state).label,
        applicant=name if access.reveals else mask_name(name),
        handler=(handler.display_name or handler.username) if handler else "",
        due=due, open=case.state in OPEN_STATES, today=me.caller.today,
        supervisions=SupervisionPanel(supervisions_of(session, case), None),
        note=note, due_by=due_by, errors=errors or {}, sent=sent, note_max=NOTE_MAX,
    )  # fmt: skip


@router.get("/district/cases/{case_id}/supervise", response_class=HTMLResponse)
def supervise_form(
    request: Request,
    me: Me,
    session: Db,
    case_id: CaseId,
    sent: Annotated[str, Query(max_length=8, pattern=r"^(\d{1,4}|again)?$")] = "",
) -> HTMLResponse:
    return _supervise_page(request, session, me, case_id, sent=sent)


@router.post("/district/cases/{case_id}/supervise")
def supervise_case(
    request: Request,
    me: Me,
    session: Db,
    case_id: CaseId,
    note: Annotated[str, Form(max_length=NOTE_MAX * 4)] = "",
    due_by: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    case, _access = visible_case(session, me.caller, case_id)
    office = office_for(session, me.caller.scope, case)
    errors: dict[str, str] = {}
    until: date | None = None
    if due_by.strip():
        try:
            until = date.fromisoformat(due_by.strip())
        except ValueError:
            errors["due_by"] = "请填写有效日期（格式 YYYY-MM-DD）"
    if not errors:
        try:
            done = supervise(session, case, office, me.caller.actor(office.agency.id or 0),
                             note, until, today=me.caller.today)  # fmt: skip
        except Invalid as error:
            errors[error.field or "_form"] = str(error)
    if errors:
        session.rollback()
        return _supervise_page(request, session, me, case_id, note=note, due_by=due_by,
                               errors=errors, status=422)  # fmt: skip
    session.commit()
    sent = str(done.notified) if done.created else "again"
    target = f"{supervise_url(case_id)}?sent={sent}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Location": target})
    return RedirectResponse(target, status_code=303)


# --- 年度报告汇总 ----------------------------------------------------------------------------


def _group_heading(group: OutcomeGroup) -> str:
    """The report row's label without its parenthesised note: （二）部分公开."""
    label = GROUP_LABELS[group]
    second = label.find("（", 1)
    return label if second < 0 else label[:second]


@router.get("/district/report", response_class=HTMLResponse)
def district_report(
    request: Request,
    me: Me,
    session: Db,
    office: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[int | None, Query(ge=2008, le=2099)] = None,
) -> HTMLResponse:
    here = chosen_office(me, office)
    today = me.caller.today
    chosen_year = year or today.year
    result = rollup.rollup(session, here.agency, chosen_year, parse_as_of(None), today,
                           get_settings().report_due_default)  # fmt: skip
    return render(
        request, session, me, "district_rollup.html",
        office=here, offices=offices(me), result=result, year=chosen_year,
        years=list(range(today.year, 2018, -1)),
        groups=[(g.value, _group_heading(g)) for g in OutcomeGroup],
    )  # fmt: skip
