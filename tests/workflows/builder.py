"""A tiny in-memory case for workflow and clock tests: events built by hand, no database.

Each action goes through `workflows.rules.decide` on a snapshot rebuilt from the events with
`casework.clocks.compute_clocks`, and is stored the way `casework.services.perform` stores it
(JSON payload without empty fields; `receive_opinion` names its party; `approve_reply` copies
the draft), so the clocks see what they would see in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casework.clocks import Clocks, ClockView, compute_clocks
from casework.workdays import WorkingCalendar, default_calendar
from workflows.clocks import Clock
from workflows.roles import Actor, ActorKind, Role
from workflows.rules import ActionRefused, Decision, actions_allowed, decide
from workflows.snapshot import CaseSnapshot, EventRecord, Policy
from workflows.states import UNREGISTERED

CLERK = Actor(ActorKind.USER, "经办人甲", frozenset({Role.CLERK}))
APPROVER = Actor(ActorKind.USER, "负责人乙", frozenset({Role.APPROVER}))
CLERK_APPROVER = Actor(ActorKind.USER, "丙", frozenset({Role.CLERK, Role.APPROVER}))
AUDITOR = Actor(ActorKind.USER, "查看丁", frozenset({Role.AUDITOR}))
SYSTEM = Actor.system()
REPLAY = Actor.replay("history.json")


def d(text: str) -> date:
    return date.fromisoformat(text)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else d(value)


def registration(received_on: date, **extra: Any) -> dict[str, Any]:
    return {
        "agency": "zhz",
        "applicant": {"kind": "natural_person", "name": "张三"},
        "channel": "in_person",
        "submitted_on": received_on.isoformat(),
        "request": "请公开某项目的环评批复",
        **extra,
    }


@dataclass
class CaseBuilder:
    received_on: date
    policy: Policy = field(default_factory=Policy)
    calendar: WorkingCalendar = field(default_factory=default_calendar)
    events: list[EventRecord] = field(default_factory=list)
    state: str = UNREGISTERED
    outcome: str | None = None

    @classmethod
    def registered(
        cls,
        received_on: date | str,
        *,
        on: date | str | None = None,
        policy: Policy | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> CaseBuilder:
        received = _day(received_on)
        case = cls(received, policy or Policy(), calendar or default_calendar())
        when = _day(on) if on is not None else received
        case.apply("register", when, CLERK, None, registration(received))
        return case

    # -- views ---------------------------------------------------------------------------
    def clocks(self) -> Clocks:
        return compute_clocks(self.received_on, self.events, self.calendar, self.policy)

    def snapshot(self) -> CaseSnapshot:
        if self.state == UNREGISTERED:
            return CaseSnapshot(state=UNREGISTERED, received_on=None, policy=self.policy)
        return CaseSnapshot(
            self.state,
            self.received_on,
            tuple(self.events),
            self.outcome,
            self.clocks().dues,
            self.policy,
        )

    def view(self, clock: Clock, party: str | None = None, *, current: bool = True) -> ClockView:
        found = [
            v
            for v in self.clocks().views
            if v.clock is clock and v.party == party and v.current is current
        ]
        assert found, f"no {'current' if current else 'past'} {clock} clock for {party}"
        return found[-1]

    def allowed(self, actor: Actor, today: date | str) -> list[str]:
        return [spec.name for spec in actions_allowed(self.snapshot(), actor, _day(today))]

    # -- acting --------------------------------------------------------------------------
    def decide(
        self,
        action: str,
        on: date | str,
        actor: Actor = CLERK,
        today: date | str | None = None,
        **payload: Any,
    ) -> Decision:
        when = _day(on)
        return decide(self.snapshot(), action, payload, actor, when, _day(today) if today else when)

    def do(
        self,
        action: str,
        on: date | str,
        actor: Actor = CLERK,
        today: date | str | None = None,
        **payload: Any,
    ) -> Decision:
        return self.apply(action, _day(on), actor, _day(today) if today else None, payload)

    def refused(
        self,
        action: str,
        on: date | str,
        actor: Actor = CLERK,
        today: date | str | None = None,
        **payload: Any,
    ) -> ActionRefused:
        before = len(self.events)
        try:
            self.do(action, on, actor, today, **payload)
        except ActionRefused as refused:
            assert len(self.events) == before
            return refused
        raise AssertionError(f"{action} on {on} was accepted")

    def apply(
        self,
        action: str,
        on: date,
        actor: Actor,
        today: date | None,
        raw: Mapping[str, Any],
    ) -> Decision:
        snapshot = self.snapshot()
        decision = decide(snapshot, action, raw, actor, on, today or on)
        stored = stored_payload(snapshot, decision, raw)
        from_state = None if self.state == UNREGISTERED else self.state
        seq = len(self.events) + 1
        self.events.append(EventRecord(seq, action, on, stored, from_state, decision.to_state))
        self.state = decision.to_state
        if decision.sets_outcome:
            self.outcome = decision.outcome
        return decision


def stored_payload(
    snapshot: CaseSnapshot, decision: Decision, raw: Mapping[str, Any]
) -> dict[str, Any]:
    """The payload as `casework.services.perform` stores it."""
    stored: dict[str, Any] = decision.payload.model_dump(mode="json", exclude_none=True)
    name = decision.spec.name
    if name == "register":
        stored.pop("applicant", None)
        stored["received_on"] = decision.payload.receipt.isoformat()  # type: ignore[attr-defined]
    if name == "receive_opinion" and "party" not in stored and snapshot.pending_parties:
        stored["party"] = snapshot.pending_parties[0]
    if name == "approve_reply":
        draft = snapshot.pending_draft
        assert draft is not None
        stored = {**dict(draft.payload), "draft_seq": draft.seq}
    return stored
