"""What a user may see and do (DESIGN §1, §6): the agencies where they hold a role, valid on
the day (delegations included); for a district office (政务公开办) also its whole subtree,
read-only with personal data masked. Everything else does not exist for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from casework.models import Agency, User, UserRole
from workflows.roles import Role

REVEALING = frozenset({Role.CLERK, Role.APPROVER})  # who needs the applicant's personal data


@dataclass(frozen=True)
class Access:
    """A user's standing in one agency."""

    agency: Agency
    roles: frozenset[Role]  # held in this agency itself; empty: seen from a district office

    @property
    def reveals(self) -> bool:
        return bool(self.roles & REVEALING)

    @property
    def supervising(self) -> bool:
        return not self.roles


@dataclass(frozen=True)
class Scope:
    user: User
    day: date
    agencies: dict[int, Access]

    def get(self, agency_id: int) -> Access | None:
        return self.agencies.get(agency_id)

    def roles_in(self, agency_id: int) -> frozenset[Role]:
        access = self.agencies.get(agency_id)
        return access.roles if access else frozenset()

    def with_role(self, *roles: Role) -> list[Agency]:
        wanted = frozenset(roles)
        return [a.agency for a in self.agencies.values() if a.roles & wanted]

    @property
    def all_roles(self) -> frozenset[Role]:
        return frozenset(r for a in self.agencies.values() for r in a.roles)


def scope_of(session: Session, user: User, day: date) -> Scope:
    rows = session.exec(
        select(UserRole).where(
            UserRole.user_id == user.id,
            or_(col(UserRole.valid_from).is_(None), col(UserRole.valid_from) <= day),
            or_(col(UserRole.valid_to).is_(None), col(UserRole.valid_to) >= day),
        )
    ).all()
    held: dict[int, set[Role]] = {}
    for row in rows:
        held.setdefault(row.agency_id, set()).add(Role(row.role))
    if not held:
        return Scope(user, day, {})
    everyone = {a.id: a for a in session.exec(select(Agency)).all() if a.id is not None}
    children: dict[int, list[int]] = {}
    for agency in everyone.values():
        if agency.parent_id is not None and agency.id is not None:
            children.setdefault(agency.parent_id, []).append(agency.id)
    out: dict[int, Access] = {}
    for agency_id, roles in held.items():
        if agency_id in everyone:
            out[agency_id] = Access(everyone[agency_id], frozenset(roles))
    for agency_id in list(held):
        office = everyone.get(agency_id)
        if office is None or not office.supervises_subtree:
            continue
        stack = list(children.get(agency_id, []))
        while stack:
            below = stack.pop()
            if below not in out:
                out[below] = Access(everyone[below], frozenset())
            stack.extend(c for c in children.get(below, []) if c not in out)
    return Scope(user, day, out)
