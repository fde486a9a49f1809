"""Delegation (代理): an approver hands the role to a colleague for a period."""

from __future__ import annotations

from tests.api.conftest import World, problem
from tests.api.test_cases import act, ok


def test_an_approver_on_leave_delegates_and_ends_it(world: World) -> None:
    approver, deputy = world.login("approver"), world.login("clerk2")
    case = world.register(world.login("clerk"))
    extend = {"days_wd": 20, "reason": "需调取档案"}
    problem(act(deputy, case, "extend", extend), 403, "forbidden")
    body = {"agency": world.code("zhz"), "to": world.user("clerk2"),
            "valid_from": "2026-11-26", "valid_to": "2026-12-10"}  # fmt: skip
    problem(deputy.post("/api/v1/delegations", json=body), 403)  # a clerk holds no approver role
    made = approver.post("/api/v1/delegations", json=body)
    assert made.status_code == 201, made.text
    handed = made.json()
    assert (handed["by"], handed["to"], handed["role"]) == (
        world.user("approver"),
        world.user("clerk2"),
        "approver",
    )
    case = ok(act(deputy, case, "extend", extend))  # the deputy acts in their own name
    assert case["events"][-1]["actor"] == world.user("clerk2")
    listed = deputy.get("/api/v1/delegations", params={"agency": world.code("zhz")}).json()
    assert [d["id"] for d in listed] == [handed["id"]]
    again = {**body, "to": world.user("clerk")}
    problem(deputy.post("/api/v1/delegations", json=again), 403)  # not delegated on
    problem(approver.post("/api/v1/delegations", json={**body, "valid_from": "2026-11-01"}), 422)
    problem(approver.post("/api/v1/delegations", json={**body, "to": world.user("stranger")}), 422)
    problem(approver.post("/api/v1/delegations", json={**body, "to": world.user("approver")}), 422)
    ended = approver.delete(
        f"/api/v1/delegations/{handed['id']}", params={"agency": world.code("zhz")}
    )
    assert ended.status_code == 204, ended.text
    assert deputy.get("/api/v1/delegations", params={"agency": world.code("zhz")}).json() == []
    problem(act(deputy, case, "extend", extend), 403, "forbidden")
