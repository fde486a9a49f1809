"""The case page in a real browser: what each role sees (the API's masking and its list of
allowed actions), a stale form (409), a refused one (422, beside the field, as typed), another
agency's case (404), attachments, notices and the case file."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import httpx
import pytest
from docx import Document
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import col, func, select

from api.web.templating import day
from casework.db import unit_of_work
from casework.masking import mask_name
from casework.models import Notice
from casework.notices.kinds import NoticeKind
from casework.services.directory import agency_by_code
from tests.api.conftest import Server, World, make_world
from tests.api.web.conftest import VIEWPORT, login
from workflows.actions import action_spec
from workflows.outcomes import OUTCOMES

RECEIPT = NoticeKind.RECEIPT.value


@pytest.fixture(scope="module")
def world(web_server: Server) -> World:
    """One set of agencies and users for this module (each test registers its own case): the
    users' password hashes are made once, not for every test."""
    return make_world(web_server)


def registered(world: World) -> tuple[httpx.Client, dict[str, Any]]:
    clerk = world.login("clerk")
    return clerk, world.register(clerk)


def second_context(browser: Browser, world: World) -> BrowserContext:
    made = browser.new_context(base_url=world.server.url, viewport=VIEWPORT, locale="zh-CN",
                               timezone_id="Asia/Shanghai")  # fmt: skip
    made.set_default_timeout(15_000)
    return made


def shown_actions(page: Page) -> list[str]:
    return [i.removeprefix("act-") for i in page.locator("#actions details.action").evaluate_all(
        "nodes => nodes.map(n => n.id)")]  # fmt: skip


def test_each_user_is_offered_exactly_the_actions_the_api_allows_them(
    page: Page, browser: Browser, world: World
) -> None:
    clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    allowed = [a["action"] for a in clerk.get(f"/api/v1/cases/{case['id']}/actions").json()]
    assert shown_actions(page) == allowed
    assert "extend" not in allowed
    approving = second_context(browser, world)
    try:
        other = approving.new_page()
        login(other, world, "approver")
        other.goto(f"/cases/{case['id']}")
        approver = world.login("approver")
        allowed = [a["action"] for a in approver.get(f"/api/v1/cases/{case['id']}/actions").json()]
        assert shown_actions(other) == allowed
        assert "extend" in allowed
        expect(other.locator("#act-extend summary")).to_have_text(action_spec("extend").label)
    finally:
        approving.close()


def test_a_fresh_form_is_dated_today(page: Page, world: World) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    form = page.locator("#act-request_correction")
    form.locator("summary").click()
    expect(form.get_by_label("生效日期")).to_have_value("2026-11-26")  # the server's today
    expect(form.get_by_label("补正告知书送达之日")).to_have_value("")  # defaults to the above


def test_a_stale_form_is_refused_with_409_and_a_reload(
    page: Page, browser: Browser, world: World
) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    colleague = second_context(browser, world)
    try:
        other = colleague.new_page()
        login(other, world, "clerk2")
        other.goto(f"/cases/{case['id']}")
        form = other.locator("#act-assign")
        form.locator("summary").click()
        form.get_by_label("承办人").fill(world.user("clerk2"))
        form.get_by_role("button", name=action_spec("assign").label).click()
        expect(other.locator("#done")).to_be_visible()
    finally:
        colleague.close()

    form = page.locator("#act-request_correction")  # still showing version 1
    form.locator("summary").click()
    with page.expect_response(f"**/cases/{case['id']}/actions/request_correction") as answer:
        form.get_by_role("button", name=action_spec("request_correction").label).click()
    assert answer.value.status == 409
    message = page.locator("#messages")
    expect(message).to_contain_text("此案件已被他人更新")
    expect(page.locator("#timeline li")).to_have_count(1)  # nothing changed here
    assert page.url.endswith(f"/cases/{case['id']}")
    message.get_by_role("button", name="重新载入").click()
    expect(page.locator("#timeline li")).to_have_count(2)
    expect(page.locator("#timeline li[data-seq='2'] .label")).to_have_text(
        action_spec("assign").label
    )
    expect(page.locator("#case-handler")).to_have_text("刘经办")


