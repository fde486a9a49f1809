"""Every route of the app, enumerated (so no new route can skip the checks): without a login
401; a user of another agency 404 (nothing leaks, not even existence); a role that may not
act 403. Public routes are listed by name."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from sqlmodel import Session, col, select

from api.app import create_app
from casework.models import CaseEvent
from tests.api.conftest import World, problem

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/login"),
    ("GET", "/metrics"),  # loopback or a token, no login (test_errors.py checks the refusal)
}
OWN = {  # the caller's own things, or shared data: no other agency's resource in the request
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("GET", "/api/v1/agencies"),
    ("GET", "/api/v1/notifications"),
    ("POST", "/api/v1/notifications/read"),
    ("GET", "/api/v1/calendar/deadline"),
    ("GET", "/api/v1/calendar/{year}"),
    ("POST", "/api/v1/calendar/years/{year}/confirm"),  # national: calendar administrators
}
BY_AGENCY = {  # the agency named in the query or the body
    ("GET", "/api/v1/cases"),
    ("GET", "/api/v1/cases/export.csv"),
    ("POST", "/api/v1/cases"),
    ("POST", "/api/v1/cases/repeat-check"),  # registration form's pre-check: stores nothing
    ("GET", "/api/v1/appeals"),
    ("POST", "/api/v1/appeals"),
    ("GET", "/api/v1/reports/{year}"),
    ("GET", "/api/v1/reports/{year}/document"),
    ("GET", "/api/v1/reports/{year}/inputs"),
    ("PUT", "/api/v1/reports/{year}/inputs"),
    ("GET", "/api/v1/reports/{year}/narratives"),
    ("PUT", "/api/v1/reports/{year}/narratives"),
    ("GET", "/api/v1/reports/period"),
    ("GET", "/api/v1/reports/{year}/cells/{row}/{column}"),
    ("GET", "/api/v1/reports/{year}/appeal-cells/{kind}/{result}"),
    ("GET", "/api/v1/reports/{year}/rollup"),
    ("POST", "/api/v1/reports/{year}/publication"),
    ("GET", "/api/v1/reports/{year}/publication"),
    ("GET", "/api/v1/reports/{year}/publication/files/{format}"),
    ("GET", "/api/v1/reports/{year}/drift"),
    ("PUT", "/api/v1/calendar/days/{day}"),
    ("GET", "/api/v1/delegations"),
    ("POST", "/api/v1/delegations"),
    ("DELETE", "/api/v1/delegations/{delegation_id}"),
}
# a resource found by its id; /cases/{case_id}/attachments… too (a district office lists a
# case's attachments but gets 403 for the files: tests/api/test_attachments.py); and
# /cases/{case_id}/notices… (such readers get a masked HTML preview, 403 for the originals and
# for issuing: tests/api/test_notices.py); /cases/{case_id}/case-file… (403 for auditors and
# district offices: tests/api/test_case_file.py)
BY_ID = ("{case_id}", "{appeal_id}")
APPROVERS_ONLY = ("/extend", "/approve_reply", "/reject_draft", "/amend_outcome", "/void",
                  "/void_expiry", "/confirm_expiry", "/publication")  # fmt: skip
# 督办: the one change a district office makes (tests/api/test_supervisions.py); the case's own
# agency — its clerk, its auditor — may not supervise itself
SUPERVISION = "/api/v1/cases/{case_id}/supervisions"
PROACTIVE = {"regulations": {"issued": 0, "repealed": 0, "in_force": 0},
             "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
             "licensing": 0, "penalties": 0, "enforcement": 0, "admin_fees_wan_yuan": 0}  # fmt: skip


def routes() -> list[tuple[str, str]]:
    """Every (method, path) the app serves, from its OpenAPI schema (FastAPI lists each
    APIRoute there, routers included; none of ours is hidden from the schema)."""
    schema = create_app().openapi()
    out = [(m.upper(), path) for path, ops in schema["paths"].items() for m in ops]
    assert len(out) >= 40, out  # never a vacuous enumeration
    return sorted(out)


def call(
    client: httpx.Client, method: str, path: str, ids: dict[str, int], agency: str = ""
) -> httpx.Response:
    """A request on the route: the resource ids filled in, the agency named in the query and
    in a body valid enough to reach the checks (a role is checked before the body)."""
    url = (
        path.replace("{case_id}", str(ids.get("case_id", 1)))
        .replace("{appeal_id}", str(ids.get("appeal_id", 1)))
        .replace("{delegation_id}", str(ids.get("delegation_id", 1)))
        .replace("{attachment_id}", str(ids.get("attachment_id", 1)))
        .replace("{notice_id}", str(ids.get("notice_id", 1)))
        .replace("{year}", "2026")
        .replace("{day}", "2026-12-01")
    )
    headers = {"If-Match": '"1"'} if method != "GET" else {}
    params = {"agency": agency} if agency else {}
    body: dict[str, Any] = {}
    if path == "/api/v1/cases":
        body = {"agency": agency, "applicant": {"kind": "natural_person", "name": "甲"},
                "channel": "in_person", "submitted_on": "2026-11-20", "request": "x"}  # fmt: skip
    elif path == "/api/v1/cases/repeat-check":
        body = {"agency": agency, "applicant": {"kind": "natural_person", "name": "甲"},
                "request": "x"}  # fmt: skip
    elif path == "/api/v1/appeals":
        body = {"agency": agency, "kind": "reconsideration", "filed_on": "2026-11-20"}
    elif path.endswith("/inputs"):
        body = PROACTIVE
    elif path.startswith("/api/v1/calendar/days/"):
        body = {"workday": False, "source": "x", "agency": agency}
    elif path.endswith("/confirm"):
        body = {"source": "x"}
    elif path == "/api/v1/delegations":
        body = {"agency": agency, "to": "x", "valid_from": "2026-12-01", "valid_to": "2026-12-02"}
    if method in ("GET", "DELETE"):
        return client.request(method, url, headers=headers, params=params)
    return client.request(method, url, headers=headers, params=params, json=body)


def test_every_route_is_classified() -> None:
    for method, path in routes():
        key = (method, path)
        known = key in PUBLIC | OWN | BY_AGENCY or any(i in path for i in BY_ID)
        assert known, f"route {method} {path} is not classified for the visibility tests"


def test_every_route_but_the_public_ones_needs_a_login(world: World) -> None:
    anonymous = world.client()
    for method, path in routes():
        if (method, path) not in PUBLIC:
            problem(call(anonymous, method, path, {}, world.code("zhz")), 401, "unauthorized")


def _a_case_and_an_appeal(world: World) -> dict[str, int]:
    clerk = world.login("clerk")
    case = world.register(clerk)
    appeal = clerk.post("/api/v1/appeals", json={"agency": world.code("zhz"),
                        "kind": "reconsideration", "filed_on": "2026-11-24"})  # fmt: skip
    assert appeal.status_code == 201, appeal.text
    handed = world.login("approver").post("/api/v1/delegations", json={
        "agency": world.code("zhz"), "to": world.user("clerk2"),
        "valid_from": "2026-12-01", "valid_to": "2026-12-02"})  # fmt: skip
    assert handed.status_code == 201, handed.text
    attached = clerk.post(f"/api/v1/cases/{case['id']}/attachments", data={"kind": "other"},
                          files={"file": ("申请书.txt", "张三的申请".encode())})  # fmt: skip
    assert attached.status_code == 201, attached.text
    noticed = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"})
    assert noticed.status_code == 201, noticed.text
    return {"case_id": case["id"], "appeal_id": appeal.json()["id"],
            "delegation_id": handed.json()["id"], "attachment_id": attached.json()["id"],
            "notice_id": noticed.json()["id"]}  # fmt: skip


def test_another_agencys_things_do_not_exist_on_any_route(world: World) -> None:
    ids = _a_case_and_an_appeal(world)
    nowhere = {"case_id": 2**31 - 1, "appeal_id": 2**31 - 1, "delegation_id": 2**31 - 1,
               "attachment_id": 2**31 - 1, "notice_id": 2**31 - 1}  # fmt: skip
    checked = 0
    for outsider in (world.login("stranger"), world.login("stranger_approver")):
        for method, path in routes():
            if any(i in path for i in BY_ID):
                answer = call(outsider, method, path, ids, world.code("other"))
                body = problem(answer, 404, "not-found")
                assert "张三" not in answer.text
                missing = problem(call(outsider, method, path, nowhere, world.code("other")), 404)
                for value in sorted({*ids.values(), *nowhere.values()}, key=lambda v: -len(str(v))):
                    body["detail"] = body["detail"].replace(str(value), "N")
                    missing["detail"] = missing["detail"].replace(str(value), "N")
                assert body["detail"] == missing["detail"], (body, missing)
                checked += 1
            elif (method, path) in BY_AGENCY:
                problem(call(outsider, method, path, ids, world.code("zhz")), 404, "not-found")
                checked += 1
        listed = outsider.get("/api/v1/cases")
        assert listed.status_code == 200 and listed.json()["items"] == []
        agencies = [a["code"] for a in outsider.get("/api/v1/agencies").json()]
        assert world.code("zhz") not in agencies
    assert checked >= 2 * 35


def test_every_mutating_route_refuses_a_role_that_may_not(world: World) -> None:
    """The auditor (查看) and the district office (政务公开办) see the agency's things but may
    change nothing; a clerk may not take an approver's action nor change the calendar."""
    ids = _a_case_and_an_appeal(world)
    clerk = world.login("clerk")
    readers = [world.login("auditor"), world.login("district")]
    checked = 0
    for method, path in routes():
        if method == "GET" or (method, path) in PUBLIC or path.startswith("/api/v1/auth/"):
            continue
        if path.startswith("/api/v1/notifications"):
            continue  # one's own inbox
        for reader in readers[:1] if path == SUPERVISION else readers:
            problem(call(reader, method, path, ids, world.code("zhz")), 403, "forbidden")
            checked += 1
        if (
            path.endswith(APPROVERS_ONLY)
            or path.startswith("/api/v1/calendar/")
            or path == SUPERVISION
        ):
            problem(call(clerk, method, path, ids, world.code("zhz")), 403, "forbidden")
            checked += 1
    assert checked >= 2 * 28
    case = clerk.get(f"/api/v1/cases/{ids['case_id']}").json()
    assert case["version"] == 1  # nothing changed
    appeal = clerk.get(f"/api/v1/appeals/{ids['appeal_id']}").json()
    assert appeal["answered_on"] is None and appeal["decided_on"] is None


def test_two_clerks_racing_on_one_case_one_wins_one_gets_409(world: World) -> None:
    first, second = world.login("clerk"), world.login("clerk2")
    for round_ in range(4):
        case = world.register(first, request=f"第{round_}件")
        barrier = threading.Barrier(2)
        answers: list[httpx.Response] = []
        lock = threading.Lock()

        def go(
            client: httpx.Client,
            handler: str,
            case: dict[str, Any] = case,
            barrier: threading.Barrier = barrier,
            answers: list[httpx.Response] = answers,
            lock: threading.Lock = lock,
        ) -> None:
            barrier.wait()
            answer = client.post(
                f"/api/v1/cases/{case['id']}/actions/assign",
                json={"handler": handler},
                headers={"If-Match": '"1"'},
            )
            with lock:
                answers.append(answer)

        threads = [
            threading.Thread(target=go, args=(first, world.user("clerk"))),
            threading.Thread(target=go, args=(second, world.user("clerk2"))),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        problem(loser, 409, "conflict")
        with Session(world.server.engine) as s:
            seqs = s.exec(
                select(CaseEvent.seq)
                .where(CaseEvent.case_id == case["id"])
                .order_by(col(CaseEvent.seq))
            ).all()
        assert list(seqs) == [1, 2]
