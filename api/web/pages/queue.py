"""工作台: the open cases of the agency the user works in now, most urgent first, each with its
working-day countdown; filters as query parameters (a filtered view is a bookmarkable URL);
the queue's figures at the top. The same search and masking as `GET /api/v1/cases`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import Db
from api.web.countdown import Countdown, countdown
from api.web.session import Me
from api.web.templating import render
from casework.masking import mask_name
from casework.services.calendars import calendar_for
from casework.services.case_search import (
    CaseFilter,
    Found,
    count_cases,
    handlers_of,
    search_cases,
)
from casework.services.queue_counts import QueueCounts, queue_counts, week_end
from casework.workdays.calendar import WorkingCalendar
from workflows.clocks import Clock
from workflows.outcomes import ApplicantKind
from workflows.states import OPEN_STATES, State

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
REQUEST_CHARS = 60  # the request text, shortened in the list
OPEN_STATE_CHOICES = [s for s in State if s in OPEN_STATES]  # in the workflow's order


@dataclass(frozen=True)
class Row:
    id: int
    ref: str
    received_on: date
    applicant: str  # masked where the user does not see the agency's applicants
    applicant_kind: str
    state: str
    handler: str
    request: str
    request_full: str
    due: Countdown | None  # the soonest running deadline
    due_label: str  # which deadline it is
    paused: bool  # the reply period is paused (correction, fee …)


@dataclass(frozen=True)
class Filters:
    state: str
    due: str  # "", "overdue" or "week"
    kind: str
    handler: str
    q: str

    def query(self, page: int = 1) -> str:
        """The URL's query string of these filters on a page."""
        pairs: list[tuple[str, str]] = []
        for name in ("state", "due", "kind", "handler", "q"):
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        if page > 1:
            pairs.append(("page", str(page)))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.query())


def _row(found: Found, reveals: bool, calendar: WorkingCalendar, today: date) -> Row:
    case = found.case
    name = found.applicant.name
    text = " ".join(case.request_text.split())
    short = text if len(text) <= REQUEST_CHARS else text[: REQUEST_CHARS - 1] + "…"
    handler = found.handler.display_name or found.handler.username if found.handler else ""
    due = (
        countdown(calendar, today, case.next_due, case.due_provisional)
        if case.next_due is not None
        else None
    )
    return Row(
        id=case.id or 0,
        ref=case.ref,
        received_on=case.received_on,
        applicant=name if reveals else mask_name(name),
        applicant_kind=ApplicantKind(case.applicant_kind).label,
        state=State(case.state).label,
        handler=handler,
        request=short,
        request_full=text,
        due=due,
        due_label=Clock(case.next_clock).label if case.next_clock else "",
        paused=case.reply_paused,
    )


def _blank(value: str | None) -> str:
    return (value or "").strip()


@router.get("/", response_class=HTMLResponse)
def work_queue(
    request: Request,
    me: Me,
    session: Db,
    state: Annotated[str | None, Query(max_length=32)] = None,
    due: Annotated[Literal["", "overdue", "week"], Query()] = "",
    kind: Annotated[str | None, Query(max_length=32)] = None,
    handler: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    today = me.caller.today
    filters = Filters(_blank(state), due, _blank(kind), _blank(handler), _blank(q))
    access = me.current
    agency_ids = [access.agency.id or 0] if access is not None else []
    chosen = CaseFilter(
        state=filters.state or None,
        open_only=True,
        # due this week: not yet late, due by Sunday (casework.services.queue_counts)
        overdue={"overdue": True, "week": False}.get(due),
        due_before=week_end(today) if due == "week" else None,
        applicant_kind=filters.kind or None,
        handler=filters.handler or None,
        text=filters.q or None,
        names_in=frozenset(i for i, a in me.caller.scope.agencies.items() if a.reveals),
    )
    total = count_cases(session, agency_ids, chosen, today)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    found = search_cases(session, agency_ids, chosen, today, order="urgency",
                         offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    rows: list[Row] = []
    if found and access is not None:
        calendar = calendar_for(session, access.agency.id)
        rows = [_row(f, access.reveals, calendar, today) for f in found]
    counts: QueueCounts = queue_counts(session, agency_ids, today)
    # a boosted filter form sends every field, blank ones too: the address bar gets the
    # view's own short URL (the one the pager links and a bookmark use)
    canonical = filters.query(page)
    headers = {"HX-Push-Url": "/" + (f"?{canonical}" if canonical else "")}
    return render(
        request,
        session,
        me,
        "queue.html",
        headers=headers if request.headers.get("hx-boosted") == "true" else None,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        counts=counts,
        states=[(s.value, s.label) for s in OPEN_STATE_CHOICES],
        kinds=[(k.value, k.label) for k in ApplicantKind],
        handlers=[
            (u.username, u.display_name or u.username) for u in handlers_of(session, agency_ids)
        ],
        today=today,
        week_end=week_end(today),
    )
