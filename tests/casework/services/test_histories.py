"""Property test over random case histories through the real door and database.

Whatever a clerk, an approver and the timers do, in whatever order: the log stays gapless,
the version counts the events, a refused action writes nothing, and the projection on the
case row equals what a rebuild from the log gives.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.models import Case, CaseEvent, Timer
from casework.services import directory, recompute
from casework.services.perform import perform
from tests.casework.services.random_history import END, random_step
from workflows.outcomes import OUTCOME_BY_CODE
from workflows.roles import Actor, Role

_REFS = itertools.count(1)


@pytest.fixture
def prepared(engine: Engine) -> Engine:
    with unit_of_work(engine) as s:
        a = directory.ensure_agency(s, "zhz", "测试机关")
        user = directory.add_user(s, "wang", "王经办")
        directory.grant(s, user, a, Role.CLERK)
    return engine


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_histories_keep_the_log_and_projection_consistent(
    prepared: Engine, data: st.DataObject
) -> None:
    engine = prepared
    received = date(2024, 1, 1) + timedelta(days=data.draw(st.integers(0, 900)))
    ref = f"H{next(_REFS)}"  # each example is its own case; other cases do not affect it
    with unit_of_work(engine) as s:
        case_id = perform(
            s,
            action="register",
            payload={
                "agency": "zhz",
                "ref": ref,
                "applicant": {"kind": "natural_person", "name": "甲"},
                "channel": "online",
                "received_on": received.isoformat(),
                "request": "x",
            },
            actor=Actor.replay(),
            today=END,
        ).case.id
    assert case_id is not None
    on = received
    for _ in range(data.draw(st.integers(1, 8))):
        on = min(on + timedelta(days=data.draw(st.integers(0, 20))), END)
        if not random_step(engine, case_id, on, data):
            break
    with Session(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        seqs = list(
            s.exec(
                select(CaseEvent.seq)
                .where(CaseEvent.case_id == case_id)
                .order_by(col(CaseEvent.seq))
            ).all()
        )
        assert seqs == list(range(1, len(seqs) + 1))
        assert case.version == len(seqs)
        if case.state == "void":
            assert case.outcome is None or case.outcome in OUTCOME_BY_CODE
        if case.outcome is not None:
            assert case.concluded_on is not None
        before = (case.reply_due, case.next_due, case.next_clock, case.due_provisional)
        timers_before = {
            t.key: (t.status, t.fire_on)
            for t in s.exec(select(Timer).where(Timer.case_id == case_id)).all()
        }
    with unit_of_work(engine) as s:
        moved = [m for m in recompute.rebuild(s, "check") if m.ref == ref]
    assert moved == []
    with Session(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert (case.reply_due, case.next_due, case.next_clock, case.due_provisional) == before
        timers_after = {
            t.key: (t.status, t.fire_on)
            for t in s.exec(select(Timer).where(Timer.case_id == case_id)).all()
        }
        assert timers_after == timers_before
