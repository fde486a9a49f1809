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


def test_text_with_a_nul_character_is_refused_not_stored(world: World) -> None:
    """PostgreSQL cannot store NUL; found by the schema fuzzer as a 500 on PostgreSQL."""
    clerk = world.login("clerk")
    query = problem(clerk.get("/api/v1/cases", params={"q": "a\x00b"}), 422, "validation")
    assert query["errors"][0]["field"] == "q" and "控制字符" in query["errors"][0]["message"]
    body = {"agency": world.code("zhz"), "applicant": {"kind": "natural_person", "name": "张\x00三"},
            "channel": "in_person", "submitted_on": "2026-11-20", "request": "x"}  # fmt: skip
    refused = problem(clerk.post("/api/v1/cases", json=body), 422, "validation")
    assert refused["errors"][0]["field"] == "applicant.name"
    # other control characters: a bell or a form feed would break a notice's DOCX layout and
    # cannot be written to a spreadsheet (the review found both); tab and line feed are text
    for bad in ("\x07", "\x0c", "\x1b", "\x7f"):
        refused = problem(clerk.post("/api/v1/cases", json={**body, "applicant": {
            "kind": "natural_person", "name": "张三"}, "request": f"某文件{bad}全文"}), 422)  # fmt: skip
        assert refused["errors"][0]["field"] == "request", refused
    assert clerk.get("/api/v1/cases", params={"agency": world.code("zhz")}).json()["items"] == []
    fine = {
        **body,
        "applicant": {"kind": "natural_person", "name": "张三"},
        "request": "一\t二\n三",
    }
    assert clerk.post("/api/v1/cases", json=fine).status_code == 201


def test_metrics_answer_loopback_or_a_token_holder(world: World) -> None:
    """The test client is on loopback; a request forwarded by a local proxy for another
    address (uvicorn trusts X-Forwarded-For from 127.0.0.1) is refused."""
    clerk = world.login("clerk")
    world.register(clerk)
    clerk.get("/api/v1/cases/2147483647")
    scraped = world.client().get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    lines = scraped.text.splitlines()
    assert any(
        line.startswith(f'casework_cases_open{{agency="{world.code("zhz")}"}} ') for line in lines
    )
    assert any('route="/api/v1/cases/{case_id}",status="404"' in line for line in lines), (
        scraped.text
    )
    assert "casework_sweep_lag_seconds" in scraped.text and "casework_timers{" in scraped.text
    remote = world.client(**{"X-Forwarded-For": "10.1.2.3"})
    problem(remote.get("/metrics"), 403, "forbidden")


def test_every_request_body_in_the_docs_has_an_example() -> None:
    from api.app import create_app

    schema = create_app().openapi()
    components = schema["components"]["schemas"]
    bodies = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            bodies += 1
            (media,) = body["content"].values()
            ref = media["schema"].get("$ref") or next(
                (s["$ref"] for s in media["schema"].get("anyOf", []) if "$ref" in s), ""
            )
            named = components.get(ref.rsplit("/", 1)[-1], {})
            assert media.get("examples") or named.get("examples"), (method, path)
    assert bodies >= 30


def test_numbers_and_yes_no_must_have_their_json_types(world: World) -> None:
    """ "15" is not 15 and "no" is not false: a client that sends text where the API wants a
    number or a boolean has a bug the API should show, not guess around."""
    clerk, admin = world.login("clerk"), world.login("admin")
    case = world.register(clerk)
    headers = {"If-Match": f'"{case["version"]}"'}
    url = f"/api/v1/cases/{case['id']}/actions/request_correction"
    for sent in ("15", 15.5, True):
        body = problem(clerk.post(url, json={"period_wd": sent}, headers=headers), 422)
        assert body["errors"][0]["field"] == "period_wd", body
    login = world.client().post(
        "/api/v1/auth/login",
        json={"username": world.user("clerk"), "password": "x", "cookie": "no"},
    )
    assert problem(login, 422)["errors"][0]["field"] == "cookie"
    day = admin.put("/api/v1/calendar/days/2026-12-31", json={"workday": "false", "source": "x"})
    assert problem(day, 422)["errors"][0]["field"] == "workday"
    assert clerk.get(f"/api/v1/cases/{case['id']}").json()["version"] == case["version"]
    assert clerk.post(url, json={"period_wd": 15}, headers=headers).status_code == 200
