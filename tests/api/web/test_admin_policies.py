"""管理 › 办理政策 in a real browser: a policy saved (and the open cases' reminders following),
and every field's problem shown beside it, in Chinese, with nothing saved."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import Session

from casework.services import directory
from tests.api.conftest import World
from tests.api.web.conftest import login


def _agency(world: World, short: str = "zhz"):  # type: ignore[no-untyped-def]
    with Session(world.server.engine) as s:
        return directory.agency_by_code(s, world.code(short))


def test_a_policy_change_is_saved_and_shown(page: Page, world: World) -> None:
    login(page, world, "street_admin")
    page.goto("/admin/policies")
    expect(page.locator("#f-remind_at")).to_have_value("09:00")
    page.locator("#f-remind_before_wd").fill("3，1")
    page.locator("#f-remind_at").fill("8:30")
    page.get_by_label("逾期后每个工作日提醒负责人").uncheck()
    page.get_by_label("答复须经负责人审核签发").check()
    page.locator("#f-post_grace_days").fill("3")
    page.locator("#f-short_name").fill("漳街")
    page.locator("#f-notice_number_pattern").fill("{简称}依申请〔{年}〕{号:3}号")
    page.get_by_role("button", name="保存政策").click()

    expect(page.get_by_role("status").filter(has_text="已保存")).to_contain_text("提醒时刻")
    page.goto("/admin/policies")  # as stored, normalised
    expect(page.locator("#f-remind_before_wd")).to_have_value("3,1")
    expect(page.locator("#f-remind_at")).to_have_value("08:30")
    expect(page.get_by_label("逾期后每个工作日提醒负责人")).not_to_be_checked()
    expect(page.locator("#h-notice_number_pattern")).to_contain_text("漳街依申请〔2026〕001号")
    agency = _agency(world)
    assert (agency.remind_before_wd, agency.remind_at, agency.escalate_overdue) == (
        "3,1",
        "08:30",
        False,
    )
    assert (agency.signoff_required, agency.post_grace_days, agency.short_name) == (True, 3, "漳街")


def test_a_bad_value_is_refused_beside_its_field_and_nothing_is_saved(
    page: Page, world: World
) -> None:
    login(page, world, "street_admin")
    page.goto("/admin/policies")
    page.locator("#f-remind_at").fill("25:00")
    page.locator("#f-remind_before_wd").fill("5,99")
    page.locator("#f-notice_number_pattern").fill("{简称}〔{年}〕")
    page.locator("#f-short_name").fill("漳街")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="保存政策").click()
    assert answer.value.status == 422
    expect(page.locator("#e-remind_at")).to_have_text(
        "提醒时刻应为“时:分”，例如“09:00”，而不是“25:00”"
    )
    expect(page.locator("#f-remind_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-remind_at")).to_have_value("25:00")  # as typed
    expect(page.locator("#e-remind_before_wd")).to_contain_text("1 至 60 个工作日")
    expect(page.locator("#e-notice_number_pattern")).to_contain_text("{号}")
    expect(page.locator("#e-short_name")).to_have_count(0)
    agency = _agency(world)
    assert (agency.remind_at, agency.remind_before_wd, agency.short_name) == ("09:00", "5,2", None)


def test_a_district_admin_sets_a_sub_agencys_policy(page: Page, world: World) -> None:
    login(page, world, "admin")
    page.goto(f"/admin/policies?agency={world.code('zhz')}")
    expect(page.get_by_label("机关", exact=True)).to_have_value(world.code("zhz"))
    page.locator("#f-report_due").fill("03-31")
    page.get_by_role("button", name="保存政策").click()
    expect(page.get_by_role("status").filter(has_text="已保存")).to_contain_text("年度报告截止日")
    assert _agency(world).report_due == "03-31"
    assert _agency(world, "qu").report_due is None
