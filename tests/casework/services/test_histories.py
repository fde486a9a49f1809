"""Property test over random case histories through the real door and database.

Whatever a clerk, an approver and the timers do, in whatever order: the log stays gapless,
the version counts the events, a refused action writes nothing, and the projection on the
case row equals what a rebuild from the log gives.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError
from casework.models import Case, CaseEvent, Timer
from casework.services import directory, recompute
from casework.services.perform import perform
from casework.services.snapshots import context_for
from casework.services.timers import run_due
from workflows.outcomes import OUTCOME_BY_CODE, REPLY_OUTCOMES
from workflows.roles import Actor, ActorKind, Role
from workflows.rules import actions_allowed

_REFS = itertools.count(1)
STAFF = Actor(ActorKind.USER, "staff", frozenset({Role.CLERK, Role.APPROVER}))
END = date(2026, 11, 26)


def _payload(action: str, draw: st.DrawFn, ctx: Any, on: date) -> dict[str, Any]:
    snap = ctx.snapshot
    if action == "assign":
        return {"handler": "wang"}
    if action == "request_correction":
        return {"period_wd": draw(st.integers(1, 30)), "items": ["请明确"]}
    if action == "extend_correction_period":
        return {"days_wd": draw(st.integers(1, 10))}
    if action == "start_consultation":
        n = draw(st.integers(1, 3))
        return {"parties": [f"第三方{i}" for i in range(n)]}
    if action == "receive_opinion":
        pending = snap.pending_parties
        return {
            "opinion": draw(st.sampled_from(["consent", "objection", "none"])),
            "party": draw(st.sampled_from(pending)) if pending else None,
        }
    if action == "issue_fee_notice":
        return {"amount": 100, "basis": "per_item"}
    if action == "extend":
        return {"days_wd": draw(st.integers(1, 20)), "reason": "复杂"}
    if action == "request_reasons":
        return {"period_wd": draw(st.integers(1, 20))}
    if action == "set_reasonable_deadline":
        return {"due_on": (on + timedelta(days=draw(st.integers(1, 60)))).isoformat()}
    if action == "record_service":
        return {"notice": "correction", "served_on": on.isoformat()}
    if action in ("reply", "draft_reply"):
        return {"outcome": draw(st.sampled_from(REPLY_OUTCOMES))}
    if action == "void_expiry":
        due = snap.dues.correction or snap.dues.payment or on
        return {"posted_on": due.isoformat()}
    if action == "deliver":
        return {"method": "post"}
    if action == "amend_outcome":
        choices = [c for c in OUTCOME_BY_CODE if c != snap.outcome]
        return {"outcome": draw(st.sampled_from(choices)), "reason": "更正"}
    if action == "void":
        return {"reason": "重复登记"}
    if action == "reject_draft":
        return {"reason": "退回"}
    return {}


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
        with unit_of_work(engine) as s:
            run_due(s, on, on, case_ids=[case_id])
        with unit_of_work(engine) as s:
            case = s.get(Case, case_id)
            assert case is not None
            ctx = context_for(s, case)
            allowed = [a.name for a in actions_allowed(ctx.snapshot, STAFF, on)]
            if not allowed:
                break
            action = data.draw(st.sampled_from(allowed))
            payload = _payload(action, data.draw, ctx, on)
            version = case.version
        try:
            with unit_of_work(engine) as s:
                perform(
                    s,
                    case_id=case_id,
                    action=action,
                    payload={k: v for k, v in payload.items() if v is not None},
                    actor=STAFF,
                    on=on,
                    today=END,
                    expected_version=version,
                )
        except ActionError:
            with Session(engine) as s:
                assert s.get(Case, case_id).version == version  # type: ignore[union-attr]
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
