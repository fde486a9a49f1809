"""The annual report as HTML, read back with an HTML parser: every figure of tables 二–四 where
its data attributes say, under its own label; the merged cells of the official layout; the six
sections in order; entered text escaped and kept in its paragraphs; the same bytes for the same
document; a page that needs nothing from outside."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from sqlalchemy import Engine

from casework.db import unit_of_work
from casework.reports.document import AnnualReport, build
from casework.reports.narratives import Narratives
from casework.reports.render import FORMATS, filename
from casework.reports.render.html import render_html
from casework.services.directory import agency_by_code
from casework.services.replay import load_file, parse, replay
from casework.statistics.figures import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    COLUMNS,
    ROW_CODES,
    Report,
    RequestTable,
)
from tests.casework.notices.support import database
from tests.casework.reports import busy_history
from tests.conftest import BACKENDS
from workflows.outcomes import OUTCOME_BY_CODE, OUTCOMES, OutcomeGroup

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "sample-2023.json"
PUBLISHED = ROOT.parent / "shared" / "fixtures" / "sample-annual-report-2023.txt"
TODAY = date(2026, 11, 26)
AS_OF = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # after the replays below (recorded "now")
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
REQUEST_ROWS = ["new", "carried_in", *ROW_CODES, "concluded_total", "carried_out"]


@dataclasses.dataclass(frozen=True)
class Built:
    engine: Engine
    documents: dict[str, AnnualReport]  # "sample", "busy"


@pytest.fixture(scope="module", params=BACKENDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    """The sample history and the busy one replayed, their 2023 reports built: once per
    backend."""
    with database(request, request.param, tmp_path_factory.mktemp("html")) as engine:
        with unit_of_work(engine) as session:
            replay(session, load_file(SAMPLE), TODAY, TODAY)
            replay(session, parse(busy_history.history()), TODAY, TODAY)
        documents = {}
        with unit_of_work(engine) as session:
            for name, code in (("sample", "zhz"), ("busy", busy_history.AGENCY["code"])):
                documents[name] = build(session, agency_by_code(session, code), 2023, _now())
        yield Built(engine, documents)


def _now() -> datetime:
    return datetime.now(UTC)


def page(document: AnnualReport) -> Any:
    return lxml.html.document_fromstring(FORMATS["html"].render(document))


def shown(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def printed_figures(root: Any) -> dict[tuple[str, ...], str]:
    """Every number cell, keyed by its data attributes."""
    out: dict[tuple[str, ...], str] = {}
    for td in root.xpath("//td"):
        a = td.attrib
        if "data-row" in a:
            key: tuple[str, ...] = ("requests", a["data-row"], a["data-col"])
        elif "data-appeal" in a:
            key = ("appeals", a["data-appeal"], a["data-result"])
        else:
            key = ("proactive", a["data-item"], a.get("data-field", ""))
        assert key not in out, key
        out[key] = td.text_content()
    return out


def expected_figures(figures: Report) -> dict[tuple[str, ...], str]:
    data = figures.as_json()
    out: dict[tuple[str, ...], str] = {}
    for row, values in data["requests"]["rows"].items():
        for col, value in zip(data["requests"]["columns"], values, strict=True):
            out[("requests", row, col)] = shown(value)
    for kind, results in data["appeals"].items():
        for result, value in results.items():
            out[("appeals", kind, result)] = shown(value)
    for item, value in data["proactive"].items():
        if isinstance(value, dict):
            out.update({("proactive", item, f): shown(v) for f, v in value.items()})
        else:
            out[("proactive", item, "")] = shown(value)
    return out


def table(root: Any, key: str) -> Any:
    (found,) = root.xpath(f"//table[@data-table='{key}']")
    return found


def span(cell: Any, name: str) -> int:
    return int(cell.get(name, "1"))


# -- the figures -------------------------------------------------------------------------


@pytest.mark.parametrize("history", ["sample", "busy"])
def test_every_number_of_tables_two_to_four_equals_the_figures(built: Built, history: str) -> None:
    document = built.documents[history]
    printed = printed_figures(page(document))
    expected = expected_figures(document.figures)
    assert len(expected) == 10 + 25 * 7 + 15
    assert printed == expected


def test_the_sample_prints_the_published_numbers_in_the_published_order(built: Built) -> None:
    lines = PUBLISHED.read_text(encoding="utf-8").split("\n")
    tables = lines[lines.index(SECTIONS[1]) : lines.index(SECTIONS[4])]
    published = [line for line in tables if re.fullmatch(r"\d+(\.\d+)?", line)]
    root = page(built.documents["sample"])
    assert [td.text_content() for td in root.xpath("//td")] == published
    assert len(published) == 200


def test_the_busy_history_has_figures_in_every_row_and_column(built: Built) -> None:
    """Guards the test above: its second history is no table of zeros."""
    figures = built.documents["busy"].figures
    rows = figures.as_json()["requests"]["rows"]
    assert all(values[-1] > 0 for values in rows.values()), rows
    assert all(rows["new"][i] > 0 for i in range(len(COLUMNS))), rows["new"]
    assert all(figures.appeals[kind]["total"] > 0 for kind in APPEAL_KINDS)
    assert {r: sum(figures.appeals[k][r] for k in APPEAL_KINDS) > 0 for r in APPEAL_RESULTS} == {
        r: True for r in APPEAL_RESULTS
    }
    assert figures.fees["notices"] == 2


def _distinct_document() -> AnnualReport:
    """Every figure a different number, so a figure printed in a neighbour's cell shows."""
    count = itertools.count(1)

    def row() -> list[int]:
        return [next(count) for _ in COLUMNS]

    requests = RequestTable(
        new=row(),
        carried_in=row(),
        outcomes={code: row() for code in ROW_CODES},
        concluded_total=row(),
        carried_out=row(),
    )
    appeals = {k: {r: next(count) for r in APPEAL_RESULTS} for k in APPEAL_KINDS}
    proactive = {
        "regulations": {"issued": 901, "repealed": 902, "in_force": 903},
        "normative_documents": {"issued": 904, "repealed": 905, "in_force": 906},
        "licensing": 907,
        "penalties": 908,
        "enforcement": 909,
        "admin_fees_wan_yuan": 91.25,
    }
    figures = Report("t", "某机关", 2024, AS_OF, requests, proactive, appeals, {"notices": 0})
    return AnnualReport(figures, Narratives("甲", "乙", "丙", 1), "收费说明。")


