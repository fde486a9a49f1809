"""工作台 (the work queue) in a real browser: urgency order with the countdown badges, filters
as URLs, search, paging, the figures at the top, masking, and one agency's cases only. The
cases are set up through the API; the server's today is Thursday 2026-11-26."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.api.conftest import World
from tests.api.web.conftest import login
from workflows.outcomes import ANSWERED_OUTCOMES, ApplicantKind
from workflows.states import State

REPLY = sorted(ANSWERED_OUTCOMES)[0]  # any reply on the information
# received (in person) → the reply's due day, 20 working days on, from 2026-11-26:
OVERDUE = "2026-10-09"  # due 11-05: 15 working days late
DUE_TODAY = "2026-10-29"  # due 11-26 (Thursday)
NEXT_DAY = "2026-10-30"  # due 11-27: 1 working day left
IN_FOUR = "2026-11-04"  # due 12-02: 4 working days left
LATER = "2026-11-20"  # due 12-18: 16 working days left


def register(world: World, client: httpx.Client, ref: str, received: str,
             **extra: Any) -> dict[str, Any]:  # fmt: skip
    return world.register(client, ref=ref, submitted_on=received,
                          request=extra.pop("request", f"申请公开{ref}相关文件"), **extra)  # fmt: skip


def act(client: httpx.Client, case: dict[str, Any], action: str, body: dict[str, Any],
        on: str | None = None) -> dict[str, Any]:  # fmt: skip
    answer = client.post(
        f"/api/v1/cases/{case['id']}/actions/{action}",
        json=body,
        params={"on": on} if on else None,
        headers={"If-Match": f'"{case["version"]}"'},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def refs(page: Page) -> list[str]:
    found = page.locator("table.queue tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.ref)"
    )
    return [str(ref) for ref in found]


def expect_refs(page: Page, expected: list[str]) -> None:
    """The list shows these cases in this order (waiting for a swap in flight to land)."""
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(len(expected))
    for n, ref in enumerate(expected):
        expect(rows.nth(n)).to_have_attribute("data-ref", ref)


def row(page: Page, ref: str) -> Locator:
    return page.locator(f'table.queue tbody tr[data-ref="{ref}"]')


def test_open_cases_come_most_urgent_first_with_coloured_countdowns(
    page: Page, world: World
) -> None:
    clerk = world.login("clerk")
    for ref, received in [("LATER", LATER), ("SOON", NEXT_DAY), ("OVERDUE", OVERDUE),
                          ("FOUR", IN_FOUR), ("TODAY", DUE_TODAY)]:  # fmt: skip
        register(world, clerk, ref, received)
    done = register(world, clerk, "DONE", IN_FOUR)
    act(clerk, done, "reply", {"outcome": REPLY})
    login(page, world, "clerk")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect_refs(page, ["OVERDUE", "TODAY", "SOON", "FOUR", "LATER"])  # the replied one is gone
    expected = {
        "OVERDUE": ("overdue", "逾期 15 个工作日"),
        "TODAY": ("due-soon", "今日到期"),
        "SOON": ("due-soon", "剩 1 个工作日"),
        "FOUR": ("due-week", "剩 4 个工作日"),
        "LATER": (None, "剩 16 个工作日"),
    }
    for ref, (tone, text) in expected.items():
        badge = row(page, ref).locator(".badge")
        expect(badge).to_have_text(text)
        for other in ("overdue", "due-soon", "due-week"):
            if other == tone:
                expect(badge).to_have_class(re.compile(rf"\b{other}\b"))
            else:
                expect(badge).not_to_have_class(re.compile(rf"\b{other}\b"))
    # the colours come from the stylesheet: red for overdue, orange, yellow
    colours = {ref: row(page, ref).locator(".badge").evaluate(
        "b => getComputedStyle(b).backgroundColor") for ref in expected}  # fmt: skip
    assert colours["OVERDUE"] == "rgb(253, 232, 231)"
    assert colours["SOON"] == colours["TODAY"] == "rgb(255, 227, 199)"
    assert colours["FOUR"] == "rgb(255, 244, 191)"
    first = row(page, "OVERDUE")
    expect(first.locator("td").nth(0)).to_contain_text("答复期限 2026-11-05（四）")
    expect(first.get_by_role("link", name="OVERDUE")).to_have_attribute(
        "href", re.compile(r"^/cases/\d+$")
    )
    expect(first.locator("td").nth(2)).to_have_text("2026-10-09（五）")
    expect(first.locator("td").nth(3)).to_contain_text("张三")  # the clerk sees the name
    expect(first.locator("td").nth(4)).to_have_text(State.RECEIVED.label)
    expect(first.locator("td").nth(6)).to_have_text("申请公开OVERDUE相关文件")


def test_a_provisional_due_date_is_marked(page: Page, world: World) -> None:
    clerk, approver = world.login("clerk"), world.login("approver")
    case = register(world, clerk, "PROV", "2026-11-25")
    case = act(approver, case, "extend", {"days_wd": 20, "reason": "需调取档案"})
    reply = next(d for d in case["deadlines"] if d["clock"] == "reply" and d["current"])
    assert reply["due"].startswith("2027-") and reply["provisional"], reply
    login(page, world, "clerk")
    badge = row(page, "PROV").locator(".badge")
    expect(badge).to_have_class(re.compile(r"\bprovisional\b"))
    expect(badge).to_contain_text("※")
    expect(badge).to_have_attribute("title", re.compile("暂定"))


def test_a_long_request_is_shortened_in_the_list(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    text = "申请公开" + "某路段改造工程的环境影响评价报告及其批复文件" * 6
    register(world, clerk, "LONG", LATER, request=text)
    login(page, world, "clerk")
    cell = row(page, "LONG").locator("td.request")
    shown = cell.inner_text()
    assert shown.endswith("…") and len(shown) == 60 and text.startswith(shown[:-1])
    expect(cell).to_have_attribute("title", text)


def _filter_world(world: World) -> dict[str, dict[str, Any]]:
    clerk, approver = world.login("clerk"), world.login("approver")
    made = {
        "LATE": register(world, clerk, "LATE", OVERDUE),
        "WEEK": register(world, clerk, "WEEK", NEXT_DAY),
        "FIRM": register(world, clerk, "FIRM", LATER, applicant={
            "kind": ApplicantKind.COMMERCIAL_ENTERPRISE.value, "name": "某某建设有限公司"}),
        "FIX": register(world, clerk, "FIX", LATER, request="申请公开某小区规划许可证"),
        "PLAIN": register(world, clerk, "PLAIN", IN_FOUR),
    }  # fmt: skip
    act(clerk, made["FIX"], "request_correction", {"items": ["请明确小区名称"]})
    made["PLAIN"] = act(approver, made["PLAIN"], "assign", {"handler": world.user("clerk2")})
    return made


def test_the_state_filter_narrows_the_list_and_keeps_its_value(page: Page, world: World) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    expect(page.locator("table.queue tbody tr")).to_have_count(5)
    page.get_by_label("状态").select_option(State.CORRECTION_REQUESTED.value)
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"\?state=correction_requested$"))
    expect_refs(page, ["FIX"])
    expect(row(page, "FIX").locator("td").nth(4)).to_have_text(State.CORRECTION_REQUESTED.label)
    expect(page.get_by_label("状态")).to_have_value(State.CORRECTION_REQUESTED.value)
    page.get_by_role("link", name="清除筛选").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(5)


def test_the_overdue_and_due_this_week_filters(page: Page, world: World) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    page.get_by_label("期限").select_option("overdue")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"\?due=overdue$"))
    expect_refs(page, ["LATE"])
    page.get_by_label("期限").select_option("week")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"\?due=week$"))
    expect_refs(page, ["WEEK"])  # due Friday 11-27; PLAIN's 12-02 is next week


def test_the_applicant_kind_filter(page: Page, world: World) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    page.get_by_label("申请人类型").select_option(ApplicantKind.COMMERCIAL_ENTERPRISE.value)
    page.get_by_role("button", name="筛选").click()
    expect_refs(page, ["FIRM"])
    expect(row(page, "FIRM").locator("td").nth(3)).to_contain_text(
        ApplicantKind.COMMERCIAL_ENTERPRISE.label
    )


def test_the_handler_filter(page: Page, world: World) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    expect(row(page, "PLAIN").locator("td").nth(5)).to_have_text("刘经办")
    expect(row(page, "LATE").locator("td").nth(5)).to_have_text("未分配")
    page.get_by_label("经办人").select_option(label="刘经办")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(rf"\?handler={world.user('clerk2')}$"))
    expect_refs(page, ["PLAIN"])


def test_search_finds_the_request_text_the_applicant_and_the_case_number(
    page: Page, world: World
) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    for needle, expected in [("规划许可", ["FIX"]), ("建设有限", ["FIRM"]), ("WEEK", ["WEEK"])]:
        page.get_by_label("查找").fill(needle)
        page.get_by_label("查找").press("Enter")
        expect(page.get_by_label("查找")).to_have_value(needle)
        expect_refs(page, expected)
    page.get_by_label("查找").fill("没有这样的申请")
    page.get_by_label("查找").press("Enter")
    expect(page.locator("#queue-empty")).to_have_text("没有符合筛选条件的办理中案件。")


def test_a_filtered_view_is_a_bookmarkable_url(page: Page, world: World) -> None:
    _filter_world(world)
    login(page, world, "clerk")
    kind = ApplicantKind.NATURAL_PERSON.value
    page.goto(f"/?due=overdue&kind={kind}&q=LATE")
    expect(page.get_by_label("期限")).to_have_value("overdue")
    expect(page.get_by_label("申请人类型")).to_have_value(kind)
    expect(page.get_by_label("查找")).to_have_value("LATE")
    expect_refs(page, ["LATE"])


def test_paging_keeps_the_filters(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    for n in range(22):
        register(world, clerk, f"P{n:02d}", f"2026-11-{n % 20 + 2:02d}")
    register(world, clerk, "ODD", LATER, applicant={
        "kind": ApplicantKind.OTHER_ORG.value, "name": "某协会"})  # fmt: skip
    login(page, world, "clerk")
    page.goto(f"/?kind={ApplicantKind.NATURAL_PERSON.value}")
    expect(page.locator("#queue-total")).to_contain_text("共 22 件")
    first = refs(page)
    assert len(first) == 20
    expect(page.locator(".pager")).to_contain_text("第 1 / 2 页")
    page.get_by_role("link", name="下一页").click()
    expect(page.locator(".pager")).to_contain_text("第 2 / 2 页")
    expect(page).to_have_url(re.compile(r"kind=natural_person&page=2$"))
    second = refs(page)
    assert len(second) == 2 and not set(first) & set(second)
    assert "ODD" not in first + second
    page.get_by_role("link", name="上一页").click()
    expect(page.locator(".pager")).to_contain_text("第 1 / 2 页")
    expect_refs(page, first)


def test_the_figures_at_the_top(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    register(world, clerk, "OVERDUE", OVERDUE)
    register(world, clerk, "TODAY", DUE_TODAY)  # this week
    register(world, clerk, "SOON", NEXT_DAY)  # this week
    register(world, clerk, "LATER", LATER)
    paused = register(world, clerk, "PAUSED", IN_FOUR)
    act(clerk, paused, "request_correction", {"items": ["请明确文件名称"]})
    on_time = register(world, clerk, "ONTIME", "2026-11-02")  # due 11-30
    act(clerk, on_time, "reply", {"outcome": REPLY}, on="2026-11-10")
    late = register(world, clerk, "REPLATE", OVERDUE)  # due 11-05, replied today
    act(clerk, late, "reply", {"outcome": REPLY})
    withdrawn = register(world, clerk, "WITHDRAWN", "2026-11-02")
    act(clerk, withdrawn, "withdraw", {}, on="2026-11-05")
    register(world, world.login("stranger"), "ELSEWHERE", OVERDUE, agency="other")
    login(page, world, "clerk")
    expect(page.locator("#count-open strong")).to_have_text("5")
    expect(page.locator("#count-week strong")).to_have_text("2")
    expect(page.locator("#count-overdue strong")).to_have_text("1")
    expect(page.locator("#count-concluded strong")).to_have_text("3")
    expect(page.locator("#count-on-time strong")).to_have_text("50.0%")
    expect(page.locator("#count-on-time small")).to_have_text("1 / 2 件")
    page.locator("#count-week").click()  # a figure opens its list
    expect(page).to_have_url(re.compile(r"/\?due=week$"))
    expect_refs(page, ["TODAY", "SOON"])


def test_no_reply_this_year_shows_no_rate(page: Page, world: World) -> None:
    register(world, world.login("clerk"), "OPEN", LATER)
    login(page, world, "clerk")
    expect(page.locator("#count-on-time strong")).to_have_text("—")
    expect(page.locator("#count-concluded strong")).to_have_text("0")


def test_an_empty_queue_says_so(page: Page, world: World) -> None:
    login(page, world, "clerk")
    expect(page.locator("#queue-empty")).to_have_text("目前没有办理中的案件。")
    expect(page.locator("table.queue")).to_have_count(0)
    expect(page.locator("#count-open strong")).to_have_text("0")


def test_a_district_user_sees_the_own_office_queue_not_the_street_office(
    page: Page, world: World
) -> None:
    register(world, world.login("clerk"), "STREET", OVERDUE)
    login(page, world, "district")
    expect(page.locator("#queue-empty")).to_have_text("目前没有办理中的案件。")
    expect(page.locator("#count-overdue strong")).to_have_text("0")


def test_a_clerk_sees_only_the_own_agency_cases(page: Page, world: World) -> None:
    register(world, world.login("clerk"), "MINE", LATER)
    register(world, world.login("stranger"), "THEIRS", LATER, agency="other")
    login(page, world, "clerk")
    expect_refs(page, ["MINE"])
    page.goto("/?q=THEIRS")
    expect(page.locator("#queue-empty")).to_be_visible()
    login(page, world, "stranger")
    expect_refs(page, ["THEIRS"])


def test_an_auditor_sees_the_applicant_masked_and_cannot_search_by_name(
    page: Page, world: World
) -> None:
    register(world, world.login("clerk"), "MASKED", LATER)
    login(page, world, "auditor")
    expect(row(page, "MASKED").locator("td").nth(3)).to_contain_text("张*")
    expect(row(page, "MASKED").locator("td").nth(3)).not_to_contain_text("张三")
    page.goto("/?q=张三")
    expect(page.locator("#queue-empty")).to_be_visible()
