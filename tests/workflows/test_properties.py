"""Property test: random histories drawn from `actions_allowed` keep the workflow's invariants.

Each step picks an actor, a date on or after the previous event, one of the actions that actor
is offered that day and a payload valid for its schema; the action goes through `decide` on a
snapshot rebuilt with `compute_clocks`. Payload-dependent guards may refuse (`ActionRefused`);
nothing else may be raised, and the invariants below hold after every step.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workflows.builder import APPROVER, CLERK, CLERK_APPROVER, REPLAY, SYSTEM, CaseBuilder
from workflows.actions import ACTION_BY_NAME, SAME
from workflows.clocks import Clock
from workflows.outcomes import OUTCOME_BY_CODE, REPLY_OUTCOMES
from workflows.rules import ActionRefused
from workflows.snapshot import Policy
from workflows.states import OPEN_STATES, State

ACTORS = (CLERK, APPROVER, CLERK_APPROVER, SYSTEM, REPLAY)
PARTIES = ("甲公司", "乙公司", "丙公司")
CONCLUDED = {State.DISCLOSED, State.REFUSED, State.CLOSED}


def _maybe_day(on: date, back: int = 0) -> st.SearchStrategy[str | None]:
    days = st.integers(0, back).map(lambda k: (on - timedelta(days=k)).isoformat())
    return st.one_of(st.none(), days)


def payloads(case: CaseBuilder, action: str, on: date) -> st.SearchStrategy[dict[str, Any]]:
    """Payloads that pass the action's schema (guards may still refuse some)."""
    snap = case.snapshot()
    dues = snap.dues
    reason = st.sampled_from(["依法处理", "申请人说明", "更正"])
    if action == "assign":
        return st.just({"handler": "李四"})
    if action == "request_correction":
        return st.fixed_dictionaries(
            {"period_wd": st.integers(1, 30)}, optional={"served_on": _maybe_day(on)}
        )
    if action == "extend_correction_period":
        base = dues.correction or on
        later = st.integers(1, 20).map(lambda k: (base + timedelta(days=k)).isoformat())
        return st.one_of(
            st.fixed_dictionaries({"days_wd": st.integers(1, 10)}),
            st.fixed_dictionaries({"due_on": later}),
        )
    if action in ("receive_correction", "receive_payment"):
        return st.fixed_dictionaries({}, optional={"posted_on": _maybe_day(on, 5)})
    if action == "start_consultation":
        one = st.fixed_dictionaries(
            {"party": st.sampled_from(PARTIES)}, optional={"party_received_on": _maybe_day(on)}
        )
        # letters may reach the parties on different days (posted: a few days later)
        party = st.fixed_dictionaries(
            {
                "name": st.sampled_from(PARTIES),
                "received_on": st.integers(0, 10).map(
                    lambda k: (on + timedelta(days=k)).isoformat()
                ),
            }
        )
        many = st.lists(party, min_size=1, max_size=3, unique_by=lambda p: p["name"]).map(
            lambda parties: {"parties": parties}
        )
        return st.one_of(one, many)
    if action == "receive_opinion":
        pending = snap.pending_parties
        party = st.sampled_from(pending) if pending else st.just("甲公司")
        single = [st.none()] if len(pending) == 1 else []
        return st.fixed_dictionaries(
            {
                "opinion": st.sampled_from(["consent", "objection", "none"]),
                "party": st.one_of(party, *single),
            }
        )
    if action == "issue_fee_notice":
        return st.fixed_dictionaries(
            {
                "amount": st.integers(1, 2000).map(float),
                "basis": st.sampled_from(["per_item", "per_volume"]),
            },
            optional={"applicant_received_on": _maybe_day(on)},
        )
    if action == "extend":
        return st.fixed_dictionaries({"days_wd": st.integers(1, 20), "reason": reason})
    if action == "request_reasons":
        return st.fixed_dictionaries({}, optional={"period_wd": st.integers(1, 30)})
    if action == "set_reasonable_deadline":
        later = st.integers(1, 60).map(lambda k: (on + timedelta(days=k)).isoformat())
        return st.fixed_dictionaries({"due_on": later}, optional={"reason": reason})
    if action == "record_service":
        issued = {
            notice: case_event.on
            for notice, name in (
                ("correction", "request_correction"),
                ("opinion", "start_consultation"),
                ("fee", "issue_fee_notice"),
            )
            if (case_event := snap.last(name)) is not None
        }
        notice = st.sampled_from(sorted(issued))
        return notice.flatmap(
            lambda n: st.fixed_dictionaries(
                {
                    "notice": st.just(n),
                    "served_on": st.integers(0, max((on - issued[n]).days, 0)).map(
                        lambda k, n=n: (issued[n] + timedelta(days=k)).isoformat()
                    ),
                    "party": st.sampled_from([w.name for w in dues.parties] or [None]),
                }
            )
        )
    if action in ("reply", "draft_reply"):
        return st.fixed_dictionaries({"outcome": st.sampled_from(REPLY_OUTCOMES)})
    if action in ("reject_draft", "void"):
        return st.fixed_dictionaries({"reason": reason})
    if action == "void_expiry":
        due = dues.correction or dues.payment or on
        posted = st.integers(-3, 1).map(lambda k: (due + timedelta(days=k)).isoformat())
        return st.fixed_dictionaries({"posted_on": posted})
    if action == "withdraw":
        return st.fixed_dictionaries({}, optional={"reason": reason})
    if action == "deliver":
        return st.fixed_dictionaries(
            {"method": st.sampled_from(["in_person", "post", "electronic"])}
        )
    if action == "amend_outcome":
        return st.fixed_dictionaries(
            {"outcome": st.sampled_from(sorted(OUTCOME_BY_CODE)), "reason": reason}
        )
    return st.just({})  # approve_reply, confirm_expiry and the system's expiries


