"""The issue's flow on the case page, in a real browser against a real server: registered (via
the API) → request correction → correction received → extension by an approver (a second
browser context) → reply, partially disclosed, from the outcome picker, with its notice
previewed then issued → delivered. After each step: the state, the new timeline entry, and the
deadlines shown — the due dates computed with the agency's working-day calendar, and equal to
the API's."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from api.web.templating import day
from casework.db import unit_of_work
from casework.ledger.vocabulary import LABELS
from casework.notices.kinds import NoticeKind
from casework.services.calendars import calendar_for
from casework.services.directory import agency_by_code
from casework.workdays import WorkingCalendar
from tests.api.conftest import World
from tests.api.web.conftest import VIEWPORT, login
from workflows.actions import action_spec
from workflows.clocks import Clock
from workflows.outcomes import GROUP_LABELS, OUTCOMES, OutcomeGroup
from workflows.states import State

PARTLY = next(o for o in OUTCOMES if o.group is OutcomeGroup.PARTIALLY_DISCLOSED)


def calendar(world: World) -> WorkingCalendar:
    with unit_of_work(world.server.engine) as s:
        return calendar_for(s, agency_by_code(s, world.code("zhz")).id)


def api_due(client: httpx.Client, case_id: int, clock: Clock) -> dict[str, Any]:
    detail = client.get(f"/api/v1/cases/{case_id}").json()
    return next(d for d in detail["deadlines"] if d["clock"] == clock.value and d["current"])


def act(page: Page, action: str, on: date, **fields: str) -> None:
    """Open an action's form, fill it (labels as shown), date it, submit it."""
    form = page.locator(f"#act-{action}")
    form.locator("summary").click()
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("生效日期").fill(on.isoformat())
    form.get_by_role("button", name=action_spec(action).label).click()
    expect(page.locator("#done")).to_have_text(f"已办理：{action_spec(action).label}")


def expect_step(page: Page, seq: int, action: str, on: date, state: State) -> None:
    expect(page.locator("#case-state")).to_have_text(state.label)
    entry = page.locator(f"#timeline li[data-seq='{seq}']")
    expect(entry.locator(".label")).to_have_text(action_spec(action).label)
    expect(entry.locator(".on")).to_have_text(day(on))
    expect(page.locator("#timeline li")).to_have_count(seq)


def reply_deadline(page: Page) -> Any:
    return page.locator("#deadlines li[data-clock='reply'][data-current]")