def test_every_figure_of_a_report_whose_figures_all_differ_is_in_its_own_cell() -> None:
    document = _distinct_document()
    printed = printed_figures(page(document))
    assert printed == expected_figures(document.figures)
    assert printed[("proactive", "admin_fees_wan_yuan", "")] == "91.25"
    assert len(set(printed.values())) == len(printed)


def test_each_row_of_table_three_sits_beside_its_own_label() -> None:
    rows = table(page(_distinct_document()), "requests").xpath("./tbody/tr")
    assert [tr.xpath("./td")[0].get("data-row") for tr in rows] == REQUEST_ROWS
    for tr in rows:
        code = tr.xpath("./td")[0].get("data-row")
        label = tr.xpath("./th")[-1].text_content()
        assert {td.get("data-row") for td in tr.xpath("./td")} == {code}
        assert [td.get("data-col") for td in tr.xpath("./td")] == list(COLUMNS)
        if code in OUTCOME_BY_CODE:
            o = OUTCOME_BY_CODE[code]
            assert label == (o.group_label if o.item is None else o.label)
    labels = [tr.xpath("./th")[-1].text_content() for tr in rows]
    assert labels[:2] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]


def test_table_four_lists_review_then_both_kinds_of_litigation() -> None:
    (tr,) = table(page(_distinct_document()), "appeals").xpath("./tbody/tr")
    assert [(td.get("data-appeal"), td.get("data-result")) for td in tr.xpath("./td")] == [
        (k, r) for k in APPEAL_KINDS for r in APPEAL_RESULTS
    ]


# -- the layout ---------------------------------------------------------------------------


def _heads(t: Any) -> dict[str, tuple[int, int]]:
    return {
        th.text_content(): (span(th, "rowspan"), span(th, "colspan")) for th in t.xpath(".//th")
    }


