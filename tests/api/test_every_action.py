"""Every action a user can take, through HTTP, in journeys a real case can go (the effective
date `on` back-dates the early steps; 'today' is 2026-11-26)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from casework.db import unit_of_work
from casework.services.directory import agency_by_code
from tests.api.conftest import World, problem, running_server
from tests.api.test_cases import act, ok

UNREACHABLE_HERE = {  # needs a 'today' after a provisional expiry: the test below
    "confirm_expiry",
}


def step(client: httpx.Client, case: dict[str, Any], action: str, body: Any = None,
         on: str | None = None, state: str | None = None) -> dict[str, Any]:  # fmt: skip
    done = ok(act(client, case, action, body, on))
    assert done["events"][-1]["action"] == action, done["events"][-1]
    if state is not None:
        assert done["state"] == state, (action, done["state"])
    return done


def test_every_user_action_works_through_http(world: World) -> None:
    clerk, approver = world.login("clerk"), world.login("approver")
    taken: set[str] = set()

    def go(client: httpx.Client, case: dict[str, Any], action: str, body: Any = None,
           on: str | None = None, state: str | None = None) -> dict[str, Any]:  # fmt: skip
        taken.add(action)
        return step(client, case, action, body, on, state)

    second = world.register(clerk)
    go(clerk, second, "reply", {"outcome": "unavailable.not_held"}, state="refused")
    third = world.register(clerk)
    go(clerk, third, "withdraw", {"reason": "申请人书面撤回"}, state="closed")
    fourth = world.register(clerk)
    go(approver, fourth, "void", {"reason": "重复登记", "merged_into": third["ref"]})

    with unit_of_work(world.server.engine) as s:  # replies now need an approver's signature
        agency = agency_by_code(s, world.code("zhz"))
        agency.signoff_required = True
        s.add(agency)
    case = world.register(clerk, submitted_on="2026-09-01")
    taken.add("register")
    case = go(clerk, case, "assign", {"handler": world.user("clerk")}, "2026-09-01")
    case = go(clerk, case, "request_correction", {"period_wd": 15, "items": ["请明确文件名称"]},
              "2026-09-02", "correction_requested")  # fmt: skip
    case = go(
        clerk,
        case,
        "record_service",
        {"notice": "correction", "served_on": "2026-09-03"},
        "2026-09-03",
    )
    case = go(clerk, case, "extend_correction_period", {"days_wd": 5}, "2026-09-10")
    # the correction period ran out long ago: the approver's action meets the expiry first
    case = go(approver, case, "void_expiry", {"posted_on": "2026-09-15", "reason": "邮戳在期限内"},
              state="correction_requested")  # fmt: skip
    assert [e["action"] for e in case["events"]][-2:] == [
        "correction_deadline_passed",
        "void_expiry",
    ]
    case = go(clerk, case, "receive_correction", {"posted_on": "2026-09-15"}, state="received")
    case = go(clerk, case, "start_consultation", {"party": "某建设有限公司"}, state="consulting")
    case = go(clerk, case, "receive_opinion", {"opinion": "consent"}, state="received")
    case = go(
        clerk,
        case,
        "issue_fee_notice",
        {"amount": "100.00", "basis": "per_item"},
        state="fee_pending",
    )
    case = go(clerk, case, "receive_payment", {}, state="received")
    case = go(clerk, case, "request_reasons", {})
    case = go(
        approver, case, "set_reasonable_deadline", {"due_on": "2027-02-26", "reason": "申请量大"}
    )
    case = go(approver, case, "extend", {"days_wd": 10, "reason": "需调取档案"})
    case = go(clerk, case, "draft_reply", {"outcome": "disclosed", "form": "电子"})
    case = go(approver, case, "reject_draft", {"reason": "依据不全"})
    case = go(clerk, case, "draft_reply", {"outcome": "partially_disclosed", "basis": "第三十七条"})
    case = go(approver, case, "approve_reply", None, state="disclosed")
    case = go(approver, case, "amend_outcome", {"outcome": "disclosed", "reason": "经复核全部公开"})
    case = go(clerk, case, "deliver", {"method": "post"}, state="closed")
    assert case["outcome"] == "disclosed"
    seqs = [e["seq"] for e in case["events"]]
    assert seqs == list(range(1, len(seqs) + 1))

    refused = problem(act(approver, world.register(clerk), "confirm_expiry"), 422, "action-refused")
    assert "未执行" in refused["detail"]
    schema = create_app().openapi()
    routes = {p.rsplit("/", 1)[-1] for p in schema["paths"] if "/actions/" in p}
    assert routes - taken == UNREACHABLE_HERE, routes - taken


def test_an_approver_confirms_an_expiry_held_on_a_provisional_date(
    world: World, tmp_path: Path
) -> None:
    """A correction period ending in 2027, whose holiday notice is not loaded: the expiry is
    held for an approver, who confirms it once the day has passed (a server whose 'today' is
    2027-06-30, on the same database)."""
    clerk = world.login("clerk")
    case = world.register(clerk, submitted_on="2026-11-23")
    case = step(clerk, case, "request_correction", {"period_wd": 40}, "2026-11-24")
    with running_server(world.server.db_url, tmp_path, today="2027-06-30") as later:
        approver = World(later, world.tag, world.codes, world.users).login("approver")
        confirmed = step(approver, case, "confirm_expiry", state="closed")
    assert confirmed["outcome"] == "other.correction_not_submitted"
    assert confirmed["events"][-1]["on"] < "2027-06-30"  # the day after the period, not today
