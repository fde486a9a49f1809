"""Registering cases for named applicants (the fee and repeat-request tests compare them)."""

from __future__ import annotations

from sqlmodel import Session

from casework.models import Case
from casework.services.perform import perform
from tests.casework.services.helpers import REPLAY, TODAY

ID_ZHANG = "11010119900307001X"


def register_for(
    session: Session,
    ref: str,
    received_on: str,
    *,
    name: str = "张三",
    id_number: str | None = ID_ZHANG,
    kind: str = "natural_person",
    code: str = "zhz",
    request: str = "申请公开某文件",
) -> Case:
    applicant: dict[str, str] = {"kind": kind, "name": name}
    if id_number is not None:
        applicant["id_number"] = id_number
    done = perform(
        session,
        action="register",
        payload={
            "agency": code,
            "ref": ref,
            "applicant": applicant,
            "channel": "in_person",
            "received_on": received_on,
            "request": request,
        },
        actor=REPLAY,
        today=TODAY,
    )
    return done.case