def test_register_correct_extend_reply_with_its_notice_and_deliver(
    page: Page, browser: Browser, world: World
) -> None:
    clerk_api = world.login("clerk")
    case = world.register(clerk_api)  # received in person on Fri 2026-11-20
    case_id = case["id"]
    cal = calendar(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case_id}")
    expect_step(page, 1, "register", date(2026, 11, 20), State.RECEIVED)
    expect(reply_deadline(page).locator(".due")).to_have_text(day(cal.add(date(2026, 11, 20), 20)))

    # 1. the correction notice: the reply clock stops, the applicant's period starts
    asked = date(2026, 11, 23)
    act(page, "request_correction", asked, **{"补正期限（工作日）": "10",
                                               "补正事项": "请写明文件名称\n请写明年份"})  # fmt: skip
    expect_step(page, 2, "request_correction", asked, State.CORRECTION_REQUESTED)
    expect(reply_deadline(page).locator(".due")).to_have_text("暂停计时")
    period = page.locator("#deadlines li[data-clock='correction'][data-current]")
    correction_due = cal.add(asked, 10)
    assert api_due(clerk_api, case_id, Clock.CORRECTION)["due"] == correction_due.isoformat()
    expect(period.locator(".due")).to_have_text(day(correction_due))
    expect(page.locator("#timeline li[data-seq='2'] .fields")).to_contain_text("请写明年份")

    # 2. the corrected application: the reply period restarts from its date (Art. 30)
    corrected = date(2026, 11, 24)
    act(page, "receive_correction", corrected)
    expect_step(page, 3, "receive_correction", corrected, State.RECEIVED)
    restarted = cal.add(corrected, 20)
    assert api_due(clerk_api, case_id, Clock.REPLY)["due"] == restarted.isoformat()
    expect(reply_deadline(page).locator(".due")).to_have_text(day(restarted))
    expect(page.locator("#act-extend")).to_have_count(0)  # an approver's, not a clerk's

    # 3. the extension, by an approver in a browser of their own
    approver = browser.new_context(base_url=world.server.url, viewport=VIEWPORT,
                                   locale="zh-CN", timezone_id="Asia/Shanghai")  # fmt: skip
    try:
        other = approver.new_page()
        login(other, world, "approver")
        other.goto(f"/cases/{case_id}")
        extended_on = date(2026, 11, 25)
        act(other, "extend", extended_on, **{"延长的工作日数": "10", "延期理由": "需调取档案"})
        expect_step(other, 4, "extend", extended_on, State.RECEIVED)
        expect(other.locator("#act-extend")).to_have_count(0)  # once per case
    finally:
        approver.close()
    page.reload()
    expect_step(page, 4, "extend", extended_on, State.RECEIVED)
    extended = cal.add(corrected, 30)
    shown = api_due(clerk_api, case_id, Clock.REPLY)
    assert shown["due"] == extended.isoformat() and shown["provisional"] == cal.is_provisional(
        extended
    )
    due = reply_deadline(page).locator(".due")
    expect(due).to_contain_text(day(extended))
    expect(due.locator(".provisional-mark")).to_have_count(1 if shown["provisional"] else 0)
    reply_deadline(page).locator(".derivation summary").click()
    expect(reply_deadline(page).locator(".derivation li")).to_have_text(shown["derivation"])

    # 4. the reply, partially disclosed, chosen from the picker grouped like the report rows
    replied = date(2026, 11, 26)
    form = page.locator("#act-reply")
    form.locator("summary").click()
    picker = form.get_by_label("办理结果")
    groups = picker.locator("optgroup").evaluate_all("nodes => nodes.map(g => g.label)")
    assert groups == [GROUP_LABELS[g] for g in OutcomeGroup if g is not OutcomeGroup.OTHER]
    group = picker.locator(f"optgroup[label='{GROUP_LABELS[OutcomeGroup.PARTIALLY_DISCLOSED]}']")
    expect(group.locator("option")).to_have_text([PARTLY.label])
    picker.select_option(PARTLY.code)
    expect(form.get_by_label("法律依据")).to_have_attribute("placeholder", f"默认：{PARTLY.basis}")
    form.get_by_label("法律依据").fill(PARTLY.basis)
    form.get_by_label("提供政府信息的方式").fill("纸质")
    form.get_by_label("生效日期").fill(replied.isoformat())
    form.get_by_role("button", name=action_spec("reply").label).click()
    expect(page.locator("#done")).to_have_text(f"已办理：{action_spec('reply').label}")
    expect_step(page, 5, "reply", replied, State.DISCLOSED)
    expect(page.locator("#case-outcome")).to_contain_text(PARTLY.full_label)
    expect(page.locator("#timeline li[data-seq='5'] .fields")).to_contain_text(PARTLY.full_label)
    expect(reply_deadline(page)).to_have_count(0)  # no clock runs any more
    met = page.locator("#deadlines li[data-clock='reply']").first
    expect(met.locator(".badge")).to_have_text("按期")

    # its notice: a draft first (no number taken), then issued and previewed
    offer = page.locator(f"details.offer[data-kind='{NoticeKind.REPLY.value}']")
    offer.get_by_label("答复的具体说明", exact=False).fill(
        "部分信息涉及第三方商业秘密，已作区分处理"
    )
    offer.get_by_role("button", name="预览草稿").click()
    draft = offer.frame_locator("iframe.notice-preview")
    expect(draft.locator("body")).to_contain_text("草稿预览")
    expect(draft.locator("body")).to_contain_text("已作区分处理")
    expect(page.locator("#no-notices")).to_be_visible()  # nothing issued yet
    offer.get_by_role("button", name="出具").click()
    issued = page.locator("#notices .issued > li")
    expect(issued).to_have_count(1)
    number = issued.locator(".number").inner_text()
    expect(page.locator("#done")).to_contain_text(number)
    expect(issued).to_contain_text("李经办")  # who issued it
    preview = issued.frame_locator("iframe.notice-preview")
    expect(preview.locator("body")).to_contain_text(number)
    expect(preview.locator("body")).to_contain_text("已作区分处理")
    listed = clerk_api.get(f"/api/v1/cases/{case_id}/notices").json()["issued"]
    assert [n["number"] for n in listed] == [number]

    # 5. delivered: the case is closed
    delivered = date(2026, 11, 26)
    form = page.locator("#act-deliver")
    form.locator("summary").click()
    form.get_by_label("送达方式").select_option(label=LABELS["deliver.method"]["post"])
    form.get_by_label("生效日期").fill(delivered.isoformat())
    form.get_by_role("button", name=action_spec("deliver").label).click()
    expect_step(page, 6, "deliver", delivered, State.CLOSED)
    expect(page.locator("#timeline li[data-seq='6'] .fields")).to_contain_text(
        LABELS["deliver.method"]["post"]
    )
    expect(page.locator("#case-outcome")).to_contain_text(PARTLY.full_label)
    expect(page.locator("#act-deliver")).to_have_count(0)
    # the whole page fits the laptop screen's width (no sideways scrolling)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
