"""Idempotency-Key on the creating routes: a retried registration or appeal creates nothing
new; the same key with another body is refused; a key sent twice at once lets one through."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from tests.api.conftest import World, problem

KEY = "Idempotency-Key"


def registration(world: World, request: str = "某项目环境影响评价报告") -> dict[str, Any]:
    return {
        "agency": world.code("zhz"),
        "applicant": {"kind": "natural_person", "name": "张三"},
        "channel": "in_person",
        "submitted_on": "2026-11-20",
        "request": request,
    }


def count_cases(client: httpx.Client, world: World) -> int:
    listed = client.get("/api/v1/cases", params={"agency": world.code("zhz"), "limit": 200})
    assert listed.status_code == 200, listed.text
    return len(listed.json()["items"])


def test_a_retried_registration_returns_the_first_case(world: World) -> None:
    clerk = world.login("clerk")
    body = registration(world)
    first = clerk.post("/api/v1/cases", json=body, headers={KEY: "retry-1"})
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # the same request again, keys of the body in another order: the first case, not a new one
    again = clerk.post("/api/v1/cases", json=dict(reversed(body.items())), headers={KEY: "retry-1"})
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert count_cases(clerk, world) == 1
    # without a key, or with a new one, a second case is registered
    assert clerk.post("/api/v1/cases", json=body).status_code == 201
    assert clerk.post("/api/v1/cases", json=body, headers={KEY: "retry-2"}).status_code == 201
    assert count_cases(clerk, world) == 3


def test_a_key_reused_for_another_request_is_refused(world: World) -> None:
    clerk = world.login("clerk")
    made = clerk.post("/api/v1/cases", json=registration(world), headers={KEY: "k"})
    assert made.status_code == 201
    other = clerk.post("/api/v1/cases", json=registration(world, "另一份申请"), headers={KEY: "k"})
    body = problem(other, 422, "invalid")
    assert body["errors"][0]["field"] == "Idempotency-Key", body
    assert count_cases(clerk, world) == 1


def test_keys_belong_to_their_user(world: World) -> None:
    clerk, clerk2 = world.login("clerk"), world.login("clerk2")
    one = clerk.post("/api/v1/cases", json=registration(world), headers={KEY: "shared"})
    two = clerk2.post("/api/v1/cases", json=registration(world), headers={KEY: "shared"})
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["id"] != two.json()["id"]
    assert "idempotent-replayed" not in two.headers


def test_a_malformed_key_is_refused(world: World) -> None:
    clerk = world.login("clerk")
    for bad in ("有中文".encode(), "x" * 256, "two words"):
        answer = clerk.post("/api/v1/cases", json=registration(world), headers={KEY: bad})  # type: ignore[dict-item]
        problem(answer, 422, "validation")
    assert count_cases(clerk, world) == 0


def test_the_same_key_sent_at_once_registers_one_case(world: World) -> None:
    clerk = world.login("clerk")
    body = registration(world)
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(6)

    def send() -> None:
        with world.client(Authorization=clerk.headers["Authorization"]) as own:
            barrier.wait()
            answers.append(own.post("/api/v1/cases", json=body, headers={KEY: "race"}))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409, 503}, [a.text for a in answers]
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1, statuses
    for refused in (a for a in answers if a.status_code == 409):
        problem(refused, 409, "conflict")
    assert count_cases(clerk, world) == 1
    # a retry after the race gets the one case
    retry = clerk.post("/api/v1/cases", json=body, headers={KEY: "race"})
    assert retry.status_code == 201 and retry.json()["id"] in created


def test_a_retried_appeal_is_filed_once(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    body = {"agency": world.code("zhz"), "kind": "reconsideration", "filed_on": "2026-11-24",
            "case_id": case["id"]}  # fmt: skip
    first = clerk.post("/api/v1/appeals", json=body, headers={KEY: "appeal-1"})
    again = clerk.post("/api/v1/appeals", json=body, headers={KEY: "appeal-1"})
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    location = f"/api/v1/appeals/{first.json()['id']}"
    assert again.headers["location"] == first.headers["location"] == location
    listed = clerk.get("/api/v1/appeals", params={"agency": world.code("zhz")}).json()
    assert [a["id"] for a in listed] == [first.json()["id"]]
    changed = clerk.post(
        "/api/v1/appeals", json={**body, "kind": "litigation_direct"}, headers={KEY: "appeal-1"}
    )
    problem(changed, 422, "invalid")