def test_table_three_merges_its_head_and_stub_as_published() -> None:
    t = table(page(_distinct_document()), "requests")
    heads = _heads(t)
    assert heads["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (3, 3)
    assert heads["申请人情况"] == (1, 7)
    assert heads["自然人"] == (2, 1)
    assert heads["法人或其他组织"] == (1, 5)
    assert heads["总计"] == (2, 1)
    assert [th.text_content() for th in t.xpath("./thead/tr[3]/th")] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    ]  # fmt: skip
    assert heads["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert heads["三、本年度办理结果"] == (len(OUTCOMES) + 1, 1)
    assert heads["（一）予以公开"] == (1, 2)
    assert heads["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == (1, 2)
    assert heads["（三）不予公开"] == (8, 1)
    assert heads["（四）无法提供"] == (3, 1)
    assert heads["（五）不予处理"] == (5, 1)
    assert heads["（六）其他处理"] == (3, 1)
    assert heads["（七）总计"] == (1, 2)
    assert heads["四、结转下年度继续办理"] == (1, 3)
    leaves = [o for o in OUTCOMES if o.group is OutcomeGroup.WITHHELD]
    assert all(heads[o.label] == (1, 1) for o in leaves)


def test_table_four_merges_its_three_level_head_as_published() -> None:
    t = table(page(_distinct_document()), "appeals")
    first, second, third = t.xpath("./thead/tr")
    assert [(th.text_content(), span(th, "colspan")) for th in first.xpath("./th")] == [
        ("行政复议", 5), ("行政诉讼", 10),
    ]  # fmt: skip
    assert [(th.text_content(), span(th, "rowspan"), span(th, "colspan"))
            for th in second.xpath("./th")] == [
        ("结果维持", 2, 1), ("结果纠正", 2, 1), ("其他结果", 2, 1), ("尚未审结", 2, 1),
        ("总计", 2, 1), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5),
    ]  # fmt: skip
    assert [th.text_content() for th in third.xpath("./th")] == 2 * [
        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
    ]  # fmt: skip


def test_table_two_has_its_four_blocks_with_a_single_figure_across_three_columns() -> None:
    t = table(page(_distinct_document()), "proactive")
    blocks = t.xpath("./tbody")
    titles = [b.xpath("./tr[1]/th")[0] for b in blocks]
    assert [(th.text_content(), span(th, "colspan")) for th in titles] == [
        ("第二十条第（一）项", 4), ("第二十条第（五）项", 4),
        ("第二十条第（六）项", 4), ("第二十条第（八）项", 4),
    ]  # fmt: skip
    heads = [[th.text_content() for th in b.xpath("./tr[2]/th")] for b in blocks]
    assert heads == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["信息内容", "本年处理决定数量"], ["信息内容", "本年处理决定数量"],
        ["信息内容", "本年收费金额（单位：万元）"],
    ]  # fmt: skip
    stubs = [[tr.xpath("./th")[0].text_content() for tr in b.xpath("./tr[position()>2]")]
             for b in blocks]  # fmt: skip
    assert stubs == [["规章", "行政规范性文件"], ["行政许可"], ["行政处罚", "行政强制"],
                     ["行政事业性收费"]]  # fmt: skip
    singles = t.xpath(".//td[not(@data-field)]")
    assert len(singles) == 4 and all(span(td, "colspan") == 3 for td in singles)


@pytest.mark.parametrize("key", ["proactive", "requests", "appeals"])
def test_every_row_of_the_table_fills_its_width_exactly(key: str) -> None:
    """The spans add up: no row is short or overlong, no two cells overlap (a table model
    check over rowspan and colspan)."""
    t = table(page(_distinct_document()), key)
    width = len(t.xpath("./colgroup/col"))
    taken: set[tuple[int, int]] = set()
    rows = t.xpath("./thead/tr | ./tbody/tr")
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./th | ./td"):
            while (r, c) in taken:
                c += 1
            for dr in range(span(cell, "rowspan")):
                for dc in range(span(cell, "colspan")):
                    assert (r + dr, c + dc) not in taken
                    taken.add((r + dr, c + dc))
            c += span(cell, "colspan")
    assert taken == {(r, c) for r in range(len(rows)) for c in range(width)}


# -- the text -----------------------------------------------------------------------------


def _with_texts(overview: str = "", problems: str = "", other: str = "") -> AnnualReport:
    document = _distinct_document()
    return dataclasses.replace(document, narratives=Narratives(overview, problems, other, 2))


