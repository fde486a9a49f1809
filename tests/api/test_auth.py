"""Logins: bearer tokens and browser sessions, logout and expiry revoke, throttled failures,
password changes, disabled users."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.models import AuthToken, User
from casework.services import auth
from casework.timeutil import utcnow
from tests.api.conftest import PASSWORD, World, problem


def test_login_gives_a_token_that_opens_the_api(world: World) -> None:
    client = world.client()
    problem(client.get("/api/v1/auth/me"), 401, "unauthorized")
    answer = client.post(
        "/api/v1/auth/login", json={"username": world.user("clerk"), "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer" and len(body["token"]) >= 40
    assert body["csrf_token"] is None and "set-cookie" not in answer.headers
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200, me.text
    roles = [(r["agency"], r["role"], r["role_label"]) for r in me.json()["roles"]]
    assert roles == [(world.code("zhz"), "clerk", "经办人")]
    with Session(world.server.engine) as s:  # only the hash is stored
        rows = s.exec(select(AuthToken)).all()
        assert body["token"] not in {r.token_hash for r in rows}
        assert auth.digest(body["token"]) in {r.token_hash for r in rows}


def test_wrong_password_and_unknown_user_look_the_same(world: World) -> None:
    client = world.client()
    wrong = client.post(
        "/api/v1/auth/login", json={"username": world.user("clerk"), "password": "nope-nope"}
    )
    nobody = client.post(
        "/api/v1/auth/login", json={"username": f"ghost_{world.tag}", "password": "nope-nope"}
    )
    assert problem(wrong, 401, "unauthorized")["detail"] == problem(nobody, 401)["detail"]
    assert wrong.headers["www-authenticate"].startswith("Bearer")


def test_failed_logins_are_throttled_per_user(world: World) -> None:
    client = world.client()
    user = world.user("clerk2")
    for _ in range(5):
        answer = client.post("/api/v1/auth/login", json={"username": user, "password": "bad-bad-1"})
        problem(answer, 401)
    blocked = client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    body = problem(blocked, 429, "throttled")  # even the right password, for now
    assert "分钟后再试" in body["detail"] and int(blocked.headers["retry-after"]) > 0
    world.login("clerk")  # another user is not affected


def test_logout_revokes_the_token(world: World) -> None:
    client = world.login("clerk")
    assert client.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 204
    problem(client.get("/api/v1/auth/me"), 401, "unauthorized")


def test_an_expired_token_is_refused(world: World) -> None:
    client = world.login("clerk")
    token = client.headers["Authorization"].split()[1]
    with unit_of_work(world.server.engine) as s:
        row = s.exec(select(AuthToken).where(AuthToken.token_hash == auth.digest(token))).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    problem(client.get("/api/v1/auth/me"), 401, "unauthorized")


def test_a_disabled_user_is_logged_out_and_cannot_log_in(world: World) -> None:
    client = world.login("clerk")
    with unit_of_work(world.server.engine) as s:
        user = s.exec(select(User).where(User.username == world.user("clerk"))).one()
        auth.disable(s, user, utcnow())
    problem(client.get("/api/v1/auth/me"), 401)
    answer = world.client().post(
        "/api/v1/auth/login", json={"username": world.user("clerk"), "password": PASSWORD}
    )
    problem(answer, 401)


def test_changing_the_password_ends_every_login(world: World) -> None:
    first, second = world.login("clerk"), world.login("clerk")
    wrong = first.post(
        "/api/v1/auth/password", json={"old_password": "guess-guess", "new_password": "x" * 12}
    )
    assert problem(wrong, 422, "invalid")["errors"][0]["field"] == "old_password"
    short = first.post(
        "/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": "short"}
    )
    assert problem(short, 422)["errors"][0]["field"] == "new_password"
    changed = first.post(
        "/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": "new-secret-42"}
    )
    assert changed.status_code == 204, changed.text
    problem(second.get("/api/v1/auth/me"), 401)
    problem(first.get("/api/v1/auth/me"), 401)
    world.login("clerk", "new-secret-42")


def test_a_browser_session_needs_the_csrf_token_to_write(world: World) -> None:
    client = world.client()
    answer = client.post(
        "/api/v1/auth/login",
        json={"username": world.user("clerk"), "password": PASSWORD, "cookie": True},
    )
    assert answer.status_code == 200, answer.text
    cookies = answer.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("casework_session="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    csrf = answer.json()["csrf_token"]
    assert client.cookies.get("casework_csrf") == csrf
    assert client.get("/api/v1/auth/me").status_code == 200  # reading needs the cookie only
    body = {
        "agency": world.code("zhz"),
        "applicant": {"kind": "natural_person", "name": "张三"},
        "channel": "in_person",
        "submitted_on": "2026-11-20",
        "request": "某文件",
    }
    problem(client.post("/api/v1/cases", json=body), 403, "forbidden")
    problem(client.post("/api/v1/cases", json=body, headers={"X-CSRF-Token": "x" * 43}), 403)
    made = client.post("/api/v1/cases", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    out = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    problem(client.get("/api/v1/auth/me"), 401)
