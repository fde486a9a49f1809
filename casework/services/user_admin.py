"""What an agency's administrator (管理员) may do with users and roles (DESIGN §1): in the
agency where they hold the role and, for a district office (政务公开办), in its whole subtree.
A user with no role there does not exist for them (404); a user who also holds a role
elsewhere is theirs to grant and revoke roles here, but not to disable or give a new password
(that changes the user's standing in the other agencies too). The national calendar role is
granted only by a calendar administrator. The changes themselves are `directory`'s and
`auth`'s, the ones the CLI makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import Agency, User, UserRole
from casework.services import auth, directory
from casework.services.access import Scope
from workflows.roles import Role

ASSIGNABLE = (Role.CLERK, Role.APPROVER, Role.AUDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Administration:
    """An administrator at work: who, from which agency, over which agencies, on which day."""

    admin: User
    home: Agency
    agencies: dict[int, Agency]  # managed: the home agency, and a district office's subtree
    today: date
    calendar_admin: bool  # may grant the national calendar role too

    @property
    def roles(self) -> tuple[Role, ...]:
        return ASSIGNABLE + ((Role.CALENDAR_ADMIN,) if self.calendar_admin else ())

    def agency(self, code: str) -> Agency:
        for agency in self.agencies.values():
            if agency.code == code:
                return agency
        raise NotFound(f"没有代码为“{code}”的机关")


def administration(session: Session, scope: Scope, agency_id: int) -> Administration:
    """The administrator's standing from the agency they work in now; 403 without the role."""
    if Role.ADMIN not in scope.roles_in(agency_id):
        raise Forbidden("管理功能须由本机关管理员办理")
    home = session.get(Agency, agency_id)
    assert home is not None  # in the scope, so it exists
    managed = directory.subtree(session, home) if home.supervises_subtree else [home]
    admin = session.get(User, scope.user.id)
    assert admin is not None
    return Administration(admin, home, {a.id: a for a in managed if a.id is not None},
                          scope.day, Role.CALENDAR_ADMIN in scope.all_roles)  # fmt: skip


def members(session: Session, adm: Administration) -> list[directory.Member]:
    return directory.members(session, list(adm.agencies.values()))


def member(session: Session, adm: Administration, user_id: int) -> User:
    """A user who holds or held a role in a managed agency; anyone else is not found."""
    user = session.get(User, user_id)
    if user is None or not any(r.agency_id in adm.agencies
                               for r in directory.role_rows(session, user)):  # fmt: skip
        raise NotFound("没有这个用户")
    return user


def _role(adm: Administration, value: str) -> Role:
    for role in adm.roles:
        if role.value == value:
            return role
    if value == Role.CALENDAR_ADMIN.value:
        raise Forbidden("日历管理员角色须由日历管理员授予")
    raise Invalid("请选择角色", field="role")


def _whole_user(session: Session, adm: Administration, user: User, doing: str) -> None:
    """User-wide changes: only for a user whose live roles are all in managed agencies."""
    if user.id == adm.admin.id:
        raise Forbidden(f"不能{doing}本人；修改本人密码请用“修改密码”")
    elsewhere = [r for r in directory.role_rows(session, user)
                 if r.agency_id not in adm.agencies and not directory.ended(r, adm.today)]  # fmt: skip
    if elsewhere:
        raise Forbidden(
            f"该用户在您管理范围以外的机关另有角色，不能由您{doing}；请联系该机关管理员"
        )


def grant(
    session: Session,
    adm: Administration,
    user: User,
    agency_code: str,
    role_value: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> UserRole:
    """A role in a managed agency, for a period or open-ended; an overlapping grant of the
    same role is a conflict."""
    agency = adm.agency(agency_code)
    role = _role(adm, role_value)
    if valid_to is not None and valid_to < adm.today:
        raise Invalid(f"结束日期 {valid_to} 早于今日（{adm.today}）", field="valid_to")
    if not user.active:
        raise Invalid(f"用户“{user.username}”已停用，请先重新启用", field="role")
    for row in session.exec(
        select(UserRole).where(
            UserRole.user_id == user.id,
            UserRole.agency_id == agency.id,
            UserRole.role == role.value,
        )
    ).all():
        starts_before_end = row.valid_from is None or valid_to is None or row.valid_from <= valid_to
        ends_after_start = row.valid_to is None or valid_from is None or row.valid_to >= valid_from
        if starts_before_end and ends_after_start and not directory.ended(row, adm.today):
            raise Conflict(f"“{user.display_name}”在{agency.name}已有{role.label}角色（期间重叠）")
    return directory.grant(session, user, agency, role, valid_from, valid_to)


def add_user(
    session: Session,
    adm: Administration,
    username: str,
    display_name: str,
    agency_code: str,
    role_value: str,
    *,
    password: str | None,
    now: datetime,
    email: str | None = None,
) -> tuple[User, str | None]:
    """A new user with a first role; the password given, or one generated and returned (to be
    shown once: only its hash is kept)."""
    adm.agency(agency_code)  # both checked before anything is written
    _role(adm, role_value)
    if not display_name.strip():
        raise Invalid("请填写姓名", field="display_name")
    user = directory.add_user(session, username.strip(), display_name, email or None)
    generated = None if password else auth.generate_password()
    auth.set_password(session, user, password or generated or "", now)
    grant(session, adm, user, agency_code, role_value)
    return user, generated


def revoke(session: Session, adm: Administration, row_id: int) -> tuple[UserRole, User]:
    """End one role row of a managed agency now (not yet begun: removed)."""
    row = session.get(UserRole, row_id)
    if row is None or row.agency_id not in adm.agencies:
        raise NotFound(f"没有编号为 {row_id} 的角色")
    user = session.get(User, row.user_id)
    assert user is not None
    if user.id == adm.admin.id and row.role == Role.ADMIN.value and row.agency_id == adm.home.id:
        raise Forbidden("不能撤销本人在本机关的管理员角色")
    if Role(row.role) not in adm.roles:
        raise Forbidden(f"{Role(row.role).label}角色须由日历管理员撤销")
    directory.revoke(session, row, adm.today)
    return row, user


def disable(session: Session, adm: Administration, user: User, now: datetime) -> None:
    _whole_user(session, adm, user, "停用")
    if not user.active:
        raise Invalid(f"用户“{user.username}”已停用")
    auth.disable(session, user, now)


def enable(session: Session, adm: Administration, user: User) -> None:
    _whole_user(session, adm, user, "启用")
    if user.active:
        raise Invalid(f"用户“{user.username}”未停用")
    auth.enable(session, user)


def reset_password(
    session: Session, adm: Administration, user: User, password: str | None, now: datetime
) -> str | None:
    """A new password (every login of the user ends); None given: one generated, returned."""
    _whole_user(session, adm, user, "重置密码")
    generated = None if password else auth.generate_password()
    auth.set_password(session, user, password or generated or "", now)
    return generated


def active_roles(rows: list[tuple[UserRole, Agency]], today: date) -> list[tuple[UserRole, Agency]]:
    return [(r, a) for r, a in rows if not directory.ended(r, today)]


def role_state(row: UserRole, today: date) -> str:
    """有效 / 未开始 / 已结束, as the list shows it."""
    if directory.ended(row, today):
        return "已结束"
    if row.valid_from is not None and row.valid_from > today:
        return "未开始"
    return "有效"


def names(session: Session, ids: list[int]) -> dict[int, str]:
    """Display names of users by id (the delegators of the rows shown)."""
    if not ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return {u.id: u.display_name for u in rows if u.id is not None}
