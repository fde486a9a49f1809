"""Errors are problem+json in Chinese for whatever a client sends; the docs are public and
every route has a Chinese summary."""

from __future__ import annotations

import httpx

from tests.api.conftest import World, problem


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_docs_and_health_are_public_and_every_route_is_summarised(world: World) -> None:
    anonymous = world.client()
    assert anonymous.get("/docs").status_code == 200
    schema = anonymous.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert _chinese(operation.get("summary", "")), (method, path)
    assert anonymous.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}


def test_unknown_paths_methods_and_odd_input_are_clear_4xx(world: World) -> None:
    clerk = world.login("clerk")
    problem(clerk.get("/api/v1/nothing-here"), 404, "not-found")
    problem(clerk.delete("/api/v1/cases"), 405, "method-not-allowed")
    problem(clerk.get("/api/v1/cases/0"), 422, "validation")
    problem(clerk.get(f"/api/v1/cases/{2**63}"), 422, "validation")
    problem(clerk.get("/api/v1/cases/abc"), 422, "validation")
    problem(clerk.get("/api/v1/cases", params={"received_from": "yesterday"}), 422)
    problem(clerk.get("/api/v1/cases", params={"q": "x" * 201}), 422)
    problem(clerk.post("/api/v1/notifications/read", json={"ids": [2**40]}), 422)
    problem(clerk.post("/api/v1/notifications/read", json={"ids": [12345]}), 404)
    weird = clerk.post(
        "/api/v1/cases",
        content="\x00\xff".encode("latin-1"),
        headers={"Content-Type": "text/plain"},
    )
    assert weird.status_code == 422 and weird.headers["content-type"].startswith(
        "application/problem+json"
    )
    huge_text = {"agency": world.code("zhz"), "applicant": {"kind": "natural_person", "name": "甲" * 300},
                 "channel": "in_person", "submitted_on": "2026-11-20", "request": "x"}  # fmt: skip
    assert problem(clerk.post("/api/v1/cases", json=huge_text), 422)["errors"][0]["field"] == (
        "applicant.name"
    )


def test_a_bearer_token_that_is_not_ours_is_401(world: World) -> None:
    for header in ("Bearer nonsense", "Bearer", "Basic dXNlcjpwYXNz", "Bearer " + "a" * 5000):
        client = httpx.Client(base_url=world.server.url, headers={"Authorization": header})
        problem(client.get("/api/v1/cases"), 401, "unauthorized")