def check_invariants(case: CaseBuilder) -> None:
    clocks = case.clocks()
    snap = case.snapshot()
    state, dues = case.state, clocks.dues
    for view in clocks.views:
        assert not (view.paused and view.due is not None), view
    replies = [v for v in clocks.views if v.clock is Clock.REPLY]
    assert len(replies) == 1
    reply = replies[0]
    assert not (dues.reply_paused and dues.reply is not None)
    # a case is concluded exactly when it has an outcome; then no reply clock runs
    assert (case.outcome is not None) == (state in CONCLUDED)
    if state in CONCLUDED or state == State.VOID:
        assert not reply.current and not dues.reply_paused
    if state in OPEN_STATES:
        assert reply.current
        assert reply.paused == (state != State.RECEIVED) == dues.reply_paused
        assert (dues.reply is None) == reply.paused
    # the expiries a timer may want belong to the state that has them
    assert (dues.correction_expires_on is None) or state == State.CORRECTION_REQUESTED
    assert (dues.payment_expires_on is None) or state == State.FEE_PENDING
    assert (dues.opinion_expires_on is not None) == (state == State.CONSULTING)
    assert bool(snap.pending_parties) == (state == State.CONSULTING)
    if state == State.CONSULTING:
        # some window is still open, so the system can end the consultation in time
        assert dues.opinion_expires_on is not None
        assert dues.opinion_expires_on > case.events[-1].on or case.events[-1].action not in (
            "start_consultation",
            "receive_opinion",
        )
    if state == State.VOID:
        for actor in ACTORS:
            assert case.allowed(actor, date(2099, 1, 1)) == []


policies = st.builds(
    Policy,
    signoff_required=st.booleans(),
    post_grace_days=st.integers(0, 3),
    correction_period_wd=st.just(15),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    received=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    policy=policies,
)
def test_random_histories_keep_the_invariants(
    data: st.DataObject, received: date, policy: Policy
) -> None:
    case = CaseBuilder.registered(received, policy=policy)
    check_invariants(case)
    for _ in range(data.draw(st.integers(1, 30), label="steps")):
        on = case.events[-1].on + timedelta(days=data.draw(st.integers(0, 25), label="gap"))
        actor = data.draw(st.sampled_from(ACTORS), label="actor")
        allowed = case.allowed(actor, on)
        if not allowed:
            continue
        action = data.draw(st.sampled_from(allowed), label="action")
        if action == "void" and not data.draw(st.booleans(), label="really void"):
            continue  # voiding ends the history: make it rarer than the other actions
        spec = ACTION_BY_NAME[action]
        assert case.state in spec.sources
        payload = data.draw(payloads(case, action, on), label="payload")
        before = case.state
        try:
            decision = case.do(action, on, actor, **payload)
        except ActionRefused:
            check_invariants(case)
            continue
        targets = {before if dest == SAME else dest for dest in spec.destinations}
        assert decision.to_state in targets
        check_invariants(case)
        if case.state == State.VOID:
            break
        if case.outcome is not None and data.draw(st.integers(0, 3), label="stop") == 0:
            break
