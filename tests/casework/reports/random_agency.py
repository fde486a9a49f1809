"""A random history for the property tests of the drill-down and of any period: an agency with
a sub-agency, a few cases each played through the real door a random step at a time (the
steps of tests/casework/services/random_history.py, as in the statistics' property test), and
a few appeals filed, some decided."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import NotFound
from casework.models import Agency, Case
from casework.services import appeals, directory
from casework.services.perform import perform
from casework.statistics.figures import COLUMNS
from casework.timeutil import utcnow
from tests.casework.services.random_history import END, random_step
from workflows.roles import Actor, Role

YEARS = range(2023, 2027)
_SERIAL = itertools.count(1)


@dataclass(frozen=True)
class Built:
    code: str  # the agency; its sub-agency is f"{code}s"
    frozen_at: datetime  # an instant between two rounds of recording

    def agency(self, session: Session) -> Agency:
        return directory.agency_by_code(session, self.code)


def _register(engine: Engine, code: str, n: int, data: st.DataObject) -> tuple[int, date]:
    received = date(2023, 1, 2) + timedelta(days=data.draw(st.integers(0, 1000)))
    kind = data.draw(st.sampled_from(COLUMNS[:-1]))
    with unit_of_work(engine) as s:
        case = perform(
            s,
            action="register",
            payload={"agency": code, "ref": f"R{n}",
                     "applicant": {"kind": kind, "name": "甲", "id_number": "110101199003070011"},
                     "channel": "online", "received_on": received.isoformat(), "request": "x"},
            actor=Actor.replay(),
            today=END,
        ).case  # fmt: skip
    assert case.id is not None
    return case.id, received


def _appeal(engine: Engine, code: str, data: st.DataObject) -> None:
    """An appeal about one of the agency's cases (or none), maybe decided."""
    with unit_of_work(engine) as s:
        agency = directory.agency_by_code(s, code)
        cases = list(s.exec(select(Case).where(Case.agency_id == agency.id)).all())
        case = data.draw(st.sampled_from([None, *cases]))
        kind = data.draw(st.sampled_from(list(appeals.KINDS)))
        role = data.draw(st.sampled_from([None, "co_defendant_review_body"]))
        start = case.received_on if case is not None else date(2023, 1, 2)
        filed = min(start + timedelta(days=data.draw(st.integers(0, 900))), END)
        appeal = appeals.add_appeal(s, agency, kind, filed, "t", END, role=role, case=case)
        if data.draw(st.booleans()):
            decided = min(filed + timedelta(days=data.draw(st.integers(0, 400))), END)
            result = data.draw(st.sampled_from(list(appeals.RESULTS)))
            appeals.decide(s, appeal, result, decided, "t", END)


def build(engine: Engine, data: st.DataObject) -> Built:
    n = next(_SERIAL)
    code = f"d{n}"
    with unit_of_work(engine) as s:
        top = directory.ensure_agency(s, code, "测试机关")
        sub = directory.ensure_agency(s, f"{code}s", "测试下级机关", parent=code)
        try:
            user = directory.user_by_name(s, "wang")  # the handler the payloads assign
        except NotFound:
            user = directory.add_user(s, "wang", "王经办")
        directory.grant(s, user, top, Role.CLERK)
        directory.grant(s, user, sub, Role.CLERK)
    histories = [
        _register(engine, data.draw(st.sampled_from([code, f"{code}s"])), i, data)
        for i in range(data.draw(st.integers(1, 6)))
    ]

    def play(rounds: int) -> None:
        for i, (case_id, received) in enumerate(histories):
            on = received
            for _ in range(rounds):
                on = min(on + timedelta(days=data.draw(st.integers(0, 60))), END)
                random_step(engine, case_id, on, data)
            histories[i] = (case_id, on)

    play(data.draw(st.integers(1, 3)))
    for _ in range(data.draw(st.integers(0, 2))):
        _appeal(engine, data.draw(st.sampled_from([code, f"{code}s"])), data)
    frozen_at = utcnow()
    play(data.draw(st.integers(0, 2)))  # later records, some back-dated into earlier years
    for _ in range(data.draw(st.integers(0, 1))):
        _appeal(engine, code, data)
    return Built(code, frozen_at)
