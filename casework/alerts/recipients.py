"""Who is told (DESIGN §1, §4): the case's handler (or, with none, the agency's clerks); for an
escalation also the approvers, and for a sub-agency the approvers of the district office
(政务公开办) above it; for the calendar, the administrators."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, or_, select

from casework.models import Agency, Case, User, UserRole
from workflows.roles import Role


def holders(session: Session, agency_ids: Iterable[int], role: Role, day: date) -> list[User]:
    """Active users holding `role` in one of the agencies on `day` (delegations included)."""
    ids = list(agency_ids)
    if not ids:
        return []
    query = (
        select(User)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(
            col(UserRole.agency_id).in_(ids),
            UserRole.role == role.value,
            col(User.active).is_(True),
            or_(col(UserRole.valid_from).is_(None), col(UserRole.valid_from) <= day),
            or_(col(UserRole.valid_to).is_(None), col(UserRole.valid_to) >= day),
        )
        .order_by(col(User.id))
    )
    return unique(session.exec(query).all())


def handlers(session: Session, case: Case, day: date) -> list[User]:
    if case.handler_id is not None:
        user = session.get(User, case.handler_id)
        if user is not None and user.active:
            return [user]
    return holders(session, [case.agency_id], Role.CLERK, day)


def district_offices(session: Session, agency: Agency) -> list[Agency]:
    """The supervising offices above an agency, nearest first."""
    out: list[Agency] = []
    seen: set[int] = set()
    parent_id = agency.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = session.get(Agency, parent_id)
        if parent is None:
            break
        if parent.supervises_subtree:
            out.append(parent)
        parent_id = parent.parent_id
    return out


def escalation(session: Session, agency: Agency, day: date) -> tuple[list[User], list[str]]:
    """The approvers of the agency and of its district offices, and their webhooks."""
    agencies = [agency, *district_offices(session, agency)]
    users = holders(session, [a.id for a in agencies if a.id is not None], Role.APPROVER, day)
    return users, [a.webhook_url for a in agencies if a.webhook_url]


def administrators(session: Session, day: date) -> list[User]:
    """Who loads next year's holiday notice: the calendar administrators (日历管理员), or,
    where nobody holds that role, every agency's administrators."""
    ids = [i for i in session.exec(select(Agency.id)).all() if i is not None]
    return holders(session, ids, Role.CALENDAR_ADMIN, day) or holders(session, ids, Role.ADMIN, day)


def unique(users: Iterable[User]) -> list[User]:
    seen: set[int | None] = set()
    out: list[User] = []
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            out.append(user)
    return out


def handler_name(session: Session, case: Case) -> str | None:
    """The assigned handler's name for an alert's text (None: nobody assigned yet)."""
    user = session.get(User, case.handler_id) if case.handler_id is not None else None
    return user.display_name if user is not None else None
