"""Calendar changes by an administrator: one day overridden, or a year's notice loaded — each
moves every open case's deadlines and timers in the same transaction (audited, handlers told)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlmodel import Session

from casework.errors import Forbidden
from casework.models import Agency
from casework.services import recompute
from casework.services.calendars import confirm_year, set_override
from workflows.roles import Role


def require_national_role(roles: Collection[Role]) -> None:
    """The national calendar moves every agency's deadlines: only a calendar administrator
    (日历管理员, a role granted in any agency) changes it; an agency's own administrator
    changes only that agency's local days."""
    if Role.CALENDAR_ADMIN not in roles:
        raise Forbidden("调整全国工作日历（放假安排）须由日历管理员办理")


def set_day(
    session: Session,
    day: date,
    workday: bool,
    source: str,
    actor: str,
    agency: Agency | None = None,
) -> list[recompute.Moved]:
    """Override one day and move every open case's deadlines with it (audited)."""
    _, moved = recompute.with_recompute(
        session,
        lambda: set_override(session, day, workday, source, actor, agency),
        reason=f"日历调整：{day} {'上班' if workday else '休息'}（{source}）",
        agency_id=agency.id if agency else None,
    )
    return moved


def confirm(session: Session, year: int, source: str, actor: str) -> list[recompute.Moved]:
    """Load a year's notice (its dates stop being provisional) and move the deadlines."""
    _, moved = recompute.with_recompute(
        session,
        lambda: confirm_year(session, year, source, actor),
        reason=f"{year}年放假安排已载入（{source}）",
    )
    return moved
