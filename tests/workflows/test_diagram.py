"""The Mermaid diagram generated from the action table."""

from __future__ import annotations

from workflows.actions import ACTIONS, By
from workflows.diagram import mermaid
from workflows.states import State


def test_diagram_is_a_mermaid_state_diagram() -> None:
    text = mermaid()
    assert text.startswith("stateDiagram-v2\n") and text.endswith("\n")


def test_diagram_mentions_every_state_with_its_label() -> None:
    lines = mermaid().splitlines()
    for state in State:
        assert f"    {state.value} : {state.value} {state.label}" in lines


def test_diagram_mentions_every_action() -> None:
    text = mermaid()
    for spec in ACTIONS:
        assert f": {spec.name} {spec.label}" in text, spec.name


def test_diagram_has_one_arrow_per_source_and_destination() -> None:
    arrows = [line for line in mermaid().splitlines() if "-->" in line]
    assert len(arrows) == sum(len(a.sources) * len(a.destinations) for a in ACTIONS)
    assert "    [*] --> received : register 登记" in arrows
    assert "    consulting --> consulting : assign 指定承办人" in arrows
    assert "    closed --> fee_pending : void_expiry 撤销逾期处理" in arrows
    assert not [a for a in arrows if " --> = " in a or " --> [*]" in a]


def test_system_actions_are_marked_as_timed() -> None:
    for line in mermaid().splitlines():
        if "-->" not in line:
            continue
        name = line.split(" : ", 1)[1].split(" ", 1)[0]
        system = next(a for a in ACTIONS if a.name == name).by is By.SYSTEM
        assert line.endswith(" ⏱") is system, line


def test_void_is_a_final_state_in_the_diagram() -> None:
    assert not [line for line in mermaid().splitlines() if line.startswith("    void --> ")]
