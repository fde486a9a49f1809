"""年度报告 `/reports`: pick a year and an agency (those the user sees), the report's status
(draft or published revision N with its as-of instant, the due day, late or not), the whole
report previewed in the official layout (`casework.reports.render.html.sections`: the same
cells and merges the HTML file has), every number of tables 三 and 四 a link to the cases or
appeals behind it (`casework.reports.drilldown`), the downloads (the API's document route), the
published revisions with their stored files, and the drift since publication
(`casework.reports.drift`). Editing and publishing: `api.web.pages.report_edit`.

Thin doors onto the services the API's report routers call; the agency is looked up through
the caller's scope (`visible_agency`: an agency the user does not see is 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.deps import Config, Db, visible_agency
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import NotFound
from casework.models import Agency
from casework.reports import drilldown, publications
from casework.reports import publish as publishing
from casework.reports.cell_names import (
    APPEAL_RESULT_LABELS,
    COLUMN_LABELS,
    SHORT_ROW_LABELS,
)
from casework.reports.document import AnnualReport, build
from casework.reports.drift import Cause, Drift, action_label, drift
from casework.reports.narratives import PLACEHOLDER, placeholders
from casework.reports.render import FORMATS
from casework.reports.render.html import sections
from casework.reports.rollup import Status, publication_status
from casework.services.access import Access
from casework.services.appeals import KINDS, ROLES
from casework.settings import Settings
from casework.statistics.figures import parse_as_of
from casework.statistics.text import PROACTIVE_BLOCKS, PROACTIVE_COUNTS
from casework.timeutil import china_today
from workflows.outcomes import outcome
from workflows.roles import Role

router = APIRouter(include_in_schema=False)

FIRST_YEAR = 2008  # the Regulations in force (the API's lowest year)
Year = Annotated[int, Path(ge=FIRST_YEAR, le=2099, description="年度")]
AgencyCode = Annotated[str | None, Query(max_length=64)]
AsOf = Annotated[str | None, Query(max_length=40)]
WRITERS = frozenset({Role.CLERK, Role.APPROVER})
APPROVERS = frozenset({Role.APPROVER})
# the downloads, in the order a clerk wants them (the registry has them all: FORMATS)
FORMAT_LABELS = {
    "docx": "Word 文档（DOCX）",
    "xlsx": "Excel 表格（XLSX）",
    "html": "网页（HTML）",
    "txt": "纯文本（TXT）",
    "json": "数据（JSON）",
}
TABLE_NAMES = {"requests": "表三", "appeals": "表四", "proactive": "第二部分", "fees": "信息处理费"}
FEE_LABELS = {
    "notices": "收费通知件数",
    "amount_notified_yuan": "通知收取金额（元）",
    "payments": "实际收费件数",
    "amount_collected_yuan": "实际收取金额（元）",
}
PROACTIVE_ROW_LABELS = {key: label for _, _, rows in PROACTIVE_BLOCKS for label, key in rows}
PROACTIVE_COUNT_LABELS = dict(zip(PROACTIVE_COUNTS, PROACTIVE_BLOCKS[0][1], strict=True))
STATUS_CSS = {
    Status.ON_TIME: "done",
    Status.LATE: "overdue",
    Status.OVERDUE: "overdue",
    Status.NOT_DUE: "",
    Status.MERGED: "",
}


# -- addresses ---------------------------------------------------------------------------------


def _query(agency: str, **extra: str | int | None) -> str:
    pairs = {"agency": agency, **{k: v for k, v in extra.items() if v is not None}}
    return urlencode(pairs)


def report_url(year: int, agency: str) -> str:
    return f"/reports/{year}?{_query(agency)}"


def page_url(year: int, agency: str, what: str) -> str:
    """One of the year's pages: "narratives", "inputs", "publish"."""
    return f"/reports/{year}/{what}?{_query(agency)}"


def request_cell_url(year: int, agency: str, row: str, column: str, as_of: str) -> str:
    return (
        f"/reports/{year}/cells/{quote(row, safe='')}/{quote(column, safe='')}"
        f"?{_query(agency, as_of=as_of)}"
    )


