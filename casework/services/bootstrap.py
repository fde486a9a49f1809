"""The first administrator, made on the first start of `casework serve`, so a fresh install
can be logged into: user "admin", the admin role in every top-level agency (one is made if
there is none), the password from CASEWORK_ADMIN_PASSWORD or generated and shown once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from casework.models import Agency, User, UserRole
from casework.services import auth, directory
from workflows.roles import Role

ADMIN_USERNAME = "admin"
FIRST_AGENCY = ("main", "本机关")


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str | None  # generated: shown once; None: taken from the environment
    agencies: list[str]


def ensure_first_admin(session: Session, password: str | None, now: datetime) -> FirstAdmin | None:
    """Make the first administrator unless someone can already log in as one (None then)."""
    admins = session.exec(
        select(User)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(UserRole.role == Role.ADMIN.value, col(User.active).is_(True))
    ).all()
    if any(user.password_hash for user in admins):
        return None
    roots = list(
        session.exec(
            select(Agency).where(col(Agency.parent_id).is_(None), col(Agency.active).is_(True))
        ).all()
    )
    if not roots:
        roots = [directory.ensure_agency(session, *FIRST_AGENCY)]
    user = session.exec(select(User).where(User.username == ADMIN_USERNAME)).first()
    if user is None:
        user = directory.add_user(session, ADMIN_USERNAME, "管理员")
    generated = None if password else secrets.token_urlsafe(12)
    auth.set_password(session, user, password or generated or "", now)
    held = {
        (r.agency_id, r.role)
        for r in session.exec(select(UserRole).where(UserRole.user_id == user.id)).all()
    }
    # the operator's account also keeps the national calendar (日历管理员)
    for agency in roots:
        for role in (Role.ADMIN, Role.CALENDAR_ADMIN):
            if (agency.id, role.value) not in held:
                directory.grant(session, user, agency, role)
    session.flush()
    return FirstAdmin(user.username, generated, [a.code for a in roots])
