"""登记 (registration) in a real browser: the channel's receipt-date fields (Art. 31), each
channel registered, problems in Chinese beside their fields with the values kept, and the
repeat-request warning as the clerk types. Server today: 2026-11-26."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from api.deps import CSRF_COOKIE
from tests.api.conftest import World
from tests.api.web.conftest import login
from workflows.outcomes import ANSWERED_OUTCOMES, ApplicantKind
from workflows.payloads import CHANNEL_LABELS

REPLY = sorted(ANSWERED_OUTCOMES)[0]  # any reply on the information
ID_NUMBER = "110101199003070011"


def open_form(page: Page, world: World, who: str = "clerk") -> None:
    login(page, world, who)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登记").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记申请")


def fill_applicant(
    page: Page, name: str = "王五", request: str = "申请公开某街道2026年预算"
) -> None:
    page.get_by_label("姓名或名称").fill(name)
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("联系电话").fill("13900000000")
    page.get_by_label("通信地址").fill("某市某区某路1号")
    page.get_by_label("申请内容").fill(request)


def submitted_case(page: Page, world: World) -> dict[str, Any]:
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_id = page.url.rsplit("/", 1)[1]
    answer = world.login("clerk").get(f"/api/v1/cases/{case_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_only_the_chosen_channel_date_fields_show(page: Page, world: World) -> None:
    open_form(page, world)
    submitted, signed, confirmed = (
        page.get_by_label(x) for x in ("提交之日", "签收之日", "确认之日")
    )
    expect(page.get_by_role("radio", name=CHANNEL_LABELS["in_person"])).to_be_checked()
    expect(submitted).to_be_visible()
    expect(submitted).to_have_value("2026-11-26")  # today, the usual case at the counter
    expect(signed).to_be_hidden()
    expect(confirmed).to_be_hidden()
    page.get_by_role("radio", name=CHANNEL_LABELS["post"]).check()
    expect(submitted).to_be_hidden()
    expect(signed).to_be_visible()
    expect(confirmed).to_be_visible()
    page.get_by_role("radio", name=CHANNEL_LABELS["online"]).check()
    expect(signed).to_be_hidden()
    expect(confirmed).to_be_visible()
    page.get_by_role("radio", name=CHANNEL_LABELS["fax"]).check()
    expect(confirmed).to_be_visible()
    expect(submitted).to_be_hidden()


def test_register_a_request_handed_in_at_the_counter(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_label("提交之日").fill("2026-11-20")
    fill_applicant(page)
    page.get_by_label("电子邮箱").fill("wangwu@example.cn")
    page.get_by_label("获取信息的方式").select_option(label="电子")
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["channel"], case["received_on"]) == ("in_person", "2026-11-20")
    assert case["applicant"] == {
        "kind": ApplicantKind.NATURAL_PERSON.value,
        "kind_label": ApplicantKind.NATURAL_PERSON.label,
        "name": "王五", "id_number": ID_NUMBER, "phone": "13900000000",
        "email": "wangwu@example.cn", "address": "某市某区某路1号",
    }  # fmt: skip
    assert case["request"] == "申请公开某街道2026年预算"
    assert case["agency"] == world.code("zhz") and re.fullmatch(r"2026-\d{3}", case["ref"])
    reply = next(d for d in case["deadlines"] if d["clock"] == "reply")
    assert reply["due"] == "2026-12-18"


def test_register_a_signed_for_letter(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_role("radio", name=CHANNEL_LABELS["post"]).check()
    page.get_by_label("签收之日").fill("2026-11-23")
    fill_applicant(page)
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["channel"], case["received_on"]) == ("post", "2026-11-23")


def test_register_an_ordinary_letter_by_the_date_confirmed(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_role("radio", name=CHANNEL_LABELS["post"]).check()
    page.get_by_label("确认之日").fill("2026-11-24")
    fill_applicant(page)
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["channel"], case["received_on"]) == ("post", "2026-11-24")


def test_register_an_online_request(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_label("提交之日").fill("2026-11-02")  # typed, then the channel changed:
    page.get_by_role("radio", name=CHANNEL_LABELS["online"]).check()  # not sent
    page.get_by_label("确认之日").fill("2026-11-25")
    fill_applicant(page)
    page.get_by_label("申请人类型").select_option(ApplicantKind.LEGAL_SERVICE_ORG.value)
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["channel"], case["received_on"]) == ("online", "2026-11-25")
    assert case["applicant"]["kind"] == ApplicantKind.LEGAL_SERVICE_ORG.value
    registered = next(e for e in case["events"] if e["action"] == "register")
    assert "submitted_on" not in registered["payload"], registered


def test_register_a_fax(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_role("radio", name=CHANNEL_LABELS["fax"]).check()
    page.get_by_label("确认之日").fill("2026-11-19")
    fill_applicant(page)
    page.get_by_label("案号").fill("传真-001")
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["channel"], case["received_on"], case["ref"]) == ("fax", "2026-11-19", "传真-001")


def test_problems_are_told_beside_their_fields_and_the_values_kept(
    page: Page, world: World
) -> None:
    open_form(page, world)
    page.get_by_role("radio", name=CHANNEL_LABELS["post"]).check()  # no date given
    page.get_by_label("联系电话").fill("13900000000")
    page.get_by_label("通信地址").fill("某市某区某路1号")
    page.get_by_label("申请人类型").select_option(ApplicantKind.OTHER_ORG.value)
    with page.expect_response(lambda r: r.url.endswith("/cases/new")) as answer:
        page.get_by_role("button", name="登记").click()
    assert answer.value.status == 422
    expect(page.locator("#e-applicant_name")).to_have_text("不能为空")
    expect(page.get_by_label("姓名或名称")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-request")).to_have_text("不能为空")
    expect(page.locator("#e-signed_on")).to_have_text("缺少收到申请之日：邮寄渠道需提供相应日期")
    expect(page.get_by_label("签收之日")).to_have_attribute(
        "aria-describedby", re.compile(r"\be-signed_on\b")
    )
    # what was typed is still there, and the date fields still follow the channel
    expect(page.get_by_role("radio", name=CHANNEL_LABELS["post"])).to_be_checked()
    expect(page.get_by_label("联系电话")).to_have_value("13900000000")
    expect(page.get_by_label("通信地址")).to_have_value("某市某区某路1号")
    expect(page.get_by_label("申请人类型")).to_have_value(ApplicantKind.OTHER_ORG.value)
    expect(page.get_by_label("提交之日")).to_be_hidden()
    expect(page.locator("#e-applicant_phone")).to_have_count(0)

    page.get_by_label("姓名或名称").fill("某某协会")
    page.get_by_label("申请内容").fill("申请公开某文件")
    page.get_by_label("签收之日").fill("2026-11-25")
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert (case["applicant"]["name"], case["received_on"]) == ("某某协会", "2026-11-25")


def test_a_refusal_by_the_service_is_told_beside_its_field(page: Page, world: World) -> None:
    world.register(world.login("clerk"), ref="DUP-1")
    open_form(page, world)
    fill_applicant(page)
    page.get_by_label("案号").fill("DUP-1")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#e-ref")).to_have_text("本机关已有案号为“DUP-1”的案件")
    expect(page.get_by_label("案号")).to_have_value("DUP-1")
    expect(page.get_by_label("姓名或名称")).to_have_value("王五")


def test_a_date_in_the_future_is_refused(page: Page, world: World) -> None:
    open_form(page, world)
    page.get_by_label("提交之日").fill("2026-11-27")
    fill_applicant(page)
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#form-error")).to_contain_text("晚于今日")
    expect(page.get_by_label("提交之日")).to_have_value("2026-11-27")
    cases = world.login("clerk").get("/api/v1/cases", params={"agency": world.code("zhz")})
    assert cases.json()["items"] == []


def _answered(world: World, request: str) -> dict[str, Any]:
    clerk = world.login("clerk")
    case = world.register(clerk, ref="EARLIER", submitted_on="2026-10-09", request=request)
    answer = clerk.post(
        f"/api/v1/cases/{case['id']}/actions/reply",
        json={"outcome": REPLY},
        params={"on": "2026-10-20"},
        headers={"If-Match": f'"{case["version"]}"'},
    )
    assert answer.status_code == 200, answer.text
    return case


def test_a_repeat_request_is_warned_of_as_the_clerk_types(page: Page, world: World) -> None:
    earlier = _answered(world, "申请公开某路段改造工程的环境影响评价报告")
    open_form(page, world)
    page.get_by_label("姓名或名称").fill("张三")  # the same applicant as world.register's
    page.get_by_label("证件号码").fill("110101199003070011")
    page.get_by_label("申请内容").fill("请公开某路段改造工程环境影响评价报告")
    warning = page.locator("#repeats .repeat-warning")
    expect(warning).to_contain_text("可能的重复申请（1 件）")
    expect(warning).to_contain_text("仅供参考")
    expect(warning.get_by_role("link", name="EARLIER")).to_have_attribute(
        "href", f"/cases/{earlier['id']}"
    )
    expect(warning).to_contain_text("2026-10-09（五）")
    # a warning only: the request can still be registered
    page.get_by_role("button", name="登记").click()
    case = submitted_case(page, world)
    assert case["ref"] != "EARLIER"


def test_another_applicant_gets_no_repeat_warning(page: Page, world: World) -> None:
    _answered(world, "申请公开某路段改造工程的环境影响评价报告")
    open_form(page, world)
    page.get_by_label("姓名或名称").fill("李四")
    page.get_by_label("申请内容").fill("请公开某路段改造工程环境影响评价报告")
    expect(page.locator("#repeats")).to_contain_text("未发现该申请人已获答复的类似申请")
    expect(page.locator("#repeats .repeat-warning")).to_have_count(0)


def test_double_submitting_the_form_registers_once(page: Page, world: World) -> None:
    """The form carries an idempotency key: sent twice (a double click, a retry), it makes
    one case and sends both answers to it."""
    open_form(page, world)
    fill_applicant(page)
    fields = ("agency", "key", "channel", "submitted_on", "applicant_kind", "applicant_name",
              "request")  # fmt: skip
    sent = page.locator("#register-form").evaluate(
        "(form, names) => Object.fromEntries(names.map(n => [n, new FormData(form).get(n)]))",
        list(fields),
    )
    data: dict[str, str | float | bool] = {k: str(v) for k, v in sent.items()}
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == CSRF_COOKIE)
    headers = {"X-CSRF-Token": csrf}
    first, again = (
        page.request.post("/cases/new", form=data, headers=headers, max_redirects=0)
        for _ in range(2)
    )
    assert first.status == again.status == 303
    assert first.headers["location"] == again.headers["location"]
    listed = world.login("clerk").get("/api/v1/cases", params={"agency": world.code("zhz")})
    assert len(listed.json()["items"]) == 1


def test_only_a_clerk_may_open_the_form(page: Page, world: World) -> None:
    login(page, world, "auditor")
    answer = page.goto("/cases/new")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("无权")