def appeal_cell_url(year: int, agency: str, kind: str, result: str, as_of: str) -> str:
    return (
        f"/reports/{year}/appeal-cells/{quote(kind, safe='')}/{quote(result, safe='')}"
        f"?{_query(agency, as_of=as_of)}"
    )


def document_url(year: int, agency: str, fmt: str, as_of: str | None = None) -> str:
    """The API's download of the whole report (the cookie session signs a GET in)."""
    return f"/api/v1/reports/{year}/document?{_query(agency, format=fmt, as_of=as_of)}"


def file_url(year: int, agency: str, revision: int, fmt: str) -> str:
    """The API's download of a file stored when the revision was published."""
    return (
        f"/api/v1/reports/{year}/publication/files/{quote(fmt, safe='')}"
        f"?{_query(agency, revision=revision)}"
    )


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


# -- which agency ------------------------------------------------------------------------------


def visible(me: Visitor) -> list[Access]:
    """The agencies whose reports the user sees: their own, then those they supervise."""
    return [*me.own, *me.supervised]


def default_year(me: Visitor) -> int:
    return me.caller.today.year - 1  # the report a clerk works on: last year's


def chosen_agency(session: Session, me: Visitor, code: str | None) -> tuple[Agency, Access]:
    """The agency asked for (one the user does not see is 404), else the one worked in now."""
    if not code:
        seen = visible(me)
        if me.current is not None:
            code = me.current.agency.code
        elif seen:
            code = seen[0].agency.code
        else:
            raise NotFound("您没有可查看年度报告的机关")
    return visible_agency(session, me.caller, code)


def may_write(access: Access) -> bool:
    return bool(access.roles & WRITERS)


def may_publish(access: Access) -> bool:
    return bool(access.roles & APPROVERS)


# -- the report page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    href: str
    label: str  # what the link is for a screen reader: the cell and its number


@dataclass(frozen=True)
class PublishedFile:
    format: str
    label: str
    filename: str
    size: int
    url: str


@dataclass(frozen=True)
class Revision:
    revision: int
    as_of: datetime
    published_by: str
    published_at: datetime
    reason: str | None
    verified: bool
    files: list[PublishedFile]


@dataclass(frozen=True)
class DriftCell:
    where: str
    published: Any
    current: Any
    delta: int | None


@dataclass(frozen=True)
class DriftCause:
    what: str
    action: str
    effective_on: date | None
    recorded_at: datetime
    actor: str
    moved: str


def _revisions(session: Session, agency: Agency, year: int) -> list[Revision]:
    assert agency.id is not None
    out = []
    for row in publications.revisions(session, agency.id, year):
        stored = publishing.files(session, row)
        files = [
            PublishedFile(f.format, FORMAT_LABELS.get(f.format, f.format), f.filename,
                          len(f.content), file_url(year, agency.code, row.revision, f.format))
            for f in sorted(stored, key=lambda f: _format_order(f.format))
        ]  # fmt: skip
        out.append(
            Revision(row.revision, row.as_of, row.published_by, row.published_at, row.reason,
                     publishing.verify(row, stored), files)
        )  # fmt: skip
    return out


def _format_order(name: str) -> int:
    order = list(FORMAT_LABELS)
    return order.index(name) if name in order else len(order)


def downloads(year: int, agency: str) -> list[tuple[str, str]]:
    """(label, url) of each format of the registry, the usual ones first."""
    names = sorted(FORMATS, key=_format_order)
    return [(FORMAT_LABELS.get(n, n.upper()), document_url(year, agency, n)) for n in names]


def _cell_label(table: str, row: str, column: str) -> str:
    if table == "requests":
        return f"{SHORT_ROW_LABELS.get(row, row)} · {COLUMN_LABELS.get(column, column)}"
    if table == "appeals":
        return f"{KINDS.get(row, row)} · {APPEAL_RESULT_LABELS.get(column, column)}"
    if table == "proactive":
        name = PROACTIVE_ROW_LABELS.get(row, row)
        return f"{name} · {PROACTIVE_COUNT_LABELS.get(column, column)}" if column else name
    return FEE_LABELS.get(row, row)


