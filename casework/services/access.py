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
    own = session.exec(select(Agency).where(col(Agency.id).in_(list(held)))).all()
    out: dict[int, Access] = {
        a.id: Access(a, frozenset(held[a.id])) for a in own if a.id is not None
    }
    # a district office's subtree, a level at a time (trees are shallow; no full table read)
    frontier = [a.id for a in own if a.supervises_subtree and a.id is not None]
    while frontier:
        below = session.exec(select(Agency).where(col(Agency.parent_id).in_(frontier))).all()
        frontier = []
        for agency in below:
            if agency.id is None or (agency.id in out and out[agency.id].supervising):
                continue
            if agency.id not in out:
                out[agency.id] = Access(agency, frozenset())
            frontier.append(agency.id)
    return Scope(user, day, out)
