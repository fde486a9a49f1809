"""Small builders shared by the service tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from casework.models import Case
from casework.services.directory import ensure_agency
from casework.services.perform import Performed, perform
from workflows.roles import Actor

TODAY = date(2026, 11, 26)
REPLAY = Actor.replay("test")


def agency(session: Session, code: str = "zhz") -> None:
    ensure_agency(session, code, f"测试机关{code}")


def register(
    session: Session,
    ref: str,
    received_on: str,
    *,
    code: str = "zhz",
    kind: str = "natural_person",
    channel: str = "in_person",
    actor: Actor = REPLAY,
) -> Case:
    done = perform(
        session,
        action="register",
        payload={
            "agency": code,
            "ref": ref,
            "applicant": {"kind": kind, "name": "张三", "id_number": "610113199001011234"},
            "channel": channel,
            "received_on": received_on,
            "request": "申请公开某文件",
        },
        actor=actor,
        today=TODAY,
    )
    return done.case


def act(
    session: Session,
    case: Case,
    action: str,
    on: str,
    actor: Actor = REPLAY,
    expected_version: int | None = None,
    **fields: Any,
) -> Performed:
    assert case.id is not None
    return perform(
        session,
        case_id=case.id,
        action=action,
        payload=fields,
        actor=actor,
        on=date.fromisoformat(on),
        today=TODAY,
        expected_version=expected_version,
    )
