"""Agencies, users and roles; who an actor is in an agency on a given day."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from casework.errors import Invalid, NotFound
from casework.models import Agency, AgencyName, User, UserRole
from workflows.roles import Actor, ActorKind, Role
from workflows.snapshot import Policy


def agency_by_code(session: Session, code: str) -> Agency:
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise NotFound(f"没有代码为“{code}”的机关")
    return agency


def _identifier(value: str, what: str) -> str:
    """Codes and user names: non-empty, no spaces (they are typed on command lines and in URLs)."""
    if not value or value != value.strip() or any(ch.isspace() for ch in value) or len(value) > 64:
        raise Invalid(f"{what}“{value}”无效：须为1–64个字符且不含空白", field=what)
    return value


def ensure_agency(session: Session, code: str, name: str, parent: str | None = None) -> Agency:
    """The agency with this code, created if new (a different name is an error, not a rename)."""
    _identifier(code, "机关代码")
    name = name.strip()
    if not name:
        raise Invalid("机关名称不能为空", field="name")
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is not None:
        if agency.name != name:
            raise Invalid(
                f"机关“{code}”已登记为“{agency.name}”，与“{name}”不一致；更名请用 agency rename",
                field="agency.name",
            )
        if parent is not None:
            current = session.get(Agency, agency.parent_id) if agency.parent_id else None
            if current is None or current.code != parent:
                where = f"上级为“{current.code}”" if current else "为顶级机关"
                raise Invalid(
                    f"机关“{code}”已存在，{where}；调整上级请用 agency set {code} --parent 上级代码",
                    field="parent",
                )
        return agency
    parent_row = agency_by_code(session, parent) if parent else None
    agency = Agency(code=code, name=name, parent_id=parent_row.id if parent_row else None)
    session.add(agency)
    session.flush()
    session.add(AgencyName(agency_id=_id(agency.id), name=name))
    session.flush()
    return agency


def place_agency(
    session: Session,
    agency: Agency,
    *,
    parent: str | None = None,
    top_level: bool = False,
    supervises_subtree: bool | None = None,
) -> None:
    """Move an agency under another (or to the top) and make it a district office (政务公开办,
    which reads its subtree) or not. The tree stays a tree: an agency cannot sit under itself
    or under one of its own sub-agencies."""
    if parent is not None and top_level:
        raise Invalid("不能同时指定上级机关和设为顶级机关", field="parent")
    if parent is not None:
        new_parent = agency_by_code(session, parent)
        if not new_parent.active:
            raise Invalid(f"机关“{new_parent.code}”已撤并，不能作为上级", field="parent")
        ancestor: Agency | None = new_parent
        while ancestor is not None:
            if ancestor.id == agency.id:
                raise Invalid(
                    f"不能把机关“{agency.code}”放到“{new_parent.code}”之下：后者是它自身或它的下级",
                    field="parent",
                )
            ancestor = session.get(Agency, ancestor.parent_id) if ancestor.parent_id else None
        agency.parent_id = new_parent.id
    elif top_level:
        agency.parent_id = None
    if supervises_subtree is not None:
        agency.supervises_subtree = supervises_subtree
    session.add(agency)
    session.flush()


def _close_current_name(session: Session, agency: Agency, on: date) -> None:
    current = session.exec(
        select(AgencyName).where(
            AgencyName.agency_id == agency.id, col(AgencyName.valid_to).is_(None)
        )
    ).first()
    if current is not None:
        current.valid_to = on
        session.add(current)


def rename_agency(session: Session, agency: Agency, new_name: str, on: date) -> None:
    _close_current_name(session, agency, on)
    session.add(AgencyName(agency_id=_id(agency.id), name=new_name, valid_from=on))
    agency.name = new_name
    session.add(agency)
    session.flush()


def merge_agency(session: Session, source: Agency, target: Agency, on: date) -> None:
    """机构改革: `source` is merged into `target`. Its cases and names stay its own (history);
    new requests go to the target."""
    if source.id == target.id:
        raise Invalid("不能将机关合并到其自身")
    if not source.active:
        raise Invalid(f"机关“{source.code}”已撤并")
    if not target.active:
        raise Invalid(f"机关“{target.code}”已撤并，不能作为合并目标")
    source.merged_into_id = target.id
    source.active = False
    session.add(source)
    _close_current_name(session, source, on)
    session.flush()


def set_report_due(session: Session, agency: Agency, value: str) -> None:
    """The day the agency's annual report is due, "MM-DD" of the next year (条例第四十九条:
    a government's own report by 03-31); an empty value returns it to the default setting."""
    from casework.services import agency_policy  # it builds on this module

    agency_policy.apply(session, agency, agency_policy.PolicyChange(report_due=value))


def policy_of(agency: Agency) -> Policy:
    return Policy(
        signoff_required=agency.signoff_required,
        post_grace_days=agency.post_grace_days,
        correction_period_wd=agency.correction_period_wd,
    )


