"""A small office for the publication tests: agency zhz with a clerk and an approver (their
`Actor`s as the doors build them), the report text saved, and a publish helper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from casework.models import Agency
from casework.reports.narratives import set_narratives
from casework.reports.publish import Published, publish
from casework.services import directory
from casework.timeutil import utcnow
from tests.casework.services.helpers import TODAY
from workflows.roles import Actor, Role

TEXT = {"overview": "全年工作概述。", "problems": "存在的问题。", "other": "其他事项。"}


@dataclass
class Office:
    agency: Agency
    clerk: Actor
    boss: Actor


def office(session: Session, code: str = "zhz", years: tuple[int, ...] = (2024, 2025)) -> Office:
    agency = directory.ensure_agency(session, code, f"测试街道办事处{code}")
    for name, role in ((f"clerk_{code}", Role.CLERK), (f"boss_{code}", Role.APPROVER)):
        user = directory.add_user(session, name, name)
        directory.grant(session, user, agency, role)
    for year in years:
        set_narratives(session, agency, year, TEXT, f"boss_{code}")
    return Office(
        agency,
        directory.actor_for(session, f"clerk_{code}", agency, TODAY),
        directory.actor_for(session, f"boss_{code}", agency, TODAY),
    )


def publish_now(
    session: Session,
    where: Office,
    year: int,
    reason: str | None = None,
    as_of: datetime | None = None,
) -> Published:
    return publish(session, where.agency, year, where.boss, utcnow(), as_of, reason)


def on(text: str) -> date:
    return date.fromisoformat(text)
