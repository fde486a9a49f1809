"""通知 (the inbox) in a real browser: newest first, unread marked, each linking to its case;
marking one or all read lowers the header's unread count; the unread filter. The
notifications are raised through the API (the district office's 督办 of two cases)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.api.conftest import World
from tests.api.web.conftest import login


def _two_notifications(world: World) -> list[dict[str, Any]]:
    """Two cases, each supervised by the district: the clerk's inbox gets two entries, the
    second case's newest."""
    clerk, district = world.login("clerk"), world.login("district")
    cases = [world.register(clerk, request=f"第{n}件申请") for n in (1, 2)]
    for n, case in enumerate(cases, 1):
        made = district.post(f"/api/v1/cases/{case['id']}/supervisions", json={"note": f"意见{n}"})
        assert made.status_code == 201, made.text
    return cases


def _count(page: Page) -> Locator:
    return page.locator("header nav a[href='/notifications'] .count")


def _items(page: Page) -> Locator:
    return page.locator("ul.inbox > li")


def test_the_inbox_lists_newest_first_unread_marked_with_links_to_the_cases(
    page: Page, world: World
) -> None:
    first, second = _two_notifications(world)
    login(page, world, "clerk")
    expect(_count(page)).to_have_text("2")
    page.get_by_role("link", name="通知").click()
    expect(page).to_have_url(f"{world.server.url}/notifications")
    items = _items(page)
    expect(items).to_have_count(2)
    for n, case in enumerate((second, first)):
        item = items.nth(n)
        expect(item).to_have_class("unread")
        expect(item.locator(".badge.state")).to_have_text("未读")
        expect(item.locator(".badge.kind")).to_have_text("督办")
        expect(item.get_by_role("link")).to_have_attribute("href", f"/cases/{case['id']}")
        expect(item.get_by_role("heading")).to_contain_text(case["ref"])
    items.nth(0).locator("summary").click()
    expect(items.nth(0).locator(".body")).to_contain_text("督办意见：意见2")


def test_marking_one_read_lowers_the_header_count(page: Page, world: World) -> None:
    _first, second = _two_notifications(world)
    login(page, world, "clerk")
    page.goto("/notifications")
    newest = page.locator("ul.inbox > li").nth(0)
    newest.get_by_role("button", name="标为已读").click()
    expect(_count(page)).to_have_text("1")
    expect(newest).not_to_have_class("unread")
    expect(newest.locator(".badge.state")).to_have_count(0)
    expect(_items(page).nth(1)).to_have_class("unread")
    unread = world.login("clerk").get("/api/v1/notifications").json()
    assert len(unread) == 1 and second["ref"] not in unread[0]["subject"]


def test_marking_all_read_clears_the_count_and_the_unread_view(page: Page, world: World) -> None:
    _two_notifications(world)
    login(page, world, "clerk")
    page.goto("/notifications?show=unread")
    expect(_items(page)).to_have_count(2)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("#inbox-empty")).to_have_text("没有未读通知。")
    expect(_count(page)).to_have_count(0)
    page.get_by_role("link", name="全部", exact=True).click()
    expect(_items(page)).to_have_count(2)
    expect(page.locator("ul.inbox > li.unread")).to_have_count(0)
    assert world.login("clerk").get("/api/v1/notifications").json() == []


def test_another_users_notification_cannot_be_marked(page: Page, world: World) -> None:
    _two_notifications(world)
    theirs = world.login("clerk").get("/api/v1/notifications").json()[0]["id"]
    login(page, world, "auditor")  # sees the agency, but the notification is the clerk's
    answer = page.request.post(f"/notifications/{theirs}/read",
                               headers={"X-CSRF-Token": _csrf(page)})  # fmt: skip
    assert answer.status == 404
    assert len(world.login("clerk").get("/api/v1/notifications").json()) == 2


def _csrf(page: Page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies["casework_csrf"]
