"""政务公开办 (district office) in a real browser: the sub-agencies' overdue and due-soon cases,
masked, and no other district's; 404 for a plain clerk; 督办 recorded once and told to the
agency; the year's roll-up equal to the API's. Cases are set up through the API; the server's
today is Thursday 2026-11-26."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.api.conftest import World, make_world
from tests.api.web.conftest import VIEWPORT, login
from workflows.outcomes import ANSWERED_OUTCOMES

OVERDUE = "2026-10-09"  # received in person: reply due 11-05, 15 working days late
DUE_TODAY = "2026-10-29"  # due 11-26: today
LATER = "2026-11-20"  # due 12-18: not yet worth watching
ID_NUMBER, PHONE = "110101199003070011", "13800000000"  # tests/api/conftest.py World.register
NOTE = "该件已逾期，请于本周内答复并报送办理情况"


def _case(world: World, client: httpx.Client, received: str, agency: str = "zhz") -> dict[str, Any]:
    return world.register(client, agency=agency, submitted_on=received)


def _case_ids(page: Page) -> set[int]:
    found = page.locator("table.district-cases tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.case))"
    )
    return {int(i) for i in found}


def test_the_district_sees_its_sub_agencies_cases_masked_and_no_one_elses(
    page: Page, world: World
) -> None:
    clerk = world.login("clerk")
    late, soon = _case(world, clerk, OVERDUE), _case(world, clerk, DUE_TODAY)
    _case(world, clerk, LATER)
    elsewhere = _case(world, world.login("stranger"), OVERDUE, agency="other")
    neighbour = make_world(world.server)  # another district's street office
    theirs = _case(neighbour, neighbour.login("clerk"), OVERDUE)
    login(page, world, "district")
    page.get_by_role("link", name="督办").click()
    expect(page.get_by_role("heading", name="督办", exact=True)).to_be_visible()
    expect(page.locator("table.district-cases tbody tr")).to_have_count(2)
    assert _case_ids(page) == {late["id"], soon["id"]}
    assert not {elsewhere["id"], theirs["id"]} & _case_ids(page)
    counts = page.locator(f"table.agency-counts tr[data-agency='{world.code('zhz')}']")
    expect(counts.locator(".overdue-count")).to_have_text("1")
    expect(counts.locator(".soon-count")).to_have_text("1")
    first = page.locator("table.district-cases tbody tr").nth(0)  # the most urgent first
    expect(first).to_have_attribute("data-case", str(late["id"]))
    expect(first.locator(".badge")).to_have_text("逾期 15 个工作日")
    expect(first.locator("td").nth(4)).to_have_text("张*")
    html = page.content()
    for secret in ("张三", ID_NUMBER, PHONE):
        assert secret not in html, secret
    page.get_by_label("期限").select_option("overdue")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.district-cases tbody tr")).to_have_count(1)
    assert _case_ids(page) == {late["id"]}


def test_a_plain_clerk_gets_404_for_the_district_pages(page: Page, world: World) -> None:
    login(page, world, "clerk")
    expect(page.locator("header nav").get_by_role("link", name="督办")).to_have_count(0)
    for path in ("/district", "/district/report"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")


def test_supervising_records_once_and_tells_the_agency(
    page: Page, world: World, browser: Browser
) -> None:
    case = _case(world, world.login("clerk"), OVERDUE)
    login(page, world, "district")
    page.goto("/district")
    page.get_by_role("link", name=f"督办 {case['ref']}").click()
    expect(page.get_by_role("heading", name=f"督办 {case['ref']}")).to_be_visible()
    page.get_by_label("督办意见").fill(NOTE)
    page.get_by_label("要求办理日期").fill("2026-12-01")
    page.get_by_role("button", name="督办", exact=True).click()
    expect(page.locator("#supervise-result")).to_have_text(
        "已督办，已通知某街道办事处经办人、负责人 3 人。"  # clerk, clerk2, approver
    )
    expect(page.locator(".supervision-list li")).to_have_count(1)
    expect(page.locator(".supervision-list li").first).to_contain_text(NOTE)
    # the same again (a second click, a resubmitted form): recorded and told once
    page.get_by_label("督办意见").fill(NOTE)
    page.get_by_label("要求办理日期").fill("2026-12-01")
    page.get_by_role("button", name="督办", exact=True).click()
    expect(page.locator("#supervise-result")).to_have_text("今天已有相同的督办记录，未重复通知。")
    expect(page.locator(".supervision-list li")).to_have_count(1)
    listed = world.login("clerk").get(f"/api/v1/cases/{case['id']}/supervisions").json()
    assert [(s["note"], s["due_by"]) for s in listed] == [(NOTE, "2026-12-01")]
    page.goto("/district")
    expect(page.locator(f"tr[data-case='{case['id']}'] .told")).to_contain_text("已督办 1 次")

    clerks = browser.new_context(base_url=world.server.url, viewport=VIEWPORT)
    clerk_page = clerks.new_page()
    login(clerk_page, world, "clerk")
    expect(clerk_page.locator("header nav a[href='/notifications'] .count")).to_have_text("1")
    clerk_page.goto("/notifications")
    item = clerk_page.locator("ul.inbox > li")
    expect(item).to_have_count(1)
    expect(item.get_by_role("heading")).to_contain_text(f"{case['ref']} 某区政务公开办督办")
    clerk_page.goto(f"/cases/{case['id']}")  # the case page lists it, with no 督办 button
    panel = clerk_page.locator("section.supervisions")
    expect(panel.get_by_role("heading")).to_have_text("督办记录（1）")
    expect(panel).to_contain_text(NOTE)
    expect(panel.get_by_role("link", name="督办")).to_have_count(0)
    clerks.close()


def test_the_supervise_form_shows_its_errors_beside_the_fields(page: Page, world: World) -> None:
    case = _case(world, world.login("clerk"), OVERDUE)
    login(page, world, "district")
    page.goto(f"/district/cases/{case['id']}/supervise")
    page.get_by_label("要求办理日期").fill("2026-11-20")
    with page.expect_response(f"**/district/cases/{case['id']}/supervise") as answer:
        page.get_by_role("button", name="督办", exact=True).click()
    assert answer.value.status == 422
    expect(page.locator("#e-note")).to_have_text("请填写督办意见")
    expect(page.get_by_label("督办意见")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("督办意见").fill(NOTE)
    page.get_by_role("button", name="督办", exact=True).click()
    expect(page.locator("#e-due_by")).to_have_text("要求办理日期不能早于今天")
    expect(page.get_by_label("督办意见")).to_have_value(NOTE)
    assert world.login("district").get(f"/api/v1/cases/{case['id']}/supervisions").json() == []


def test_the_rollup_shows_the_apis_numbers(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    for received in (OVERDUE, DUE_TODAY, LATER):
        _case(world, clerk, received)
    replied = _case(world, clerk, "2026-11-02")
    answer = clerk.post(f"/api/v1/cases/{replied['id']}/actions/reply",
                        json={"outcome": sorted(ANSWERED_OUTCOMES)[0]},
                        headers={"If-Match": f'"{replied["version"]}"'})  # fmt: skip
    assert answer.status_code == 200, answer.text
    expected = (
        world.login("district")
        .get("/api/v1/reports/2026/rollup", params={"agency": world.code("qu")})
        .json()
    )
    login(page, world, "district")
    page.goto("/district")
    page.get_by_role("link", name="年度报告汇总").click()
    page.get_by_label("年度", exact=True).select_option("2026")
    page.get_by_role("button", name="查看").click()
    expect(
        page.get_by_role("heading", name="2026 年度政府信息公开申请办理情况（总计列）")
    ).to_be_visible()
    rows = [(r["agency"], r) for r in expected["agencies"]] + [("total", expected["total"])]
    assert [a for a, _ in rows] == [world.code("qu"), world.code("zhz"), "total"]
    for code, figures in rows:
        row = page.locator(f"table.rollup tr[data-agency='{code}']")
        for key in ("new", "carried_in", "concluded_total", "carried_out"):
            expect(row.locator(f"[data-key='{key}']")).to_have_text(str(figures[key]))
        for group, n in figures["outcome_groups"].items():
            expect(row.locator(f"[data-key='{group}']")).to_have_text(str(n))
        if code != "total":
            expect(row.locator("[data-key='status']")).to_contain_text(figures["status_label"])
    assert expected["total"]["new"] == 4 and expected["total"]["concluded_total"] == 1
