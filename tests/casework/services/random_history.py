"""Random case histories through the real door: one random step at a time.

Shared by the property tests of the projection (services) and of the statistics."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import ActionError
from casework.models import Case
from casework.services.perform import perform
from casework.services.snapshots import context_for
from casework.services.timers import run_due
from workflows.outcomes import OUTCOME_BY_CODE, REPLY_OUTCOMES
from workflows.roles import Actor, ActorKind, Role
from workflows.rules import actions_allowed

STAFF = Actor(ActorKind.USER, "staff", frozenset({Role.CLERK, Role.APPROVER}))
END = date(2026, 11, 26)


def payload_for(action: str, draw: st.DrawFn, ctx: Any, on: date) -> dict[str, Any]:
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


def random_step(engine: Engine, case_id: int, on: date, data: st.DataObject) -> bool:
    """Let due expiries fire by `on`, then try one action allowed now with a drawn payload.
    False when nothing is allowed any more. A refused action must have written nothing."""
    with unit_of_work(engine) as s:
        run_due(s, on, on, case_ids=[case_id])
    with unit_of_work(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        ctx = context_for(s, case)
        allowed = [a.name for a in actions_allowed(ctx.snapshot, STAFF, on)]
        if not allowed:
            return False
        action = data.draw(st.sampled_from(allowed))
        payload = {
            k: v for k, v in payload_for(action, data.draw, ctx, on).items() if v is not None
        }
        version = case.version
    try:
        with unit_of_work(engine) as s:
            perform(
                s,
                case_id=case_id,
                action=action,
                payload=payload,
                actor=STAFF,
                on=on,
                today=END,
                expected_version=version,
            )
    except ActionError:
        with Session(engine) as s:
            refused = s.get(Case, case_id)
            assert refused is not None and refused.version == version
    return True
