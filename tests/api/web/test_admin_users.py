"""管理 › 用户和角色 in a real browser: an administrator adds a user who can then log in,
grants and revokes roles, resets a password and disables a user; everyone else is refused."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from casework.db import unit_of_work
from casework.services import directory
from tests.api.conftest import PASSWORD, World
from tests.api.web.conftest import login

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/calendar", "/admin/policies", "/admin/templates"]


def _accept_dialogs(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def _user_page(page: Page, world: World, short: str) -> None:
    page.goto("/admin/users")
    page.locator(f"tr[data-user='{world.user(short)}']").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.user(short))


def test_an_admin_adds_a_user_who_then_logs_in_with_the_password_shown_once(
    page: Page, world: World
) -> None:
    login(page, world, "street_admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="管理").click()
    expect(page).to_have_url(f"{world.server.url}/admin/users")
    name = f"new_{world.tag}"
    page.get_by_label("用户名").fill(name)
    page.get_by_label("姓名").fill("冯新人")
    page.locator("#f-role").select_option(label="经办人")
    page.get_by_role("button", name="新增用户").click()
    expect(page.get_by_role("status").filter(has_text="已新增用户")).to_contain_text("冯新人")
    password = page.locator("#one-time-password").inner_text()
    assert len(password) >= 12, password
    expect(page).to_have_url(re.compile(r"/admin/users/\d+$"))
    expect(page.locator("table.admin-roles")).to_contain_text("经办人")

    page.reload()  # shown once: never again
    expect(page.locator("#one-time-password")).to_have_count(0)
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .user")).to_have_text("冯新人（经办人）")


def test_a_role_granted_for_a_period_is_listed_and_held(page: Page, world: World) -> None:
    login(page, world, "street_admin")
    _user_page(page, world, "clerk2")
    page.locator("#f-role").select_option(label="负责人")
    page.get_by_label("截止日期").fill("2026-12-31")
    page.get_by_role("button", name="授予角色").click()
    expect(page.get_by_role("status").filter(has_text="已授予")).to_contain_text("负责人")
    row = page.locator("table.admin-roles tr", has_text="负责人")
    expect(row).to_contain_text("2026-12-31（四）")
    expect(row).to_contain_text("有效")
    agencies = world.login("clerk2").get("/api/v1/agencies").json()
    zhz = next(a for a in agencies if a["code"] == world.code("zhz"))
    assert sorted(zhz["roles"]) == ["approver", "clerk"]

    page.locator("#f-role").select_option(label="负责人")  # the same role again: refused
    page.get_by_role("button", name="授予角色").click()
    expect(page.locator("#e-role")).to_contain_text("已有负责人角色")


def test_a_revoked_role_ends_at_once(page: Page, world: World) -> None:
    _accept_dialogs(page)
    login(page, world, "street_admin")
    _user_page(page, world, "auditor")
    page.get_by_role("button", name=re.compile("^撤销 .*查看$")).click()
    expect(page.get_by_role("status").filter(has_text="已撤销")).to_be_visible()
    expect(page.locator("table.admin-roles tr", has_text="查看")).to_contain_text("已结束")
    agencies = world.login("auditor").get("/api/v1/agencies").json()
    assert agencies == []


def test_a_reset_password_replaces_the_old_one_and_ends_the_logins(
    page: Page, world: World
) -> None:
    before = world.login("clerk2")
    login(page, world, "street_admin")
    _user_page(page, world, "clerk2")
    page.get_by_label("新密码").fill("short")
    page.get_by_role("button", name="重置密码").click()
    expect(page.locator("#e-new_password")).to_have_text("密码至少需要 8 个字符")
    page.get_by_label("新密码").fill("")
    page.get_by_role("button", name="重置密码").click()
    new = page.locator("#one-time-password").inner_text()
    assert before.get("/api/v1/agencies").status_code == 401
    answer = httpx.post(f"{world.server.url}/api/v1/auth/login",
                        json={"username": world.user("clerk2"), "password": new})  # fmt: skip
    assert answer.status_code == 200, answer.text


def test_a_disabled_user_cannot_log_in_until_enabled(page: Page, world: World) -> None:
    _accept_dialogs(page)
    login(page, world, "street_admin")
    _user_page(page, world, "clerk2")
    page.get_by_role("button", name="停用该用户").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已停用")
    url = f"{world.server.url}/api/v1/auth/login"
    body = {"username": world.user("clerk2"), "password": PASSWORD}
    assert httpx.post(url, json=body).status_code == 401
    page.get_by_role("button", name="重新启用").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("启用")
    assert httpx.post(url, json=body).status_code == 200


def test_a_district_admin_manages_the_subtree_and_a_street_admin_only_its_own(
    page: Page, world: World
) -> None:
    login(page, world, "admin")  # 政务公开办 qu, over zhz
    page.goto("/admin/users")
    for short in ("clerk", "approver", "district", "calendar"):
        expect(page.locator(f"tr[data-user='{world.user(short)}']")).to_be_visible()
    expect(page.locator(f"tr[data-user='{world.user('stranger')}']")).to_have_count(0)
    expect(page.get_by_label("机关").locator("option")).to_have_count(2)

    page.context.clear_cookies()
    login(page, world, "street_admin")
    page.goto("/admin/users")
    expect(page.locator(f"tr[data-user='{world.user('clerk')}']")).to_be_visible()
    expect(page.locator(f"tr[data-user='{world.user('district')}']")).to_have_count(0)
    district_id = _user_id(world, "district")
    answer = page.goto(f"/admin/users/{district_id}")
    assert answer is not None and answer.status == 404


def test_a_clerk_is_refused_on_the_admin_pages(page: Page, world: World) -> None:
    login(page, world, "clerk")
    expect(page.get_by_role("navigation", name="主导航")).not_to_contain_text("管理")
    for path in ADMIN_PAGES:
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, (path, answer and answer.status)
        expect(page.locator("main")).to_contain_text("管理员")


def _user_id(world: World, short: str) -> int:
    with unit_of_work(world.server.engine) as s:
        user = directory.user_by_name(s, world.user(short))
        assert user.id is not None
        return user.id
