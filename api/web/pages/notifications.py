"""通知: the user's inbox, newest first, unread highlighted; each links to its case; mark one or
all read. The same service as `GET /api/v1/notifications` (`casework.services.inbox`); a mark
answers with the inbox again (the header's unread count with it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import Db
from api.web.errors import is_htmx
from api.web.session import Me
from api.web.templating import render
from casework.services.inbox import InboxItem, inbox, mark_all_read, mark_read
from casework.settings import get_settings
from casework.timeutil import utcnow

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30
Show = Literal["all", "unread"]
KIND_LABELS = {
    "reminder": "期限提醒",
    "overdue": "逾期",
    "expired": "期限届满",
    "held": "待确认",
    "moved": "期限调整",
    "digest": "逾期汇总",
    "calendar": "工作日历",
    "supervision": "督办",
    "report_draft": "年度报告",
    "report_due": "年度报告",
    "report_overdue": "年度报告",
}


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    subject: str
    body: str
    href: str | None  # the case's page, or the alert's own link within this site
    created_at: datetime
    unread: bool


def _href(item: InboxItem) -> str | None:
    if item.case_id is not None:
        return f"/cases/{item.case_id}"
    if item.link is None:
        return None
    base = urlsplit(get_settings().public_url)
    link = urlsplit(item.link)
    if (link.scheme, link.netloc) == (base.scheme, base.netloc):
        return link.path + (f"?{link.query}" if link.query else "")
    return item.link


def _item(item: InboxItem) -> Item:
    return Item(item.id, KIND_LABELS.get(item.kind, "通知"), item.subject, item.body,
                _href(item), item.created_at, item.read_at is None)  # fmt: skip


def inbox_url(show: str, page: int = 1) -> str:
    pairs = [("show", show)] if show == "unread" else []
    if page > 1:
        pairs.append(("page", str(page)))
    return "/notifications" + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/notifications", response_class=HTMLResponse)
def notifications(
    request: Request,
    me: Me,
    session: Db,
    show: Annotated[Show, Query()] = "all",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    found = inbox(session, me.caller.user, unread_only=show == "unread",
                  limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    items = [_item(i) for i in found[:PAGE_SIZE]]
    return render(
        request,
        session,
        me,
        "notifications.html",
        items=items,
        show=show,
        page=page,
        more=len(found) > PAGE_SIZE,
        url=inbox_url,
    )


def _back(request: Request, show: str, page: int) -> Response:
    target = inbox_url(show, page)
    if is_htmx(request):  # the inbox again, the header's count with it
        return Response(status_code=200, headers={"HX-Location": target})
    return RedirectResponse(target, status_code=303)


@router.post("/notifications/{notification_id}/read")
def read_one(
    request: Request,
    me: Me,
    session: Db,
    notification_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    show: Annotated[Show, Form()] = "all",
    page: Annotated[int, Form(ge=1, le=10_000)] = 1,
) -> Response:
    mark_read(session, me.caller.user, [notification_id], utcnow())  # not theirs: 404
    session.commit()
    return _back(request, show, page)


@router.post("/notifications/read-all")
def read_all(
    request: Request, me: Me, session: Db, show: Annotated[Show, Form()] = "all"
) -> Response:
    mark_all_read(session, me.caller.user, utcnow())
    session.commit()
    return _back(request, show, 1)
