"""The `transitions` machine built from the table (DESIGN §3.4): one event per action."""

from __future__ import annotations

import pytest

from tests.workflows.builder import APPROVER, CLERK, CaseBuilder, d
from workflows.actions import ACTIONS, SAME, ActionSpec, Destination
from workflows.guards import Check
from workflows.machine import MACHINE, TransitionRefused, fire
from workflows.payloads import AmendOutcome, ReceiveOpinion, ReplyPayload
from workflows.snapshot import CaseSnapshot
from workflows.states import UNREGISTERED, State

STATIC = [a for a in ACTIONS if not isinstance(a.dest, Destination)]


def check(state: str, payload: object = None, *, as_given: bool = False) -> Check:
    """A check on a bare snapshot; the state is stored as a plain string, as loaded from a row."""
    case = CaseSnapshot(state=state if as_given else str(state), received_on=d("2025-09-01"))
    return Check(case, CLERK, d("2025-09-05"), payload)  # type: ignore[arg-type]


def test_exactly_one_event_per_action() -> None:
    assert list(MACHINE.events) == [a.name for a in ACTIONS]


def test_machine_states_are_the_table_states() -> None:
    assert list(MACHINE.states) == [UNREGISTERED, *[s.value for s in State]]


def test_machine_is_built_without_a_model_or_auto_transitions() -> None:
    assert MACHINE.models == []
    assert not [name for name in MACHINE.events if name.startswith("to_")]


def test_each_event_has_the_tables_sources() -> None:
    for spec in ACTIONS:
        sources = set(MACHINE.events[spec.name].transitions)
        assert sources == {str(s) for s in spec.sources}, spec.name


@pytest.mark.parametrize("spec", STATIC, ids=[a.name for a in STATIC])
def test_fire_leads_each_static_action_to_its_destination(spec: ActionSpec) -> None:
    for source in spec.sources:
        expected = source if spec.dest == SAME else spec.dest
        assert fire(spec.name, check(source)) == expected


@pytest.mark.parametrize("spec", ACTIONS, ids=[a.name for a in ACTIONS])
def test_fire_refuses_a_state_outside_the_sources(spec: ActionSpec) -> None:
    for state in [UNREGISTERED, *State]:
        if state not in spec.sources:
            with pytest.raises(TransitionRefused):
                fire(spec.name, check(state))


def test_reply_destination_follows_the_outcome() -> None:
    disclosed = check(State.RECEIVED, ReplyPayload(outcome="partially_disclosed"))
    refused = check(State.RECEIVED, ReplyPayload(outcome="unavailable.still_unclear"))
    assert fire("reply", disclosed) == State.DISCLOSED
    assert fire("reply", refused) == State.REFUSED


def test_amend_destination_follows_the_outcome() -> None:
    for code, state in (
        ("disclosed", State.DISCLOSED),
        ("withheld.enforcement_file", State.REFUSED),
        ("other.other", State.CLOSED),
    ):
        assert (
            fire("amend_outcome", check(State.REFUSED, AmendOutcome(outcome=code, reason="x")))
            == state
        )


def test_receive_opinion_destination_depends_on_the_other_parties() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("start_consultation", "2025-09-10", parties=["甲公司", "乙公司"])
    snap = case.snapshot()
    answer = ReceiveOpinion(opinion="consent", party="甲公司")
    assert fire("receive_opinion", Check(snap, CLERK, d("2025-09-12"), answer)) == State.CONSULTING
    # on 2025-10-01 甲's window (to 2025-09-30) has run out: 乙's answer ends the consultation
    last = ReceiveOpinion(opinion="consent", party="乙公司")
    assert fire("receive_opinion", Check(snap, CLERK, d("2025-10-01"), last)) == State.RECEIVED


def test_the_shared_machine_keeps_cases_apart() -> None:
    one = CaseBuilder.registered("2025-09-01")
    two = CaseBuilder.registered("2025-09-01")
    assert one.snapshot() == two.snapshot()  # equal by value
    one.do("start_consultation", "2025-09-10", party="甲公司")
    assert two.do("reply", "2025-09-10", outcome="disclosed").to_state == State.DISCLOSED
    assert one.state == State.CONSULTING and two.state == State.DISCLOSED
    assert MACHINE.models == []


def test_void_expiry_returns_to_the_state_before_the_expiry() -> None:
    fee = CaseBuilder.registered("2025-09-01")
    fee.do("issue_fee_notice", "2025-09-10", amount=100, basis="per_item")
    fee.do("confirm_expiry", "2025-10-15", APPROVER)
    assert fee.do("void_expiry", "2025-10-16", APPROVER, posted_on="2025-10-14").to_state == (
        State.FEE_PENDING
    )


def test_a_snapshot_may_carry_a_state_member_or_its_string() -> None:
    for state in (State.RECEIVED, "received"):
        reply = check(state, ReplyPayload(outcome="disclosed"), as_given=True)
        assert fire("reply", reply) == "disclosed"
        result = fire("assign", check(state, as_given=True))
        assert result == "received" and type(result) is str