def test_a_refused_form_shows_why_beside_the_field_and_keeps_what_was_typed(
    page: Page, world: World
) -> None:
    _clerk, case = registered(world)
    login(page, world, "approver")
    page.goto(f"/cases/{case['id']}")
    form = page.locator("#act-extend")
    form.locator("summary").click()
    form.get_by_label("延长的工作日数").fill("30")
    form.get_by_label("延期理由").fill("需调取档案")
    with page.expect_response("**/actions/extend") as answer:
        form.get_by_role("button", name=action_spec("extend").label).click()
    assert answer.value.status == 422
    days = page.locator("#act-extend").get_by_label("延长的工作日数")
    expect(days).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-extend-days_wd")).to_have_text("须不大于 20")
    expect(days).to_have_value("30")
    expect(page.locator("#act-extend").get_by_label("延期理由")).to_have_value("需调取档案")
    expect(page.locator("#timeline li")).to_have_count(1)


def test_a_refusal_that_names_no_field_is_shown_on_the_form(page: Page, world: World) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    form = page.locator("#act-withdraw")
    form.locator("summary").click()
    form.get_by_label("撤回理由").fill("申请人来电撤回")
    form.get_by_label("生效日期").fill("2026-11-19")  # before the registration
    form.get_by_role("button", name=action_spec("withdraw").label).click()
    problem = page.locator("#g-withdraw")
    expect(problem).to_contain_text("早于本案上一操作的日期")
    expect(page.locator("#act-withdraw").get_by_label("撤回理由")).to_have_value("申请人来电撤回")


def test_another_agencys_clerk_gets_the_404_page(page: Page, world: World) -> None:
    _clerk, case = registered(world)
    login(page, world, "stranger")
    answer = page.goto(f"/cases/{case['id']}")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    assert "张三" not in page.content() and case["ref"] not in page.content()


def test_a_district_office_reads_the_case_masked_and_cannot_act(page: Page, world: World) -> None:
    clerk, case = registered(world)
    issued = clerk.post(f"/api/v1/cases/{case['id']}/notices", json={"kind": "receipt"}).json()
    login(page, world, "district")
    page.goto(f"/cases/{case['id']}")
    expect(page.locator("#case-applicant")).to_contain_text(mask_name("张三"))
    expect(page.locator("#read-only")).to_be_visible()
    content = page.content()
    assert "张三" not in content and "110101199003070011" not in content
    assert "13800000000" not in content
    expect(page.locator("main form")).to_have_count(0)  # no action, notice or upload form
    expect(page.locator("#case-file")).to_have_count(0)
    notice = page.locator(f"#notice-{issued['id']}")
    expect(notice.get_by_role("link", name="下载 DOCX")).to_have_count(0)
    notice.locator("summary").click()
    preview = notice.frame_locator("iframe.notice-preview").locator("body")
    expect(preview).to_contain_text(issued["number"])
    expect(preview).to_contain_text(f"{mask_name('张三')}：")


def test_an_auditor_reads_the_case_masked_and_cannot_act(page: Page, world: World) -> None:
    _clerk, case = registered(world)
    login(page, world, "auditor")
    page.goto(f"/cases/{case['id']}")
    expect(page.locator("#case-applicant")).to_contain_text(mask_name("张三"))
    assert "110101199003070011" not in page.content()
    expect(page.locator("#no-actions")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)


def test_the_deadlines_show_the_services_derivation(page: Page, world: World) -> None:
    clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    for deadline in clerk.get(f"/api/v1/cases/{case['id']}").json()["deadlines"]:
        shown = page.locator(f"#deadlines li[data-clock='{deadline['clock']}']")
        expect(shown.locator(".due")).to_have_text(day(date.fromisoformat(deadline["due"])))
        expect(shown.locator(".derivation li")).to_have_count(len(deadline["derivation"]))
        expect(shown.locator(".derivation li").first).not_to_be_visible()  # folded
        shown.locator(".derivation summary").click()
        expect(shown.locator(".derivation li")).to_have_text(deadline["derivation"])


