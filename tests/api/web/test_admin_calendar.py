"""管理 › 工作日历 in a real browser: the year view (holidays, make-up days, overrides), an
override set with its source moving an open case's deadline, the banner from 1 November while
next year's notice is missing, and confirming a year (on a server of its own: it changes the
national calendar every other test counts with)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.conftest import Server, World, _database, make_world, running_server
from tests.api.web.conftest import VIEWPORT, login

BANNER = "尚未载入2027年节假日安排"


def _cell(page: Page, day: str):  # type: ignore[no-untyped-def]
    return page.locator(f"table.cal-month td[data-day='{day}']")


def test_the_2025_year_view_shows_the_national_day_holiday_and_its_make_up_days(
    page: Page, world: World
) -> None:
    login(page, world, "calendar")
    page.goto("/admin/calendar?year=2025")
    expect(page.get_by_role("heading", level=1)).to_have_text("2025年工作日历")
    expect(page.locator("#year-status")).to_contain_text("已公布")
    expect(page.locator("table.cal-month")).to_have_count(12)
    for made_up in ("2025-09-28", "2025-10-11"):  # a Sunday and a Saturday worked (调休)
        expect(_cell(page, made_up)).to_have_attribute("data-kind", "makeup")
        expect(_cell(page, made_up)).to_contain_text("上班")
    day = date(2025, 10, 1)
    while day <= date(2025, 10, 8):  # 国庆节、中秋节: eight days off, the weekend among them
        expect(_cell(page, day.isoformat())).to_have_attribute("data-kind", "holiday")
        day += timedelta(days=1)
    expect(_cell(page, "2025-10-09")).to_have_attribute("data-kind", "workday")
    expect(_cell(page, "2025-10-12")).to_have_attribute("data-kind", "weekend")
    listed = page.locator("table.cal-days tr[data-day='2025-09-28']")
    expect(listed).to_contain_text("上班")
    expect(listed).to_contain_text("调休上班")


def test_an_agency_override_is_shown_with_its_source_and_moves_an_open_case(
    page: Page, world: World
) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)  # received 2026-11-20: reply due 2026-12-18
    assert clerk.get(f"/api/v1/cases/{case['id']}").json()["deadlines"][0]["due"] == "2026-12-18"
    login(page, world, "street_admin")
    page.goto("/admin/calendar?year=2026")
    expect(page.locator(".cal-head")).to_contain_text("本机关调整")
    page.locator("#f-day").fill("2026-12-01")
    page.get_by_label("休息").check()
    page.locator("#f-source").fill("某区民族节日放假通知")
    page.get_by_role("button", name="保存调整").click()

    expect(page.get_by_role("status").filter(has_text="已将 2026-12-01 设为休息")).to_be_visible()
    expect(_cell(page, "2026-12-01")).to_have_attribute("data-kind", "override-off")
    listed = page.locator("table.cal-overrides tr[data-day='2026-12-01']")
    expect(listed).to_contain_text("某区民族节日放假通知")
    expect(listed).to_contain_text("本机关")
    expect(listed).to_contain_text(world.user("street_admin"))
    moved = page.locator(".cal-moved tr", has_text=case["ref"]).filter(has_text="答复期限")
    expect(moved).to_contain_text("2026-12-18（五）")
    expect(moved).to_contain_text("2026-12-21（一）")
    due = clerk.get(f"/api/v1/cases/{case['id']}").json()["deadlines"][0]["due"]
    assert due == "2026-12-21"


def test_an_override_without_a_real_source_is_refused_beside_the_field(
    page: Page, world: World
) -> None:
    login(page, world, "street_admin")
    page.goto("/admin/calendar?year=2026")
    page.locator("#f-day").fill("2026-12-02")
    page.get_by_label("上班").check()
    page.locator("#f-source").fill("   ")
    page.get_by_role("button", name="保存调整").click()
    expect(page.locator("#e-source")).to_have_text("须注明依据（如放假通知的文号或网址）")
    expect(page.locator("#f-source")).to_have_attribute("aria-invalid", "true")
    expect(_cell(page, "2026-12-02")).to_have_attribute("data-kind", "workday")


def test_the_banner_shows_for_the_calendar_admin_and_not_for_a_clerk(
    page: Page, world: World
) -> None:
    login(page, world, "calendar")
    page.goto("/password")  # any page: the banner sits under the header
    banner = page.get_by_role("region", name="日历提醒")
    expect(banner).to_contain_text(BANNER)
    banner.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2027年工作日历")
    expect(page.locator("#year-status")).to_contain_text("暂定")
    expect(page.get_by_role("region", name="日历提醒")).to_contain_text(BANNER)
    expect(page.get_by_role("button", name="确认已载入")).to_be_visible()

    page.context.clear_cookies()
    login(page, world, "clerk")
    page.goto("/password")
    expect(page.locator("main h1")).to_have_text("修改密码")
    expect(page.get_by_role("region", name="日历提醒")).to_have_count(0)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: confirming 2027 changes the national calendar."""
    tmp = tmp_path_factory.mktemp("calendar-confirm")
    with running_server(next(_database("sqlite", tmp)), tmp) as running:
        yield running


def test_confirming_next_years_notice_ends_the_banner(browser: Browser, own_server: Server) -> None:
    world = make_world(own_server)
    context = browser.new_context(base_url=own_server.url, viewport=VIEWPORT, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")  # fmt: skip
    try:
        page = context.new_page()
        login(page, world, "calendar")
        page.goto("/admin/calendar?year=2027")
        page.get_by_label("通知文号或网址").fill("国办发明电〔2026〕9号")
        page.get_by_role("button", name="确认已载入").click()
        expect(page.get_by_role("status").filter(has_text="已确认2027年放假安排")).to_be_visible()
        expect(page.locator("#year-status")).to_contain_text("国办发明电〔2026〕9号")
        expect(page.get_by_role("region", name="日历提醒")).to_have_count(0)
        expect(page.get_by_role("button", name="确认已载入")).to_have_count(0)
    finally:
        context.close()
