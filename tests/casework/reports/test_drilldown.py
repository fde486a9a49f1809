"""The drill-down behind each cell of tables 三 and 四: over random histories every cell lists
exactly as many cases (appeals) as the report's number, by code and by the printed labels,
and a listed case carries no applicant's personal data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import NotFound
from casework.reports import cell_names, drilldown
from casework.reports.standings import case_lines
from casework.services import appeals, directory
from casework.services.replay import parse, replay
from casework.statistics.figures import COLUMNS, agency_ids, report
from casework.timeutil import utcnow
from tests.casework.reports.module_db import module_engine
from tests.casework.reports.random_agency import YEARS, build
from tests.casework.services.random_history import END
from tests.conftest import BACKENDS


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_cell_lists_as_many_cases_and_appeals_as_the_report_counts(
    engine: Engine, data: st.DataObject
) -> None:
    built = build(engine, data)
    with Session(engine) as s:
        agency = built.agency(s)
        for as_of in (built.frozen_at, utcnow()):
            for subtree in (False, True):
                ids = agency_ids(s, agency, subtree)
                lines = case_lines(s, ids, as_of)
                items = appeals.standings(s, ids, as_of)
                for year in YEARS:
                    first, last = date(year, 1, 1), date(year, 12, 31)
                    figures = report(s, agency, year, as_of, subtree).as_json()
                    rows = figures["requests"]["rows"]
                    assert list(rows) == list(cell_names.REQUEST_ROWS)
                    cells = drilldown.request_cells(lines, first, last)
                    for row, numbers in rows.items():
                        for column, number in zip(COLUMNS, numbers, strict=True):
                            assert len(cells.get((row, column), [])) == number, (year, row, column)
                    behind = drilldown.appeal_cells(items, first, last)
                    for kind, group in figures["appeals"].items():
                        for result, number in group.items():
                            assert len(behind.get((kind, result), [])) == number, (year, kind)
        # the doors the API and the CLI call: one drawn cell of each table
        year, subtree = data.draw(st.sampled_from(YEARS)), data.draw(st.booleans())
        now = utcnow()
        figures = report(s, agency, year, now, subtree).as_json()
        row = data.draw(st.sampled_from(cell_names.REQUEST_ROWS))
        column = data.draw(st.sampled_from(COLUMNS))
        cell = drilldown.request_cell(s, agency, year, now, row, column, subtree)
        expected = figures["requests"]["rows"][row][COLUMNS.index(column)]
        assert cell.as_json()["count"] == len(cell.cases) == expected
        kind = data.draw(st.sampled_from(list(appeals.KINDS)))
        result = data.draw(st.sampled_from(appeals.RESULT_COLUMNS))
        found = drilldown.appeal_cell(s, agency, year, now, kind, result, subtree)
        assert len(found.appeals) == figures["appeals"][kind][result]


HISTORY = {
    "agency": {"code": "dd", "name": "某局"},
    "cases": [
        {"ref": "2024-001", "applicant": {"kind": "natural_person", "name": "张三",
         "id_number": "110101199003070011", "phone": "13800000000", "address": "某路1号"},
         "channel": "online", "received_on": "2024-03-04", "request": "申请公开某文件",
         "actions": [{"on": "2024-03-15", "action": "reply", "outcome": "partially_disclosed"}],
         "appeals": [{"kind": "reconsideration", "filed_on": "2024-04-01", "result": "upheld",
                      "decided_on": "2024-06-03"}]},
        {"ref": "2024-002", "applicant": {"kind": "commercial_enterprise", "name": "某公司"},
         "channel": "post", "received_on": "2024-12-16", "request": "申请公开某合同"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def agency_dd(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with module_engine(request, tmp_path_factory.mktemp("drilldown")) as engine:
        with unit_of_work(engine) as s:
            replay(s, parse(HISTORY), END, END)
        yield engine


def test_a_listed_case_names_its_reference_dates_and_outcome_but_no_personal_data(
    agency_dd: Engine,
) -> None:
    with Session(agency_dd) as s:
        agency = directory.agency_by_code(s, "dd")
        cell = drilldown.request_cell(s, agency, 2024, utcnow(), "（二）部分公开", "自然人")
    data = cell.as_json()
    assert data["row"] == cell_names.REQUEST_ROWS[3] and data["column"] == "natural_person"
    assert data["cases"] == [{"id": data["cases"][0]["id"], "ref": "2024-001", "agency": "dd",
                              "received_on": "2024-03-04", "concluded_on": "2024-03-15",
                              "outcome": data["row"], "applicant_kind": "natural_person"}]  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    for personal in ("张三", "110101199003070011", "13800000000", "某路1号"):
        assert personal not in text


def test_the_appeal_behind_a_cell_names_its_case(agency_dd: Engine) -> None:
    with Session(agency_dd) as s:
        agency = directory.agency_by_code(s, "dd")
        cell = drilldown.appeal_cell(s, agency, 2024, utcnow(), "行政复议", "结果维持")
    [line] = cell.as_json()["appeals"]
    assert (line["case_ref"], line["filed_on"], line["decided_on"], line["result"]) == (
        "2024-001",
        "2024-04-01",
        "2024-06-03",
        "upheld",
    )


def test_a_case_still_open_is_listed_in_the_carry_out_cell(agency_dd: Engine) -> None:
    with Session(agency_dd) as s:
        agency = directory.agency_by_code(s, "dd")
        cell = drilldown.request_cell(s, agency, 2024, utcnow(), "carried_out", "total")
    assert [(c.ref, c.outcome, c.concluded_on) for c in cell.cases] == [("2024-002", None, None)]


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("（二）部分公开", 3),
        ("(二)部分公开", 3),
        ("部分公开", 3),
        ("（三）不予公开 1.属于国家秘密", 4),
        ("1.属于国家秘密", 4),
        ("（三）1.属于国家秘密", 4),
        ("（七）总计", -2),
        ("一、本年新收政府信息公开申请数量", 0),
    ],
)
def test_a_row_may_be_named_by_its_printed_label(name: str, index: int) -> None:
    assert cell_names.request_row(name) == cell_names.REQUEST_ROWS[index]


def test_columns_kinds_and_results_may_be_named_by_their_printed_labels() -> None:
    assert cell_names.request_column("自然人") == "natural_person"
    assert cell_names.request_column("总计") == "total"
    assert cell_names.appeal_kind("复议后起诉") == "litigation_after_reconsideration"
    assert cell_names.appeal_kind("行政诉讼（未经复议直接起诉）") == "litigation_direct"
    assert cell_names.appeal_result("尚未审结") == "pending"


def test_an_unknown_row_is_not_found_and_lists_the_codes() -> None:
    with pytest.raises(NotFound) as caught:
        cell_names.request_row("（八）其他")
    message = str(caught.value)
    assert "（八）其他" in message and "carried_out" in message and "表三的行" in message


def test_a_column_name_is_not_a_row_name() -> None:
    with pytest.raises(NotFound):
        cell_names.request_row("自然人")
