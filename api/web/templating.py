"""The Jinja2 environment of the pages and `render`, which gives every page the header's data:
the user, their roles in the agency they work in now, the agency switcher and the unread count."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from api.web.session import Visitor
from casework.services.calendars import notice_missing
from casework.services.inbox import unread_count
from workflows.roles import Role

TEMPLATES = Path(__file__).parent / "templates"
CHINA = ZoneInfo("Asia/Shanghai")
WEEKDAYS = "一二三四五六日"

templates = Jinja2Templates(directory=TEMPLATES)


def day(value: date | None) -> str:
    """2026-11-27（五）: the ISO date, short and sortable, with the weekday a clerk counts by."""
    if value is None:
        return ""
    return f"{value.isoformat()}（{WEEKDAYS[value.weekday()]}）"


def instant(value: datetime | None) -> str:
    """An instant in China time, to the minute."""
    if value is None:
        return ""
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def yuan(fen: int | None) -> str:
    return "" if fen is None else f"{fen / 100:,.2f} 元"


templates.env.filters.update(day=day, instant=instant, yuan=yuan)
templates.env.globals.update(static="/static/web", vendor="/static/vendor")


def calendar_banner(session: Session, visitor: Visitor) -> int | None:
    """Next year, from 1 November while its holiday notice is missing (DESIGN §3.2), for the
    administrators and calendar administrators who load it; else None."""
    if not (visitor.holds(Role.ADMIN) or Role.CALENDAR_ADMIN in visitor.caller.scope.all_roles):
        return None
    return notice_missing(session, visitor.caller.today)


def render(
    request: Request,
    session: Session,
    visitor: Visitor | None,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A whole page (or, for an htmx request that asks for one, a fragment template)."""
    base: dict[str, Any] = {"me": visitor, "unread": 0, "calendar_banner": None}
    if visitor is not None:
        base["unread"] = unread_count(session, visitor.caller.user)
        base["calendar_banner"] = calendar_banner(session, visitor)
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status, headers=headers
    )


def fragment(
    request: Request,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A piece of a page for htmx to swap in: no header, no database."""
    return templates.TemplateResponse(request, template, context, status_code=status,
                                      headers=headers)  # fmt: skip
