"""Checking an action against the table, and listing the actions a user may take now."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from workflows import guards as g
from workflows.actions import ACTION_BY_NAME, ACTIONS, ActionSpec, By, allowed_actor_kinds
from workflows.machine import fire
from workflows.payloads import Payload
from workflows.roles import Actor, ActorKind
from workflows.snapshot import CaseSnapshot
from workflows.states import UNREGISTERED, State
from workflows.validation import describe


class ActionRefused(Exception):
    """An action that may not be taken; `reasons` are Chinese sentences for the user."""

    def __init__(self, action: str, reasons: list[str], field: str | None = None) -> None:
        super().__init__("；".join(reasons))
        self.action = action
        self.reasons = reasons
        self.field = field


class UnknownAction(ActionRefused):
    def __init__(self, action: str) -> None:
        known = "、".join(a.name for a in ACTIONS if a.name != "register" and a.by is By.USER)
        super().__init__(action, [f"未知的操作“{action}”；可用的操作：{known}"])


class InvalidPayload(ActionRefused):
    pass


@dataclass(frozen=True)
class Decision:
    """An accepted action: its validated payload, the state it leads to, the outcome it sets."""

    spec: ActionSpec
    payload: Payload
    to_state: str
    sets_outcome: bool
    outcome: str | None


def _state_label(state: str) -> str:
    return state if state == UNREGISTERED else State(state).label


def _who_may(spec: ActionSpec, actor: Actor) -> str | None:
    if actor.kind not in allowed_actor_kinds(spec):
        if actor.kind is ActorKind.SYSTEM:
            return "系统不能进行此操作"
        return f"“{spec.label}”由系统在期限届满后自动处理，不能手工操作"
    if actor.kind is ActorKind.USER and not (spec.roles & actor.roles):
        need = "或".join(sorted(r.label for r in spec.roles))
        return f"此操作需要{need}权限"
    return None


def _static_reasons(spec: ActionSpec, case: CaseSnapshot, actor: Actor) -> list[str]:
    reasons: list[str] = []
    if case.state not in spec.sources:
        reasons.append(f"案件当前状态为“{_state_label(case.state)}”，不能进行“{spec.label}”")
    who = _who_may(spec, actor)
    if who:
        reasons.append(who)
    if spec.limit is not None and case.count(spec.name) >= spec.limit:
        reasons.append(f"“{spec.label}”每案限{spec.limit}次，已经进行过")
    return reasons


def _date_reasons(case: CaseSnapshot, on: date, today: date) -> list[str]:
    reasons: list[str] = []
    if on > today:
        reasons.append(f"日期 {on} 晚于今日（{today}），不能预先记录")
    if case.last_on is not None and on < case.last_on:
        reasons.append(f"日期 {on} 早于本案上一操作的日期（{case.last_on}）")
    return reasons


def parse_payload(spec: ActionSpec, raw: Mapping[str, Any]) -> Payload:
    try:
        return spec.payload.model_validate(dict(raw))
    except ValidationError as exc:
        problems = describe(exc)
        reasons = [f"{path}：{msg}" if path else msg for path, msg in problems]
        raise InvalidPayload(
            spec.name, reasons, field=problems[0][0] if problems else None
        ) from None


def decide(
    case: CaseSnapshot,
    action: str,
    raw_payload: Mapping[str, Any],
    actor: Actor,
    on: date,
    today: date,
) -> Decision:
    """Validate an action fully; raise ActionRefused with every reason, or return the decision."""
    spec = ACTION_BY_NAME.get(action)
    if spec is None:
        raise UnknownAction(action)
    reasons = _static_reasons(spec, case, actor)
    if reasons:
        raise ActionRefused(action, reasons)
    payload = parse_payload(spec, raw_payload)
    reasons = _date_reasons(case, on, today)
    check = g.Check(case, actor, on, payload, today)
    reasons += [r for r in (guard(check) for guard in spec.guards) if r]
    if reasons:
        raise ActionRefused(action, reasons)
    to_state = fire(action, check)
    sets = spec.sets_outcome is not None
    new_outcome = spec.sets_outcome(check) if spec.sets_outcome is not None else case.outcome
    return Decision(spec, payload, to_state, sets, new_outcome)


def actions_allowed(case: CaseSnapshot, actor: Actor, today: date) -> list[ActionSpec]:
    """The actions this actor may take on this case today (payload-dependent checks aside)."""
    allowed: list[ActionSpec] = []
    for spec in ACTIONS:
        if spec.name == "register" or _static_reasons(spec, case, actor):
            continue
        check = g.Check(case, actor, today, None, today)
        if any(guard(check) for guard in spec.guards):
            continue
        allowed.append(spec)
    return allowed