def test_an_attachment_is_uploaded_downloaded_and_withdrawn(
    page: Page, context: BrowserContext, world: World, tmp_path: Any
) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    scan = tmp_path / "申请书.txt"
    scan.write_text("张三的申请：某项目环境影响评价报告", encoding="utf-8")
    upload = page.locator("#attachments details.upload")
    upload.locator("summary").click()
    upload.get_by_label("文件").set_input_files(scan)
    upload.get_by_label("类别").select_option("request_scan")
    upload.get_by_label("备注").fill("当面提交的纸质申请")
    upload.get_by_role("button", name="上传").click()
    expect(page.locator("#done")).to_have_text("已上传附件：申请书.txt")
    item = page.locator("#attachments .attachments > li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("当面提交的纸质申请")

    link = item.get_by_role("link", name="申请书.txt")
    with page.expect_download() as downloading:
        link.click()
    assert downloading.value.suggested_filename == "申请书.txt"
    assert downloading.value.path().read_text(encoding="utf-8") == scan.read_text("utf-8")
    fetched = context.request.get(link.get_attribute("href") or "")  # the session cookie only
    assert fetched.status == 200 and fetched.text() == scan.read_text("utf-8")

    item.locator("details.withdraw summary").click()
    item.get_by_label("撤回理由").fill("上传错误")
    item.get_by_role("button", name="撤回附件").click()
    expect(page.locator("#done")).to_have_text("已撤回附件：申请书.txt")
    expect(page.locator("#attachments .attachments > li.withdrawn")).to_contain_text("上传错误")


def test_a_notice_is_previewed_as_a_draft_then_issued_and_downloaded(
    page: Page, world: World
) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    offer = page.locator(f"details.offer[data-kind='{RECEIPT}']")
    offer.get_by_role("button", name="预览草稿").click()
    draft = offer.frame_locator("iframe.notice-preview").locator("body")
    expect(draft).to_contain_text("草稿预览")
    expect(draft).to_contain_text("张三")
    offer.get_by_role("button", name="预览草稿").click()  # twice: still no number taken
    expect(draft).to_contain_text("文号出具时编定")
    offer.get_by_role("button", name="出具").click()
    issued = page.locator("#notices .issued > li")
    number = issued.locator(".number").inner_text()
    with unit_of_work(world.server.engine) as s:
        agency = agency_by_code(s, world.code("zhz"))
        taken = s.exec(select(func.count(col(Notice.id))).where(
            Notice.agency_id == agency.id, Notice.kind == NoticeKind.RECEIPT.value)).one()  # fmt: skip
    assert number.endswith(f"〔2026〕{taken}号")  # the drafts took no number
    expect(issued.locator("details.preview")).to_have_attribute("open", "")
    with page.expect_download() as downloading:
        issued.get_by_role("link", name="下载 DOCX").click()
    text = "\n".join(p.text for p in Document(downloading.value.path()).paragraphs)
    assert number in text and "张三" in text
    expect(page.locator(f"details.offer[data-kind='{RECEIPT}']")).to_have_count(0)


def test_the_case_file_downloads_from_the_page(page: Page, world: World) -> None:
    _clerk, case = registered(world)
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    with page.expect_download() as downloading:
        page.locator("#case-file").click()
    assert downloading.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(downloading.value.path().read_bytes())) as archive:
        assert any(name.endswith("manifest.json") for name in archive.namelist())


def test_a_refused_notice_shows_why_beside_the_field_and_keeps_what_was_typed(
    page: Page, world: World
) -> None:
    clerk, case = registered(world)
    reply = next(o for o in OUTCOMES if o.by_reply)
    answered = clerk.post(f"/api/v1/cases/{case['id']}/actions/reply", json={"outcome": reply.code},
                          headers={"If-Match": f'"{case["version"]}"'})  # fmt: skip
    assert answered.status_code == 200, answered.text
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    offer = page.locator(f"details.offer[data-kind='{NoticeKind.REPLY.value}']")
    too_long = "说" * 5001
    offer.get_by_label("答复的具体说明", exact=False).fill(too_long)
    offer.get_by_role("button", name="预览草稿").click()
    expect(offer.locator(".draft [role=alert]")).to_contain_text("长度不能超过 5000")
    with page.expect_response(f"**/cases/{case['id']}/notices") as answer:
        offer.get_by_role("button", name="出具").click()
    assert answer.value.status == 422
    details = offer.get_by_label("答复的具体说明", exact=False)
    expect(details).to_have_attribute("aria-invalid", "true")
    expect(offer.locator(".field-error")).to_have_text("长度不能超过 5000")
    expect(details).to_have_value(too_long)
    expect(page.locator("#no-notices")).to_be_visible()


def test_a_passed_correction_window_is_not_shown_overdue(page: Page, world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk, submitted_on="2026-10-12")  # 7 WD closed on 2026-10-21
    login(page, world, "clerk")
    page.goto(f"/cases/{case['id']}")
    window = page.locator("#deadlines li[data-clock='correction_notice']")
    expect(window.locator(".due")).to_have_text(day(date(2026, 10, 21)))
    expect(window.locator(".badge")).to_have_text("已过，此后告知补正将记为逾期")
    expect(window.locator(".badge.overdue")).to_have_count(0)
    reply = page.locator("#deadlines li[data-clock='reply']")  # a duty: due 2026-11-09, late
    expect(reply.locator(".badge.overdue")).to_have_text("逾期 13 个工作日")
