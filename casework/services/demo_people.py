"""People for trying the web UI on the demo database (`casework demo-users`, run by `make run`):
a district office (政务公开办) over the demo agencies, and a clerk, an approver and a district
user, sharing one generated password that is shown once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from casework.errors import NotFound
from casework.services import auth, directory
from workflows.roles import Role

DISTRICT_CODE = "demo-qu"
DISTRICT_NAME = "示例区政务公开办"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    role: Role
    agencies: tuple[str, ...]


def demo_people(agency_codes: list[str]) -> list[DemoPerson]:
    return [
        DemoPerson("jingban", "示例经办人", Role.CLERK, tuple(agency_codes)),
        DemoPerson("fuzeren", "示例负责人", Role.APPROVER, tuple(agency_codes)),
        DemoPerson("gongkaiban", "示例政务公开办", Role.APPROVER, (DISTRICT_CODE,)),
    ]


def make_demo_people(
    session: Session, agency_codes: list[str], now: datetime, password: str | None = None
) -> tuple[list[DemoPerson], str]:
    """The district office over the agencies, the demo users with their roles, one password
    for all (generated unless given). Run twice, it resets the password and adds nothing."""
    directory.ensure_agency(session, DISTRICT_CODE, DISTRICT_NAME)
    district = directory.agency_by_code(session, DISTRICT_CODE)
    directory.place_agency(session, district, supervises_subtree=True)
    for code in agency_codes:
        directory.place_agency(session, directory.agency_by_code(session, code),
                               parent=DISTRICT_CODE)  # fmt: skip
    chosen = password or secrets.token_urlsafe(9)
    people = demo_people(agency_codes)
    for person in people:
        try:
            user = directory.user_by_name(session, person.username)
        except NotFound:
            user = directory.add_user(session, person.username, person.display_name)
        auth.set_password(session, user, chosen, now)
        for code in person.agencies:
            agency = directory.agency_by_code(session, code)
            if person.role not in directory.roles_on(session, user, agency, now.date()):
                directory.grant(session, user, agency, person.role)
    return people, chosen