def _row_label(row: str) -> str:
    return SHORT_ROW_LABELS.get(row, row)


def _moved(cause: Cause) -> str:
    before, after = cause.before, cause.after
    if cause.kind == "appeal":

        def where(place: tuple[str, str] | None) -> str:
            if place is None:
                return "不计入"
            return f"{KINDS.get(place[0], place[0])} {APPEAL_RESULT_LABELS.get(place[1], place[1])}"

        return f"{where(before)} → {where(after)}"
    if cause.kind != "case":
        return ""
    if before and after and before[0] == after[0]:
        return f"{_row_label(before[1])} → {_row_label(after[1])}"

    def counted(place: tuple[str, str] | None) -> str:
        return "不计入" if place is None else f"{_row_label(place[0])}／{_row_label(place[1])}"

    return f"{counted(before)} → {counted(after)}"


def _cause_subject(cause: Cause) -> str:
    if cause.kind == "case":
        return f"案件 {cause.ref}（{COLUMN_LABELS.get(cause.column, cause.column)}）"
    if cause.kind == "fee":
        return f"案件 {cause.ref}（信息处理费）"
    if cause.kind == "input":
        return f"第二部分数据 {cause.ref}"
    return cause.ref


def drift_view(found: Drift) -> dict[str, Any]:
    cells = [
        DriftCell(f"{TABLE_NAMES.get(c.table, c.table)} {_cell_label(c.table, c.row, c.column)}",
                  c.published, c.current, c.delta)
        for c in found.cells
    ]  # fmt: skip
    causes = [
        DriftCause(_cause_subject(c), action_label(c.action), c.effective_on, c.recorded_at,
                   c.actor, _moved(c))
        for c in found.causes
    ]  # fmt: skip
    return {"drift": found, "cells": cells, "causes": causes}


def cell_link(year: int, agency: str, as_of: str, table: str, data: dict[str, str],
              number: str) -> Link | None:  # fmt: skip
    """The drill-down of a number of table 三 or 四 in the preview (None for table 二)."""
    if table == "requests":
        row, column = data["row"], data["col"]
        href = request_cell_url(year, agency, row, column, as_of)
        return Link(href, f"表三 {_cell_label(table, row, column)}：{number} 件，查看案件")
    if table == "appeals":
        kind, result = data["appeal"], data["result"]
        href = appeal_cell_url(year, agency, kind, result, as_of)
        return Link(href, f"表四 {_cell_label(table, kind, result)}：{number} 件，查看复议、诉讼")
    return None


def marked(text: str) -> list[tuple[str, bool]]:
    """A line of the report cut into pieces, each 【请填写：…】 placeholder a piece of its own
    (True), for the preview to highlight."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for found in PLACEHOLDER.finditer(text):
        if found.start() > at:
            pieces.append((text[at : found.start()], False))
        pieces.append((found.group(0), True))
        at = found.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def report_context(
    session: Session, me: Visitor, config: Settings, found: Agency, access: Access, year: int
) -> dict[str, Any]:
    """Everything the report page shows for the agency's year, as recorded now."""
    caller = me.caller
    now = caller.now
    document: AnnualReport = build(session, found, year, now)
    revisions = _revisions(session, found, year)
    due, status, days_late = publication_status(
        session, found, year, now, caller.today, config.report_due_default
    )
    drifted: dict[str, Any] | None = None
    if revisions:
        changes = drift(session, found, year, now)
        if not changes.empty:
            drifted = drift_view(changes)
    as_of = _instant(now)
    code = found.code

    def link(table: str, data: tuple[tuple[str, str], ...], number: str) -> Link | None:
        return cell_link(year, code, as_of, table, dict(data), number)

    return {
        "year": year,
        "agency": found,
        "access": access,
        "years": list(range(caller.today.year, FIRST_YEAR - 1, -1)),
        "agencies": visible(me),
        "document": document,
        "sections": sections(document),
        "link": link,
        "marked": marked,
        "as_of": now,
        "placeholders": placeholders(document.narratives),
        "revisions": revisions,
        "latest": revisions[-1] if revisions else None,
        "year_ended": china_today(now) > date(year, 12, 31),
        "due": due,
        "standing": status,
        "standing_css": STATUS_CSS[status],
        "days_late": days_late,
        "drifted": drifted,
        "downloads": downloads(year, code),
        "may_write": may_write(access),
        "may_publish": may_publish(access),
        "urls": {
            "inputs": page_url(year, code, "inputs"),
            "narratives": page_url(year, code, "narratives"),
            "publish": page_url(year, code, "publish"),
            "print": document_url(year, code, "html"),
        },
    }


