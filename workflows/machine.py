"""The `transitions` machine built once from the action table (DESIGN §3.4, §8).

One `Machine` with `model=None`, fired on a light wrapper of a case snapshot — never attached to
database rows (a shared machine attached to rows that compare equal by value mixes cases up).
"""

from dataclasses import dataclass
from typing import Any

from transitions import Machine, MachineError

from workflows.actions import ACTIONS, SAME, ActionSpec, Destination
from workflows.guards import Check
from workflows.states import UNREGISTERED, State


@dataclass
class _Token:
    """What the machine moves: only a state."""

    state: str


def _chooses(spec: ActionSpec, target: str) -> Any:
    assert isinstance(spec.dest, Destination)
    choose = spec.dest.choose

    def condition(event: Any) -> bool:
        check: Check = event.args[0]
        return choose(check) == target

    return condition


def _transitions() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for spec in ACTIONS:
        sources = [str(s) for s in spec.sources]
        if isinstance(spec.dest, Destination):
            for target in spec.dest.choices:
                rows.append(
                    {
                        "trigger": spec.name,
                        "source": sources,
                        "dest": str(target),
                        "conditions": [_chooses(spec, target)],
                    }
                )
        else:
            rows.append({"trigger": spec.name, "source": sources, "dest": str(spec.dest)})
    return rows


MACHINE = Machine(
    model=None,
    states=[UNREGISTERED, *[s.value for s in State]],
    transitions=_transitions(),
    initial=None,
    auto_transitions=False,
    send_event=True,
)
assert SAME == "="


class TransitionRefused(Exception):
    pass


def fire(action: str, check: Check) -> str:
    """Run one action through the machine; return the state it leads to."""
    # a plain string: `transitions` would take a `State` member by its name, not its value
    token = _Token(str(check.case.state))
    try:
        moved = MACHINE.events[action].trigger(token, check)
    except MachineError as exc:
        raise TransitionRefused(str(exc)) from exc
    if not moved:
        raise TransitionRefused(f"{action}: no destination from {check.case.state}")
    return token.state