def test_the_six_sections_come_in_the_official_order_under_the_title() -> None:
    document = _with_texts("总体", "问题", "其他")
    root = page(document)
    assert [h.text_content() for h in root.xpath("//h2")] == SECTIONS
    assert [s.get("data-section") for s in root.xpath("//section")] == [
        "overview", "proactive", "requests", "appeals", "problems", "other",
    ]  # fmt: skip
    assert (
        root.xpath("//h1")[0].text_content()
        == document.title
        == "某机关2024年政府信息公开工作年度报告"
    )
    assert root.xpath("//title")[0].text_content() == document.title


def test_entered_markup_comes_out_as_text() -> None:
    hostile = '<script>alert("x")</script>\n<b>粗</b> & <img src=x onerror=alert(1)>'
    document = _with_texts(hostile, "</section><h2>伪造</h2>", "a\"b'c")
    raw = FORMATS["html"].render(document).decode()
    root = lxml.html.document_fromstring(raw)
    assert root.xpath("//script | //img | //b") == []
    assert len(root.xpath("//h2")) == 6
    overview = root.xpath("//section[@data-section='overview']//p")
    assert [p.text_content() for p in overview] == hostile.split("\n")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in raw
    problems = root.xpath("//section[@data-section='problems']//p")
    assert [p.text_content() for p in problems] == ["</section><h2>伪造</h2>"]


def test_paragraphs_are_split_at_blank_lines_and_keep_their_lines() -> None:
    text = "（一）主动公开\r\n　　本年主动公开信息100条。\n第二行\n\n  \n第二段。\n\n\n（二）依申请公开"
    root = page(_with_texts(text))
    paragraphs = root.xpath("//section[@data-section='overview']/div[@class='paragraph']")
    assert [[p.text_content() for p in d.xpath("./p")] for d in paragraphs] == [
        ["（一）主动公开", "本年主动公开信息100条。", "第二行"],
        ["第二段。"],
        ["（二）依申请公开"],
    ]
    headings = root.xpath("//section[@data-section='overview']//p[@class='heading']")
    assert [p.text_content() for p in headings] == ["（一）主动公开", "（二）依申请公开"]


def test_section_six_opens_with_the_fee_statement(built: Built) -> None:
    document = built.documents["busy"]
    root = page(document)
    lines = [p.text_content() for p in root.xpath("//section[@data-section='other']//p")]
    assert lines[0] == document.fee_statement
    assert "发出收费通知2件" in lines[0]
    assert lines[1:] == [
        line.strip() for line in document.narratives.other.split("\n") if line.strip()
    ]


def test_an_empty_section_keeps_its_heading() -> None:
    root = page(_with_texts("总体", "", ""))
    problems = root.xpath("//section[@data-section='problems']")[0]
    assert problems.xpath("./h2")[0].text_content() == SECTIONS[4]
    assert problems.xpath(".//p") == []


# -- the file -----------------------------------------------------------------------------


def test_the_same_report_gives_the_same_bytes(built: Built) -> None:
    agency = busy_history.AGENCY["code"]
    with unit_of_work(built.engine) as session:
        found = agency_by_code(session, agency)
        first = build(session, found, 2023, built.documents["busy"].figures.as_of)
    with unit_of_work(built.engine) as session:
        again = build(session, agency_by_code(session, agency), 2023, first.figures.as_of)
    assert FORMATS["html"].render(first) == FORMATS["html"].render(again)
    assert FORMATS["html"].render(first) == FORMATS["html"].render(built.documents["busy"])


def test_the_page_needs_nothing_from_outside_and_prints_on_a4() -> None:
    raw = FORMATS["html"].render(_distinct_document()).decode()
    root = lxml.html.document_fromstring(raw)
    assert root.get("lang") == "zh-CN"
    assert root.xpath("//meta/@charset") == ["utf-8"]
    assert root.xpath("//script | //link | //img | //iframe | //object") == []
    assert root.xpath("//@src | //@href") == []
    style = root.xpath("//style")[0].text_content()
    assert "url(" not in style and "@import" not in style
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
    assert '"FangSong"' in style and '"Noto Serif CJK SC"' in style


def test_html_is_a_registered_format_named_after_the_title() -> None:
    fmt = FORMATS["html"]
    document = _distinct_document()
    assert (fmt.suffix, fmt.media_type) == (".html", "text/html; charset=utf-8")
    assert filename(document, fmt) == "某机关2024年政府信息公开工作年度报告.html"
    assert fmt.render(document) == render_html(document).encode()
