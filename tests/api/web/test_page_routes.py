"""Every page route, enumerated from the web UI's routers (so no new page can skip the login):
without a session a page sends the browser to the login form and a form post changes nothing;
a post with the session but without the CSRF header is refused."""

from __future__ import annotations

import re

import httpx
import pytest

from api.web import PAGE_ROUTERS
from tests.api.conftest import PASSWORD, Server, World, make_world

PUBLIC = {("GET", "/login"), ("POST", "/login")}


def page_routes() -> list[tuple[str, str]]:
    out = set()
    for module in PAGE_ROUTERS:
        for route in module.router.routes:
            for method in getattr(route, "methods", ()) or ():
                if method != "HEAD":
                    out.add((method, route.path))  # type: ignore[attr-defined]
    assert len(out) >= 5, out  # never a vacuous enumeration
    return sorted(out)


@pytest.fixture(scope="module")
def shared_world(web_server: Server) -> World:
    """One world for every route: no test here changes anything."""
    return make_world(web_server)


def concrete(path: str) -> str:
    """A path with every parameter filled (an id that may not exist: the login comes first)."""
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize(("method", "path"), [r for r in page_routes() if r not in PUBLIC])
def test_a_page_without_a_login_goes_to_the_login_form(
    method: str, path: str, shared_world: World
) -> None:
    answer = httpx.request(method, shared_world.server.url + concrete(path), follow_redirects=False,
                           data={"x": "1"} if method != "GET" else None)  # fmt: skip
    assert answer.status_code == 303, (method, path, answer.status_code, answer.text[:300])
    assert answer.headers["location"].startswith("/login"), answer.headers


def test_a_form_post_without_the_csrf_header_is_refused(world: World) -> None:
    client = httpx.Client(base_url=world.server.url, follow_redirects=False)
    signed_in = client.post("/login", data={"username": world.user("clerk"), "password": PASSWORD})
    assert signed_in.status_code == 303 and "casework_session" in client.cookies
    refused = client.post("/logout")  # no X-CSRF-Token header
    assert refused.status_code == 403, refused.text
    assert "CSRF" in refused.text
    still_in = client.get("/password")
    assert still_in.status_code == 200, still_in.status_code
