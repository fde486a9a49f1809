"""Where the agency requires sign-off (审核签发): the clerk submits a draft reply from the case
page, the approver signs it off from theirs (or sends it back); and the service date of a
correction notice is recorded from the page — each step as the API then reports it."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Browser, Page, expect

from casework.db import unit_of_work
from casework.services import agency_policy
from casework.services.directory import agency_by_code
from tests.api.conftest import World
from tests.api.web.conftest import VIEWPORT, login
from workflows.actions import action_spec
from workflows.outcomes import OUTCOMES, OutcomeGroup
from workflows.states import State

DISCLOSED = next(o for o in OUTCOMES if o.group is OutcomeGroup.DISCLOSED)


def require_signoff(world: World) -> None:
    with unit_of_work(world.server.engine) as s:
        agency = agency_by_code(s, world.code("zhz"))
        agency_policy.apply(s, agency, agency_policy.PolicyChange(signoff_required=True))


def submit(page: Page, action: str, on: date) -> None:
    form = page.locator(f"#act-{action}")
    form.get_by_label("生效日期").fill(on.isoformat())
    form.get_by_role("button", name=action_spec(action).label).click()
    expect(page.locator("#done")).to_have_text(f"已办理：{action_spec(action).label}")


def test_a_draft_reply_is_signed_off_by_the_approver(
    page: Page, browser: Browser, world: World
) -> None:
    require_signoff(world)
    clerk = world.login("clerk")
    case = world.register(clerk)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    expect(page.locator("#act-reply")).to_have_count(0)  # a reply needs the approver now
    form = page.locator("#act-draft_reply")
    form.locator("summary").click()
    form.get_by_label("办理结果").select_option(DISCLOSED.code)
    form.get_by_label("提供政府信息的方式").fill("电子文档")
    submit(page, "draft_reply", date(2026, 11, 26))
    expect(page.locator("#case-state")).to_have_text(State.RECEIVED.label)  # not yet replied
    expect(page.locator("#act-approve_reply")).to_have_count(0)  # the clerk may not sign

    approving = browser.new_context(base_url=world.server.url, viewport=VIEWPORT)
    try:
        other = approving.new_page()
        login(other, world, "approver")
        other.goto(f"/cases/{case['id']}")
        expect(other.locator("#act-reject_draft")).to_have_count(1)
        other.locator("#act-approve_reply summary").click()
        submit(other, "approve_reply", date(2026, 11, 26))
        expect(other.locator("#case-state")).to_have_text(State.DISCLOSED.label)
        expect(other.locator("#case-outcome")).to_contain_text(DISCLOSED.full_label)
    finally:
        approving.close()
    detail = clerk.get(f"/api/v1/cases/{case['id']}").json()
    assert detail["state"] == State.DISCLOSED.value
    assert [e["action"] for e in detail["events"]][-2:] == ["draft_reply", "approve_reply"]


def test_the_service_date_of_a_correction_notice_is_recorded(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    asked = clerk.post(f"/api/v1/cases/{case['id']}/actions/request_correction",
                       json={"period_wd": 15, "items": ["请说明所需信息的名称"]},
                       params={"on": "2026-11-23"},
                       headers={"If-Match": f'"{case["version"]}"'})  # fmt: skip
    assert asked.status_code == 200, asked.text
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    form = page.locator("#act-record_service")
    form.locator("summary").click()
    form.get_by_label("告知书").select_option("correction")
    form.get_by_label("实际送达之日").fill("2026-11-25")
    submit(page, "record_service", date(2026, 11, 25))
    entry = page.locator("#timeline li").last
    expect(entry.locator(".label")).to_have_text(action_spec("record_service").label)
    detail = clerk.get(f"/api/v1/cases/{case['id']}").json()
    assert detail["events"][-1]["action"] == "record_service"
    assert detail["events"][-1]["payload"]["served_on"] == "2026-11-25"


def test_the_approver_sends_a_draft_back_with_a_reason(
    page: Page, browser: Browser, world: World
) -> None:
    require_signoff(world)
    clerk = world.login("clerk")
    case = world.register(clerk)
    drafted = clerk.post(f"/api/v1/cases/{case['id']}/actions/draft_reply",
                         json={"outcome": DISCLOSED.code}, params={"on": "2026-11-26"},
                         headers={"If-Match": f'"{case["version"]}"'})  # fmt: skip
    assert drafted.status_code == 200, drafted.text
    login(page, world, "approver")
    page.goto(f"/cases/{case['id']}")
    form = page.locator("#act-reject_draft")
    form.locator("summary").click()
    form.get_by_label("退回理由").fill("请补充部分公开的区分处理说明")
    submit(page, "reject_draft", date(2026, 11, 26))
    expect(page.locator("#case-state")).to_have_text(State.RECEIVED.label)
    expect(page.locator("#act-approve_reply")).to_have_count(0)  # no draft is pending now
    events = clerk.get(f"/api/v1/cases/{case['id']}").json()["events"]
    assert events[-1]["action"] == "reject_draft"
