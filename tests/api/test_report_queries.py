"""The drill-down, any period's statistics and the district roll-up through HTTP: the cases
behind a cell without personal data, cells named by code or by label, `/reports/period` not
taken for a year, clear problems for bad names and periods, and who may see a roll-up."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from casework.db import unit_of_work
from casework.models import ReportPublication
from casework.services import directory
from casework.timeutil import china_instant
from tests.api.conftest import Server, World, make_world, problem
from tests.api.test_cases import act, ok


@pytest.fixture(scope="module")
def busy(server: Server) -> World:
    """zhz: two cases of natural persons received 2026-11-20, one partly disclosed, and a
    reconsideration about it still pending. Built once per backend: the tests only read
    (one adds a publication of 2025, which no other test looks at)."""
    world = make_world(server)
    clerk = world.login("clerk")
    first = world.register(clerk)
    world.register(clerk)
    ok(act(clerk, first, "reply", {"outcome": "partially_disclosed"}))
    appeal = clerk.post("/api/v1/appeals", json={"agency": world.code("zhz"), "case_id": first["id"],
                        "kind": "reconsideration", "filed_on": "2026-11-24"})  # fmt: skip
    assert appeal.status_code == 201, appeal.text
    return world


def _get(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_cell_lists_its_cases_as_many_as_the_report_counts(busy: World) -> None:
    clerk, zhz = busy.login("clerk"), busy.code("zhz")
    answer = clerk.get("/api/v1/reports/2026/cells/partially_disclosed/natural_person",
                       params={"agency": zhz})  # fmt: skip
    assert answer.status_code == 200, answer.text
    cell = answer.json()
    figures = _get(clerk, "/api/v1/reports/2026", agency=zhz)
    assert cell["count"] == len(cell["cases"]) == figures["requests"]["rows"][cell["row"]][0] == 1
    assert set(cell["cases"][0]) == {"id", "ref", "agency", "received_on", "concluded_on",
                                     "outcome", "applicant_kind"}  # fmt: skip
    for personal in ("张三", "110101199003070011", "13800000000"):
        assert personal not in answer.text


def test_a_district_office_names_a_cell_by_its_printed_labels(busy: World) -> None:
    district = busy.login("district")
    path = f"/api/v1/reports/2026/cells/{quote('（二）部分公开')}/{quote('自然人')}"
    own = _get(district, path, agency=busy.code("zhz"))
    above = _get(district, path, agency=busy.code("qu"), subtree=True)
    assert [c["ref"] for c in above["cases"]] == [c["ref"] for c in own["cases"]]
    assert own["row_label"].startswith("（二）部分公开") and own["column_label"] == "自然人"
    assert [c["agency"] for c in above["cases"]] == [busy.code("zhz")]


def test_an_unknown_row_is_404_with_the_codes(busy: World) -> None:
    answer = busy.login("clerk").get(
        "/api/v1/reports/2026/cells/no_such_row/total", params={"agency": busy.code("zhz")}
    )
    detail = problem(answer, 404, "not-found")["detail"]
    assert "no_such_row" in detail and "carried_out" in detail


def test_an_appeal_cell_lists_the_pending_appeal_with_its_case(busy: World) -> None:
    cell = _get(busy.login("auditor"), "/api/v1/reports/2026/appeal-cells/reconsideration/pending",
                agency=busy.code("zhz"))  # fmt: skip
    assert [(a["case_ref"], a["filed_on"], a["decided_on"]) for a in cell["appeals"]] == [
        ("2026-001", "2026-11-24", None)
    ]


def test_the_period_route_is_not_taken_for_a_year(busy: World) -> None:
    data = _get(busy.login("clerk"), "/api/v1/reports/period", agency=busy.code("zhz"),
                month="2026-11")  # fmt: skip
    assert data["statutory"] is False and data["notice"] == "本统计为内部监测用，不是法定年度报告"
    assert (data["from"], data["to"]) == ("2026-11-01", "2026-11-30")
    assert data["requests"]["rows"]["new"][-1] == 2
    assert data["appeals"]["reconsideration"]["pending"] == 1


def test_the_period_as_text_prints_the_notice_first(busy: World) -> None:
    answer = busy.login("clerk").get("/api/v1/reports/period", params={
        "agency": busy.code("zhz"), "from": "2026-11-16", "to": "2026-11-22", "format": "text"})  # fmt: skip
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    assert answer.text.splitlines()[0] == "【本统计为内部监测用，不是法定年度报告】"


BAD_PERIODS = [
    ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
    ({"month": "2026-13"}, "month"),
    ({"quarter": "2026Q0"}, "quarter"),
    ({"from": "2020-01-01", "to": "2026-11-30"}, "to"),
    ({}, "from"),
]


def test_a_bad_period_is_a_422_naming_the_field(busy: World) -> None:
    clerk = busy.login("clerk")
    for params, field in BAD_PERIODS:
        answer = clerk.get("/api/v1/reports/period", params={"agency": busy.code("zhz"), **params})
        assert problem(answer, 422, "invalid")["errors"][0]["field"] == field, params


def test_the_rollup_lists_the_agencies_not_published_by_the_due_day(busy: World) -> None:
    with unit_of_work(busy.server.engine) as s:
        zhz = directory.agency_by_code(s, busy.code("zhz"))
        assert zhz.id is not None
        at = china_instant(date(2026, 2, 5), time(10))
        s.add(ReportPublication(agency_id=zhz.id, year=2025, as_of=at, content_hash="0" * 64,
                                published_by="t", published_at=at))  # fmt: skip
    data = _get(busy.login("district"), "/api/v1/reports/2025/rollup", agency=busy.code("qu"))
    assert [(a["agency"], a["status"]) for a in data["agencies"]] == [
        (busy.code("qu"), "overdue"), (busy.code("zhz"), "late")
    ]  # fmt: skip
    assert [(u["agency"], u["days_late"]) for u in data["unpublished"]] == [
        (busy.code("qu"), 299), (busy.code("zhz"), 5)
    ]  # fmt: skip


def test_a_rollup_is_seen_by_the_agencys_own_users_and_its_district_office(busy: World) -> None:
    clerk = busy.login("clerk")
    assert _get(clerk, "/api/v1/reports/2026/rollup", agency=busy.code("zhz"))["agencies"]
    problem(clerk.get("/api/v1/reports/2026/rollup", params={"agency": busy.code("qu")}), 404)
    above = _get(busy.login("district"), "/api/v1/reports/2026/rollup", agency=busy.code("zhz"))
    assert [a["status"] for a in above["agencies"]] == ["not_due"]  # due 2027-01-31
