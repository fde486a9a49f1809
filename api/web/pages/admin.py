"""管理: the administrators' pages — users and roles (admin_users), the working-day calendar
(admin_calendar), the agency's policy (admin_policies) and notice templates (admin_templates).
An agency's administrator manages the agency they work in now and, for a district office, its
subtree; a calendar administrator keeps the national calendar. Everyone else is refused (403),
as the API refuses them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from api.web.session import Me, Visitor
from casework.errors import Forbidden
from casework.services import user_admin
from workflows.roles import Role

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Tab:
    href: str
    label: str


def is_admin(me: Visitor) -> bool:
    return me.holds(Role.ADMIN)


def is_calendar_admin(me: Visitor) -> bool:
    """The national calendar's keeper: the role counts in any agency (as the API counts it)."""
    return Role.CALENDAR_ADMIN in me.caller.scope.all_roles


def tabs(me: Visitor) -> list[Tab]:
    """The 管理 areas this visitor may open, for the pages' sub-navigation."""
    out = [Tab("/admin/users", "用户和角色")] if is_admin(me) else []
    if is_admin(me) or is_calendar_admin(me):
        out.append(Tab("/admin/calendar", "工作日历"))
    if is_admin(me):
        out += [Tab("/admin/policies", "办理政策"), Tab("/admin/templates", "告知书模板")]
    return out


def require_admin(session: Session, me: Visitor) -> user_admin.Administration:
    """The administrator's standing in the agency they work in now; 403 for anyone else."""
    if me.current is None or me.current.agency.id is None:
        raise Forbidden("管理功能须由本机关管理员办理")
    return user_admin.administration(session, me.caller.scope, me.current.agency.id)


@router.get("/admin")
def admin_home(me: Me) -> RedirectResponse:
    """管理 in the header: the first area this visitor may open."""
    allowed = tabs(me)
    if not allowed:
        raise Forbidden("管理功能须由本机关管理员或日历管理员办理")
    return RedirectResponse(allowed[0].href, status_code=303)
