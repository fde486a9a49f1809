"""Keyboard and screen-reader basics on every main page, in a real browser at 1366×768: axe-core
(vendored for the tests only, tests/api/web/vendor/) finds no violation of the WCAG 2.0/2.1 A and
AA rules nor of its best practices (forms folded in <details> opened), the page does not scroll
sideways, and the first Tab stop is the skip link, which moves focus to the page's main content;
a refused form puts focus on its field in error. Each page is opened as a user who works on it,
with data set up through the API: a case with a correction requested (its action forms present)
and supervised by the district office (a notification), an overdue case, a user of two agencies
(the header's switcher), and the sample 2023 report's history."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from casework.db import unit_of_work
from casework.services import directory
from tests.api.conftest import Server, World, make_world
from tests.api.web.conftest import VIEWPORT, login
from tests.api.web.test_reports_page import YEAR, _replay_demo
from workflows.actions import action_spec
from workflows.roles import Role

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe-core" / "axe.min.js"
OVERDUE = "2026-10-09"  # received in person: reply due 11-05, late by today (2026-11-26)

# The violations of the WCAG 2.0 and 2.1 A and AA rules, and of axe's best practices (landmarks,
# heading order, one h1 …), each with its nodes, as plain data.
RUN_AXE = """async () => {
  const found = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  return found.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""
OPEN_ALL_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


@dataclass
class Scene:
    world: World
    corrected: dict[str, Any]  # a case with a correction requested, supervised by the district
    overdue: dict[str, Any]
    contexts: dict[str | None, BrowserContext] = field(default_factory=dict)


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe.min.js as the manifest pins it (rebuild: tools/vendor_assets.py --manifest …)."""
    spec = json.loads((VENDOR / "assets.json").read_text())["packages"]["axe-core"]
    for name, digest in spec["sha256"].items():
        assert hashlib.sha256((VENDOR / "axe-core" / name).read_bytes()).hexdigest() == digest
    return AXE


@pytest.fixture(scope="module")
def scene(web_server: Server, browser: Browser) -> Iterator[Scene]:
    world = _replay_demo(make_world(web_server))
    clerk, district = world.login("clerk"), world.login("district")
    case = world.register(clerk)
    answer = clerk.post(f"/api/v1/cases/{case['id']}/actions/request_correction",
                        json={"period_wd": 10, "items": ["请写明文件名称", "请提供身份证明"]},
                        headers={"If-Match": f'"{case["version"]}"'})  # fmt: skip
    assert answer.status_code == 200, answer.text
    overdue = world.register(clerk, submitted_on=OVERDUE, request="某道路改造工程批复文件")
    for supervised in (case, overdue):
        made = district.post(f"/api/v1/cases/{supervised['id']}/supervisions",
                             json={"note": "请于本周内答复"})  # fmt: skip
        assert made.status_code == 201, made.text
    with unit_of_work(web_server.engine) as session:  # the header's agency switcher shows
        user = directory.user_by_name(session, world.user("clerk2"))
        directory.grant(session, user, directory.agency_by_code(session, world.code("other")),
                        Role.APPROVER)  # fmt: skip
    scene = Scene(world, answer.json(), overdue)
    yield scene
    for context in scene.contexts.values():
        context.close()


def _signed_in(scene: Scene, browser: Browser, who: str | None) -> BrowserContext:
    """One browser context per user for the whole module, signed in once."""
    if who not in scene.contexts:
        context = browser.new_context(base_url=scene.world.server.url, viewport=VIEWPORT,
                                      locale="zh-CN", timezone_id="Asia/Shanghai")  # fmt: skip
        context.set_default_timeout(15_000)
        if who is not None:
            page = context.new_page()
            login(page, scene.world, who)
            page.close()
        scene.contexts[who] = context
    return scene.contexts[who]


def _user_id(scene: Scene, who: str) -> int:
    with unit_of_work(scene.world.server.engine) as session:
        user = directory.user_by_name(session, scene.world.user(who))
        assert user.id is not None
        return user.id


def _report(scene: Scene, what: str = "") -> str:
    return f"/reports/{YEAR}{what}?agency={scene.world.code('zhz')}"


# (test id, who opens it — None for no one signed in —, the path)
PAGES: list[tuple[str, str | None, Callable[[Scene], str]]] = [
    ("login", None, lambda s: "/login"),
    ("queue", "clerk", lambda s: "/"),
    ("queue-two-agencies", "clerk2", lambda s: "/"),
    ("register", "clerk", lambda s: "/cases/new"),
    ("case", "clerk", lambda s: f"/cases/{s.corrected['id']}"),
    ("case-approver", "approver", lambda s: f"/cases/{s.overdue['id']}"),
    ("notifications", "clerk", lambda s: "/notifications"),
    ("password", "clerk", lambda s: "/password"),
    ("not-found", "clerk", lambda s: "/cases/999999999"),
    ("district", "district", lambda s: "/district"),
    ("district-report", "district", lambda s: "/district/report"),
    ("district-supervise", "district",
     lambda s: f"/district/cases/{s.overdue['id']}/supervise"),
    ("admin-users", "street_admin", lambda s: "/admin/users"),
    ("admin-user", "street_admin", lambda s: f"/admin/users/{_user_id(s, 'clerk')}"),
    ("admin-calendar", "calendar", lambda s: "/admin/calendar?year=2026"),
    ("admin-policies", "street_admin", lambda s: "/admin/policies"),
    ("admin-templates", "street_admin", lambda s: "/admin/templates"),
    ("reports", "approver", lambda s: "/reports"),
    ("reports-2023", "approver", lambda s: _report(s)),
    ("reports-narratives", "approver", lambda s: _report(s, "/narratives")),
    ("reports-inputs", "approver", lambda s: _report(s, "/inputs")),
    ("reports-publish", "approver", lambda s: _report(s, "/publish")),
]  # fmt: skip
IDS = [name for name, *_ in PAGES]


def _open(scene: Scene, browser: Browser, who: str | None, path: Callable[[Scene], str]) -> Page:
    page = _signed_in(scene, browser, who).new_page()
    target = path(scene)
    page.goto(target)
    assert "/login" not in page.url or target == "/login", (target, page.url)
    return page


def _described(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return "\n".join(lines)


def _assert_no_violations(page: Page, axe_script: Path) -> None:
    page.add_script_tag(path=axe_script)
    violations = page.evaluate(RUN_AXE)
    assert not violations, f"{page.url}\n{_described(violations)}"


@pytest.mark.parametrize(("who", "path"), [p[1:] for p in PAGES], ids=IDS)
def test_axe_finds_no_accessibility_violation(
    scene: Scene, browser: Browser, axe_script: Path, who: str | None, path: Callable[[Scene], str]
) -> None:
    page = _open(scene, browser, who, path)
    try:
        page.evaluate(OPEN_ALL_DETAILS)  # the forms folded in <details> are checked too
        _assert_no_violations(page, axe_script)
    finally:
        page.close()


def test_a_refused_page_form_focuses_its_field_in_error(
    scene: Scene, browser: Browser, axe_script: Path
) -> None:
    page = _open(scene, browser, "clerk", lambda s: "/password")
    try:
        page.locator("#f-old_password").fill("whatever")
        page.locator("#f-new_password").fill("一个新的长密码123")
        page.locator("#f-repeat_password").fill("另一个新的长密码456")
        with page.expect_response("**/password") as answer:
            page.get_by_role("button", name="修改密码").click()
        assert answer.value.status == 422
        field = page.locator("#f-repeat_password")
        expect(field).to_be_focused()
        expect(field).to_have_accessible_description("两次输入的新密码不一致")
        _assert_no_violations(page, axe_script)
    finally:
        page.close()


def test_a_refused_case_action_focuses_its_field_in_error(
    scene: Scene, browser: Browser, axe_script: Path
) -> None:
    case_id = scene.corrected["id"]
    page = _open(scene, browser, "clerk", lambda s: f"/cases/{case_id}")
    try:
        form = page.locator("#act-assign")
        form.locator("summary").click()
        with page.expect_response(f"**/cases/{case_id}/actions/assign") as answer:
            form.get_by_role("button", name=action_spec("assign").label).click()
        assert answer.value.status == 422  # no one named: refused, nothing done
        expect(page.locator("#act-assign [aria-invalid='true']").first).to_be_focused()
        _assert_no_violations(page, axe_script)
    finally:
        page.close()


@pytest.mark.parametrize(("who", "path"), [p[1:] for p in PAGES], ids=IDS)
def test_the_page_does_not_scroll_sideways_on_a_1366_wide_screen(
    scene: Scene, browser: Browser, who: str | None, path: Callable[[Scene], str]
) -> None:
    page = _open(scene, browser, who, path)
    try:
        page.evaluate(OPEN_ALL_DETAILS)  # nor with every folded form open
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORT["width"], (page.url, width)
    finally:
        page.close()


ACTIVE = "() => { const a = document.activeElement; return a ? (a.id || a.className || a.tagName) : null; }"


@pytest.mark.parametrize(("who", "path"), [p[1:] for p in PAGES], ids=IDS)
def test_the_first_tab_stop_is_the_skip_link_and_it_moves_focus_to_main(
    scene: Scene, browser: Browser, who: str | None, path: Callable[[Scene], str]
) -> None:
    page = _open(scene, browser, who, path)
    try:
        if page.evaluate("document.activeElement === document.body"):
            page.keyboard.press("Tab")
        else:  # an autofocused field (the login form): it sits first in main, after the link
            assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
            page.keyboard.press("Shift+Tab")
        assert page.evaluate(ACTIVE) == "skip", page.url
        assert page.evaluate("document.activeElement.textContent") == "跳到正文"
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
        page.keyboard.press("Tab")  # and Tab goes on inside main, not back to the header
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    finally:
        page.close()
