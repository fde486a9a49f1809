"""年度报告 pages in a real browser, on the demo history: the sample 2023 report's history
(examples/sample-2023.json) replayed into this test's street office the way `casework demo`
does (`load_file` + `replay`). The page's numbers are the API's, every cell of tables 三 and 四
drills down to as many cases as it counts, the texts save with their revision (a stale save is
refused), only an approver publishes, and a back-dated change after publishing shows as drift.
The server's today is 2026-11-26."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from casework.db import unit_of_work
from casework.reports.cell_names import SHORT_ROW_LABELS
from casework.reports.narratives import SECTION_TITLES
from casework.services.replay import FileAgency, load_file, replay
from casework.statistics.figures import APPEAL_KINDS, APPEAL_RESULTS, COLUMNS
from tests.api.conftest import TODAY, Server, World, make_world
from tests.api.web.conftest import login
from workflows.outcomes import ANSWERED_OUTCOMES

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "sample-2023.json"
YEAR = 2023
REPLY = sorted(ANSWERED_OUTCOMES)[0]  # any reply on the information


def _replay_demo(world: World) -> World:
    """The demo history in this world's street office (the demo's `zhz`, under its own code)."""
    data = load_file(SAMPLE)
    agency = FileAgency(code=world.code("zhz"), name="某街道办事处")
    day = date.fromisoformat(TODAY)
    with unit_of_work(world.server.engine) as session:
        replay(session, data.model_copy(update={"agency": agency}), day, day)
    return world


@pytest.fixture(scope="module")
def same_demo(web_server: Server) -> World:
    """One demo for the tests that change nothing (a world takes seconds to make)."""
    return _replay_demo(make_world(web_server))


@pytest.fixture
def demo(world: World) -> World:
    """A demo of its own for a test that saves or publishes."""
    return _replay_demo(world)


def url(world: World, what: str = "") -> str:
    return f"/reports/{YEAR}{what}?agency={world.code('zhz')}"


def api_report(world: World, who: str = "clerk") -> dict[str, Any]:
    answer = world.login(who).get(f"/api/v1/reports/{YEAR}", params={"agency": world.code("zhz")})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def publish_by_api(world: World, **body: Any) -> dict[str, Any]:
    answer = world.login("approver").post(
        f"/api/v1/reports/{YEAR}/publication",
        params={"agency": world.code("zhz")},
        json={"allow_starter_text": True, **body},
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def shown_cells(page: Page, selector: str, *keys: str) -> dict[tuple[str, ...], str]:
    """Each number cell of a preview table: its data-* keys → the number same_demo."""
    script = "(cells, keys) => cells.map(c => [keys.map(k => c.dataset[k]), c.innerText.trim()])"
    found = page.locator(selector).evaluate_all(script, list(keys))
    return {tuple(k): str(v) for k, v in found}


def test_reports_opens_on_last_year_of_the_agency_worked_in(same_demo: World, page: Page) -> None:
    login(page, same_demo, "clerk")
    page.get_by_role("link", name="年度报告").click()
    expect(page.get_by_label("年度", exact=True)).to_have_value("2025")
    expect(page.get_by_label("机关", exact=True)).to_have_value(same_demo.code("zhz"))
    expect(page.locator("#report-title")).to_have_text("某街道办事处2025年政府信息公开工作年度报告")
    expect(page.locator("#report-state")).to_contain_text("草稿（尚未公布）")
    expect(page.locator("#report-due")).to_contain_text("2026-01-31")
    expect(page.locator("#report-timeliness")).to_contain_text("逾期未发布")
    page.get_by_label("年度", exact=True).select_option("2023")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("#report-title")).to_contain_text("2023年政府信息公开工作年度报告")
    assert "year=2023" in page.url or "/reports/2023" in page.url


def test_the_pages_tables_three_and_four_show_the_apis_numbers(
    same_demo: World, page: Page
) -> None:
    expected = api_report(same_demo)
    login(page, same_demo, "clerk")
    page.goto(url(same_demo))
    requests = shown_cells(page, "table.requests td.number", "row", "col")
    rows = expected["requests"]["rows"]
    assert len(requests) == len(rows) * len(COLUMNS)
    for (row, column), text in requests.items():
        assert text == str(rows[row][COLUMNS.index(column)]), (row, column)
    assert requests[("new", "total")] == "7"  # the published sample's figure
    appeals = shown_cells(page, "table.appeals td.number", "appeal", "result")
    assert len(appeals) == len(APPEAL_KINDS) * len(APPEAL_RESULTS)
    for (kind, result), text in appeals.items():
        assert text == str(expected["appeals"][kind][result]), (kind, result)
    proactive = shown_cells(page, "table.proactive td.number", "item", "field")
    assert proactive[("regulations", "in_force")] == "2"


def test_each_cell_lists_as_many_cases_as_its_number(same_demo: World, page: Page) -> None:
    login(page, same_demo, "auditor")
    page.goto(url(same_demo))
    links = page.locator("table.requests td.number[data-col='total'] a").evaluate_all(
        "links => links.map(a => [a.closest('td').dataset.row, a.innerText, a.href])"
    )
    nonzero = [(row, int(n), href) for row, n, href in links if n != "0"]
    assert len(nonzero) >= 4  # 一, 三's outcomes, 三（七）总计
    for row, number, href in nonzero:
        page.goto(href)
        expect(page.locator("#cell-count")).to_have_text(f"共 {number} 件")
        expect(page.locator("#cell-cases tbody tr")).to_have_count(number)
        api = same_demo.login("auditor").get(
            f"/api/v1/reports/{YEAR}/cells/{row}/total", params={"agency": same_demo.code("zhz")}
        )
        assert api.json()["count"] == number, row
    page.locator("#cell-cases tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))


def test_a_zero_cell_lists_nothing(same_demo: World, page: Page) -> None:
    login(page, same_demo, "clerk")
    page.goto(url(same_demo))
    page.locator("table.appeals td[data-appeal='reconsideration'][data-result='total'] a").click()
    expect(page.locator("h1")).to_contain_text("表四 行政复议 · 总计")
    expect(page.locator("#cell-count")).to_have_text("共 0 件")
    expect(page.locator("#cell-empty")).to_be_visible()


def test_saving_the_texts_makes_a_revision_shown_in_the_preview(demo: World, page: Page) -> None:
    login(page, demo, "clerk")
    page.goto(url(demo))
    page.get_by_role("link", name="编辑文字（一、五、六）").click()
    expect(page.locator("#placeholders")).to_contain_text("【请填写：")
    overview = page.get_by_label(SECTION_TITLES["overview"])
    expect(overview).to_have_value(re.compile("【请填写："))
    overview.fill("2023年，本街道认真贯彻落实政府信息公开条例。")
    page.get_by_label(SECTION_TITLES["problems"]).fill("（一）存在的主要问题\n宣传不足。")
    page.get_by_label(SECTION_TITLES["other"]).fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#done")).to_have_text("报告文字已保存（第1版）")
    expect(page.locator("#placeholders")).to_have_count(0)
    page.get_by_role("link", name="返回2023年度报告").first.click()
    overview_section = page.locator("#report section[data-section='overview']")
    expect(overview_section).to_contain_text("本街道认真贯彻落实政府信息公开条例")
    expect(page.locator("#report-text")).to_contain_text("第1版")


def test_a_stale_save_is_refused_and_keeps_the_typed_text(demo: World, page: Page) -> None:
    login(page, demo, "clerk")
    page.goto(url(demo, "/narratives"))
    overview = page.get_by_label(SECTION_TITLES["overview"])
    expect(overview).to_be_visible()
    # meanwhile another clerk saves revision 1 from the starter (revision 0)
    other = demo.login("clerk2").put(
        f"/api/v1/reports/{YEAR}/narratives",
        params={"agency": demo.code("zhz")},
        json={"overview": "他人保存的总体情况。", "problems": "无", "other": "", "revision": 0},
    )
    assert other.status_code == 200, other.text
    overview.fill("我写的总体情况。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#conflict")).to_contain_text("报告文字已被他人更新")
    expect(page.locator("#conflict")).to_contain_text("当前第1版")
    expect(page.get_by_label(SECTION_TITLES["overview"])).to_have_value("我写的总体情况。")
    kept = demo.login("clerk").get(
        f"/api/v1/reports/{YEAR}/narratives", params={"agency": demo.code("zhz")}
    )
    assert kept.json()["overview"] == "他人保存的总体情况。"
    page.get_by_role("link", name="重新载入").click()
    expect(page.get_by_label(SECTION_TITLES["overview"])).to_have_value("他人保存的总体情况。")


def test_a_text_too_long_is_refused_beside_its_field(same_demo: World, page: Page) -> None:
    login(page, same_demo, "clerk")
    page.goto(url(same_demo, "/narratives"))
    page.get_by_label(SECTION_TITLES["problems"]).fill("长" * 20_001)
    page.get_by_role("button", name="保存").click()
    error = page.locator("#e-problems")
    expect(error).to_contain_text(SECTION_TITLES["problems"])
    expect(page.get_by_label(SECTION_TITLES["problems"])).to_have_attribute("aria-invalid", "true")


def test_table_two_figures_save_and_a_bad_one_is_refused_beside_it(demo: World, page: Page) -> None:
    login(page, demo, "clerk")
    page.goto(url(demo, "/inputs"))
    expect(page.get_by_label("规章：现行有效件数")).to_have_value("2")
    page.get_by_label("行政许可：本年处理决定数量").fill("-3")
    page.get_by_label("行政规范性文件：本年制发件数").fill("两件")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#e-licensing")).to_be_visible()
    expect(page.locator("#e-normative_documents\\.issued")).to_contain_text("整数")
    page.get_by_label("行政许可：本年处理决定数量").fill("12")
    page.get_by_label("行政规范性文件：本年制发件数").fill("3")
    page.get_by_label("行政事业性收费：本年收费金额（单位：万元）").fill("1.5")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#done")).to_contain_text("第二部分数据已保存（第2版）")
    inputs = demo.login("clerk").get(
        f"/api/v1/reports/{YEAR}/inputs", params={"agency": demo.code("zhz")}
    )
    body = inputs.json()
    assert (body["licensing"], body["normative_documents"]["issued"]) == (12, 3)
    assert body["admin_fees_wan_yuan"] == 1.5
    page.goto(url(demo))
    cell = page.locator("table.proactive td[data-item='licensing']")
    expect(cell).to_have_text("12")


def test_a_clerk_may_not_publish(same_demo: World, page: Page) -> None:
    login(page, same_demo, "clerk")
    page.goto(url(same_demo))
    expect(page.get_by_role("link", name="编辑文字（一、五、六）")).to_be_visible()
    expect(page.get_by_role("link", name="公布报告")).to_have_count(0)
    answer = page.goto(url(same_demo, "/publish"))
    assert answer is not None and answer.status == 403
    expect(page.locator("main")).to_contain_text("公布年度报告须由本机关负责人办理")


def test_an_approver_publishes_and_the_stored_files_download(demo: World, page: Page) -> None:
    login(page, demo, "approver")
    page.goto(url(demo))
    page.get_by_role("link", name="公布报告").click()
    expect(page.locator("#starter-warning")).to_contain_text("系统生成的草稿")
    page.get_by_role("button", name="确认公布").click()
    expect(page.locator("#e-narratives")).to_contain_text("仍是系统生成的草稿")
    page.get_by_label("确认按现有文字（含系统草稿或待填写内容）公布").check()
    page.get_by_role("button", name="确认公布").click()
    expect(page.locator("#done")).to_have_text(f"{YEAR}年度报告已公布（第1版）")
    expect(page.locator("#report-state")).to_contain_text("已公布第1版")
    expect(page.locator("#report-state")).to_contain_text("统计时刻")
    expect(page).to_have_url(re.compile(re.escape(url(demo)) + "$"))
    published = demo.login("clerk").get(
        f"/api/v1/reports/{YEAR}/publication", params={"agency": demo.code("zhz")}
    )
    assert published.status_code == 200 and published.json()["revision"] == 1
    links = page.locator("#revision-1 a")
    expect(links).to_have_count(len(published.json()["files"]))
    for n in range(links.count()):
        href = str(links.nth(n).get_attribute("href"))
        answer = page.request.get(href)
        assert answer.status == 200, href
        stored = next(f for f in published.json()["files"] if f["url"] == href)
        assert len(answer.body()) == stored["size"]
        if stored["format"] == "json":
            assert json.loads(answer.body()) == published.json()["figures"]
    with page.expect_download() as download:
        page.locator("#revision-1 a", has_text="DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_the_current_report_downloads_in_every_format(same_demo: World, page: Page) -> None:
    login(page, same_demo, "auditor")
    page.goto(url(same_demo))
    links = page.locator("#downloads a")
    expect(links).to_have_count(5)
    kinds = {"docx": "wordprocessingml", "xlsx": "spreadsheetml", "html": "text/html",
             "txt": "text/plain", "json": "application/json"}  # fmt: skip
    for n in range(5):
        href = str(links.nth(n).get_attribute("href"))
        answer = page.request.get(href)
        fmt = href.split("format=")[1].split("&")[0]
        assert answer.status == 200 and kinds[fmt] in answer.headers["content-type"], href
    assert page.locator("#downloads a").first.inner_text().startswith("Word")


def test_a_correction_needs_a_reason(demo: World, page: Page) -> None:
    publish_by_api(demo)
    login(page, demo, "approver")
    page.goto(url(demo))
    page.get_by_role("link", name="更正公布").click()
    expect(page.locator("#already")).to_contain_text("第1版")
    page.get_by_label("确认按现有文字（含系统草稿或待填写内容）公布").check()
    page.get_by_role("button", name="确认公布").click()
    expect(page.locator("#e-reason")).to_contain_text("须说明更正理由")
    page.get_by_label("更正理由").fill("补录一件申请")
    page.get_by_role("button", name="确认公布").click()
    expect(page.locator("#report-state")).to_contain_text("已公布第2版")
    expect(page.locator("#revision-2")).to_contain_text("更正理由：补录一件申请")


def test_a_backdated_change_after_publishing_shows_as_drift(demo: World, page: Page) -> None:
    login(page, demo, "clerk")
    late = demo.register(demo.login("clerk"), submitted_on="2023-12-20", ref="2023-099")
    publish_by_api(demo)
    page.goto(url(demo))
    expect(page.locator("#drift")).to_have_count(0)
    reply = demo.login("approver").post(
        f"/api/v1/cases/{late['id']}/actions/reply",
        params={"on": "2023-12-28"},
        headers={"If-Match": f'"{late["version"]}"'},
        json={"outcome": REPLY},
    )
    assert reply.status_code == 200, reply.text
    page.reload()
    drift = page.locator("#drift")
    expect(drift).to_contain_text("公布后统计数字已变化")
    carried_out = drift.locator("tr", has_text="四、结转下年度继续办理 · 总计")
    expect(carried_out.locator("td")).to_have_text(["1", "0", "-1"])
    replied = drift.locator("tr", has_text=f"{SHORT_ROW_LABELS[REPLY]} · 总计")
    expect(replied.locator("td")).to_have_text(["0", "1", "+1"])
    expect(drift.locator(".drift-causes")).to_contain_text(f"案件 {late['ref']}")
    expect(drift.locator(".drift-causes")).to_contain_text(demo.user("approver"))
    api = demo.login("clerk").get(
        f"/api/v1/reports/{YEAR}/drift", params={"agency": demo.code("zhz")}
    )
    assert len(api.json()["cells"]) == drift.locator("tbody tr").count()


def test_a_district_office_sees_the_report_read_only(same_demo: World, page: Page) -> None:
    login(page, same_demo, "district")
    page.goto(url(same_demo))
    expect(page.locator("#report-title")).to_contain_text("某街道办事处2023年")
    expect(page.get_by_role("link", name="编辑文字（一、五、六）")).to_have_count(0)
    answer = page.goto(url(same_demo, "/narratives"))
    assert answer is not None and answer.status == 403


def test_an_agency_not_seen_is_not_found(same_demo: World, page: Page) -> None:
    login(page, same_demo, "stranger")
    answer = page.goto(url(same_demo))
    assert answer is not None and answer.status == 404
