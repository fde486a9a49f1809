"""Login, logout, change password and the agency switch, in a real browser."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from casework.db import unit_of_work
from casework.services import directory
from tests.api.conftest import PASSWORD, World
from tests.api.web.conftest import login
from workflows.roles import Role


def test_a_page_without_a_login_sends_to_the_form_and_back(page: Page, world: World) -> None:
    page.goto("/password")
    expect(page).to_have_url(f"{world.server.url}/login?next=%2Fpassword")
    page.get_by_label("用户名").fill(world.user("clerk"))
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{world.server.url}/password")
    expect(page.locator("header .user")).to_have_text("李经办（经办人）")


def test_a_wrong_password_is_refused_on_the_form(page: Page, world: World) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(world.user("clerk"))
    page.get_by_label("密码").fill("not-the-password")
    with page.expect_response("**/login") as answer:
        page.get_by_role("button", name="登录").click()
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    expect(page.get_by_label("用户名")).to_have_value(world.user("clerk"))


def test_login_never_redirects_off_the_site(page: Page, world: World) -> None:
    page.goto("/login?next=//evil.example/x")
    page.get_by_label("用户名").fill(world.user("clerk"))
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert page.url.startswith(world.server.url + "/"), page.url


def test_change_password_checks_each_field_then_ends_every_login(page: Page, world: World) -> None:
    page.goto("/login?next=%2Fpassword")
    login_form(page, world.user("clerk"), PASSWORD)
    page.get_by_label("原密码").fill("wrong-old-one")
    page.get_by_label(re.compile("^新密码")).fill("a-new-password-2")
    page.get_by_label("再次输入新密码").fill("a-new-password-2")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#e-old_password")).to_have_text("原密码不正确")
    expect(page.get_by_label("原密码")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill("a-new-password-2")
    page.get_by_label("再次输入新密码").fill("something-else-3")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#e-repeat_password")).to_have_text("两次输入的新密码不一致")

    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill("a-new-password-2")
    page.get_by_label("再次输入新密码").fill("a-new-password-2")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("status").filter(has_text="密码已修改")).to_be_visible()
    page.goto("/password")  # the session ended with the change
    expect(page).to_have_url(f"{world.server.url}/login?next=%2Fpassword")
    answer = httpx.post(f"{world.server.url}/api/v1/auth/login",
                        json={"username": world.user("clerk"), "password": PASSWORD})  # fmt: skip
    assert answer.status_code == 401
    login_form(page, world.user("clerk"), "a-new-password-2")
    expect(page).to_have_url(f"{world.server.url}/password")


def test_logout_ends_the_session(page: Page, world: World) -> None:
    page.goto("/login?next=%2Fpassword")
    login_form(page, world.user("approver"), PASSWORD)
    expect(page.locator("header .user")).to_have_text("王负责（负责人）")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{world.server.url}/login")
    page.goto("/password")
    expect(page).to_have_url(f"{world.server.url}/login?next=%2Fpassword")


def test_a_user_of_two_agencies_switches_between_them(page: Page, world: World) -> None:
    with unit_of_work(world.server.engine) as s:
        user = directory.user_by_name(s, world.user("clerk"))
        directory.grant(s, user, directory.agency_by_code(s, world.code("other")), Role.APPROVER)
    page.goto("/login?next=%2Fpassword")
    login_form(page, world.user("clerk"), PASSWORD)
    switch = page.get_by_label("机关")
    expect(switch.locator("option")).to_have_count(2)
    before = switch.input_value()
    other = world.code("zhz") if before == world.code("other") else world.code("other")
    switch.select_option(other)
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_label("机关")).to_have_value(other)  # after the page reloaded
    role = "负责人" if other == world.code("other") else "经办人"
    expect(page.locator("header .user")).to_have_text(f"李经办（{role}）")


def test_an_unknown_page_is_a_chinese_404_page_and_the_api_keeps_problem_json(
    page: Page, world: World
) -> None:
    login(page, world, "clerk")
    answer = page.goto("/no-such-page")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    api = httpx.get(f"{world.server.url}/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def login_form(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