def report_page(
    request: Request,
    session: Session,
    me: Visitor,
    config: Settings,
    found: Agency,
    access: Access,
    year: int,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HTMLResponse:
    context = report_context(session, me, config, found, access, year) | extra
    return render(request, session, me, "reports.html", status=status, headers=headers, **context)


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request,
    me: Me,
    session: Db,
    config: Config,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=2099)] = None,
    agency: AgencyCode = None,
) -> HTMLResponse:
    """The report of the year and agency picked (default: last year, the agency worked in)."""
    found, access = chosen_agency(session, me, agency)
    chosen = year if year is not None else default_year(me)
    headers = {"HX-Replace-Url": report_url(chosen, found.code)}
    return report_page(request, session, me, config, found, access, chosen, headers=headers)


@router.get("/reports/{year}", response_class=HTMLResponse)
def report_of_year(
    request: Request, year: Year, me: Me, session: Db, config: Config, agency: AgencyCode = None
) -> HTMLResponse:
    found, access = chosen_agency(session, me, agency)
    return report_page(request, session, me, config, found, access, year)


# -- drill-down --------------------------------------------------------------------------------


@router.get("/reports/{year}/cells/{row}/{column}", response_class=HTMLResponse)
def request_cell(
    request: Request,
    year: Year,
    row: Annotated[str, Path(min_length=1, max_length=100)],
    column: Annotated[str, Path(min_length=1, max_length=100)],
    me: Me,
    session: Db,
    agency: AgencyCode = None,
    as_of: AsOf = None,
) -> HTMLResponse:
    """The cases behind a cell of table 三 (the API's `/reports/{year}/cells/…`)."""
    found, _access = chosen_agency(session, me, agency)
    cell = drilldown.request_cell(session, found, year, parse_as_of(as_of), row, column)
    lines = [
        {
            "line": line,
            "outcome": outcome(line.outcome).full_label if line.outcome else "",
            "kind": COLUMN_LABELS.get(line.applicant_kind, line.applicant_kind),
        }
        for line in cell.cases
    ]
    return render(
        request, session, me, "reports_cell.html",
        year=year, agency=found, what="cases", cell=cell, lines=lines,
        title=f"表三 {_cell_label('requests', cell.row, cell.column)}",
        count=len(cell.cases), back=report_url(year, found.code),
    )  # fmt: skip


@router.get("/reports/{year}/appeal-cells/{kind}/{result}", response_class=HTMLResponse)
def appeal_cell(
    request: Request,
    year: Year,
    kind: Annotated[str, Path(min_length=1, max_length=100)],
    result: Annotated[str, Path(min_length=1, max_length=100)],
    me: Me,
    session: Db,
    agency: AgencyCode = None,
    as_of: AsOf = None,
) -> HTMLResponse:
    """The appeals behind a cell of table 四 (the API's `/reports/{year}/appeal-cells/…`)."""
    found, _access = chosen_agency(session, me, agency)
    cell = drilldown.appeal_cell(session, found, year, parse_as_of(as_of), kind, result)
    lines = [
        {
            "line": line,
            "kind": KINDS.get(line.kind, line.kind),
            "role": ROLES.get(line.role, line.role),
            "result": APPEAL_RESULT_LABELS[line.result or "pending"],
        }
        for line in cell.appeals
    ]
    return render(
        request, session, me, "reports_cell.html",
        year=year, agency=found, what="appeals", cell=cell, lines=lines,
        title=f"表四 {_cell_label('appeals', cell.kind, cell.result)}",
        count=len(cell.appeals), back=report_url(year, found.code),
    )  # fmt: skip