def set_reminder_policy(
    session: Session,
    agency: Agency,
    before_wd: str | None = None,
    at: str | None = None,
    escalate_overdue: bool | None = None,
    webhook_url: str | None = None,
) -> None:
    """Change the agency's reminder policy; the open cases' reminders follow at once."""
    from casework.services import agency_policy  # it builds on this module

    change = agency_policy.PolicyChange(remind_before_wd=before_wd, remind_at=at,
                                        escalate_overdue=escalate_overdue,
                                        webhook_url=webhook_url)  # fmt: skip
    agency_policy.apply(session, agency, change)


def subtree(session: Session, agency: Agency) -> list[Agency]:
    """The agency and every agency below it, a level at a time (trees are shallow)."""
    out, frontier = [agency], [agency.id]
    seen = {agency.id}
    while frontier:
        below = session.exec(
            select(Agency).where(col(Agency.parent_id).in_(frontier)).order_by(col(Agency.code))
        ).all()
        frontier = []
        for child in below:
            if child.id not in seen:
                seen.add(child.id)
                out.append(child)
                frontier.append(child.id)
    return out


def add_user(session: Session, username: str, display_name: str, email: str | None = None) -> User:
    _identifier(username, "用户名")
    display_name = display_name.strip() or username
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Invalid(f"用户“{username}”已存在", field="username")
    user = User(username=username, display_name=display_name, email=email)
    session.add(user)
    session.flush()
    return user


def user_by_name(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"没有用户“{username}”")
    return user


def grant(
    session: Session,
    user: User,
    agency: Agency,
    role: Role,
    valid_from: date | None = None,
    valid_to: date | None = None,
    delegated_by: User | None = None,
) -> UserRole:
    if valid_from and valid_to and valid_to < valid_from:
        raise Invalid("结束日期早于开始日期", field="valid_to")
    row = UserRole(
        user_id=_id(user.id),
        agency_id=_id(agency.id),
        role=role.value,
        valid_from=valid_from,
        valid_to=valid_to,
        delegated_by_id=delegated_by.id if delegated_by else None,
    )
    session.add(row)
    session.flush()
    return row


def roles_on(session: Session, user: User, agency: Agency, day: date) -> frozenset[Role]:
    rows = session.exec(
        select(UserRole).where(UserRole.user_id == user.id, UserRole.agency_id == agency.id)
    ).all()
    return frozenset(
        Role(r.role)
        for r in rows
        if (r.valid_from is None or r.valid_from <= day)
        and (r.valid_to is None or day <= r.valid_to)
    )


@dataclass(frozen=True)
class Member:
    """A user with the role rows they have (had) in some agencies, oldest first."""

    user: User
    roles: list[tuple[UserRole, Agency]]


def members(session: Session, agencies: Collection[Agency]) -> list[Member]:
    """Everyone who holds or held a role in these agencies, by user name."""
    by_id = {a.id: a for a in agencies}
    rows = session.exec(
        select(UserRole).where(col(UserRole.agency_id).in_(list(by_id))).order_by(col(UserRole.id))
    ).all()
    held: dict[int, list[tuple[UserRole, Agency]]] = {}
    for row in rows:
        held.setdefault(row.user_id, []).append((row, by_id[row.agency_id]))
    if not held:
        return []
    users = session.exec(
        select(User).where(col(User.id).in_(list(held))).order_by(col(User.username))
    ).all()
    return [Member(u, held[_id(u.id)]) for u in users]


def role_rows(session: Session, user: User) -> list[UserRole]:
    return list(
        session.exec(
            select(UserRole).where(UserRole.user_id == user.id).order_by(col(UserRole.id))
        ).all()
    )


def ended(row: UserRole, today: date) -> bool:
    return row.valid_to is not None and row.valid_to < today


def revoke(session: Session, row: UserRole, today: date) -> None:
    """End a role now: one not yet begun is removed; a running one is valid until yesterday."""
    if ended(row, today):
        raise Invalid(f"该角色已于 {row.valid_to} 结束", field="role")
    if row.valid_from is not None and row.valid_from >= today:
        session.delete(row)
    else:
        row.valid_to = today - timedelta(days=1)
        session.add(row)
    session.flush()


def revoke_role(session: Session, user: User, agency: Agency, role: Role, today: date) -> int:
    """End every row of this role of the user in the agency that is valid today or later."""
    rows = [r for r in role_rows(session, user)
            if r.agency_id == agency.id and r.role == role.value and not ended(r, today)]  # fmt: skip
    if not rows:
        raise NotFound(f"用户“{user.username}”在机关“{agency.code}”没有{role.label}角色")
    for row in rows:
        revoke(session, row, today)
    return len(rows)


def actor_for(session: Session, username: str, agency: Agency, day: date) -> Actor:
    user = user_by_name(session, username)
    if not user.active:
        raise Invalid(f"用户“{username}”已停用")
    return Actor(ActorKind.USER, user.username, roles_on(session, user, agency, day), user.id)


def _id(value: int | None) -> int:
    """The primary key of a flushed row."""
    assert value is not None, "row not flushed"
    return value
