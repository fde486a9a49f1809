"""Delegation (代理, DESIGN §1): a user hands a role they hold in an agency to a colleague of
the same agency for a period — typically an approver away on leave. The delegate acts in
their own name; the role row records who delegated it. A delegated role is not delegated on."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, or_, select

from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import Agency, User, UserRole
from casework.services.directory import grant, roles_on
from workflows.roles import Role

MAX_DAYS = 366
DELEGABLE = frozenset({Role.APPROVER, Role.CLERK})


def delegate(
    session: Session,
    by: User,
    to: User,
    agency: Agency,
    role: Role,
    valid_from: date,
    valid_to: date,
    today: date,
) -> UserRole:
    if role not in DELEGABLE:
        raise Invalid(f"{role.label}角色不能委托", field="role")
    if valid_from < today:
        raise Invalid(f"代理开始日期 {valid_from} 早于今日（{today}）", field="valid_from")
    if valid_to < valid_from:
        raise Invalid("代理结束日期早于开始日期", field="valid_to")
    if (valid_to - valid_from).days >= MAX_DAYS:
        raise Invalid(f"代理期限不能超过 {MAX_DAYS} 日", field="valid_to")
    if (valid_from - today).days >= MAX_DAYS:
        raise Invalid(f"代理开始日期不能晚于今日起 {MAX_DAYS} 日", field="valid_from")
    if to.id == by.id:
        raise Invalid("不能委托给本人", field="to")
    if not to.active:
        raise Invalid(f"用户“{to.username}”已停用", field="to")
    own = session.exec(
        select(UserRole).where(
            UserRole.user_id == by.id,
            UserRole.agency_id == agency.id,
            UserRole.role == role.value,
            col(UserRole.delegated_by_id).is_(None),
            or_(col(UserRole.valid_from).is_(None), col(UserRole.valid_from) <= valid_from),
            or_(col(UserRole.valid_to).is_(None), col(UserRole.valid_to) >= valid_to),
        )
    ).first()
    if own is None:
        raise Forbidden(
            f"只能委托本人在该机关持有（非受托）的{role.label}角色，且须覆盖整个代理期间"
        )
    overlapping = session.exec(
        select(UserRole).where(
            UserRole.user_id == to.id,
            UserRole.agency_id == agency.id,
            UserRole.role == role.value,
            col(UserRole.delegated_by_id) == by.id,
            col(UserRole.valid_from) <= valid_to,
            col(UserRole.valid_to) >= valid_from,
        )
    ).first()
    if overlapping is not None:
        raise Conflict(
            f"已委托“{to.username}”{overlapping.valid_from} 至 {overlapping.valid_to}，期间重叠"
        )
    if not roles_on(session, to, agency, valid_from):
        raise Invalid(f"受托人“{to.username}”须为本机关人员", field="to")
    return grant(session, to, agency, role, valid_from, valid_to, delegated_by=by)


def delegations(session: Session, agency: Agency) -> list[UserRole]:
    return list(
        session.exec(
            select(UserRole)
            .where(UserRole.agency_id == agency.id, col(UserRole.delegated_by_id).is_not(None))
            .order_by(col(UserRole.valid_from), col(UserRole.id))
        ).all()
    )


def end_delegation(session: Session, row_id: int, agency: Agency, by: User, today: date) -> None:
    """End a delegation now (the delegator, or an administrator of the agency): one not yet
    begun is removed; a running one ends yesterday."""
    row = session.get(UserRole, row_id)
    if row is None or row.agency_id != agency.id or row.delegated_by_id is None:
        raise NotFound(f"没有编号为 {row_id} 的代理")
    if row.delegated_by_id != by.id and Role.ADMIN not in roles_on(session, by, agency, today):
        raise Forbidden("只有委托人或本机关管理员可以终止代理")
    if row.valid_from is not None and row.valid_from >= today:
        session.delete(row)
    else:
        row.valid_to = today - timedelta(days=1)
        session.add(row)
    session.flush()
