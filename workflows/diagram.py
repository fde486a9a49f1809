"""The workflow as a Mermaid state diagram, generated from the action table."""

from workflows.actions import ACTIONS, SAME, By
from workflows.states import UNREGISTERED, State


def _node(state: str) -> str:
    return "[*]" if state == UNREGISTERED else state


def mermaid() -> str:
    lines = ["stateDiagram-v2"]
    for state in State:
        lines.append(f"    {state.value} : {state.value} {state.label}")
    for spec in ACTIONS:
        mark = " ⏱" if spec.by is By.SYSTEM else ""
        for source in spec.sources:
            for dest in spec.destinations:
                target = source if dest == SAME else dest
                lines.append(f"    {_node(source)} --> {target} : {spec.name} {spec.label}{mark}")
    return "\n".join(lines) + "\n"
