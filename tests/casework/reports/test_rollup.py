"""A district's roll-up of 2024: one row per agency of the subtree (a merged agency inside the
row of the agency it joined), rows that add up to the total, and the agencies that did not
publish their annual report by the due day — the first revision's publication against the end
of that day, China time; the agency's own due day or the default.

The district (due 03-31, its own report as a government) has four agencies below it; the
education bureau has a school below it and absorbed the culture bureau on 2025-01-01."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.models import Agency, ReportPublication
from casework.reports.rollup import Rollup, Status, rollup
from casework.services import directory
from casework.services.replay import parse, replay
from casework.statistics.figures import report
from casework.timeutil import china_instant, end_of_china_day, utcnow
from tests.casework.reports.module_db import module_engine
from tests.casework.services.random_history import END
from tests.conftest import BACKENDS

YEAR = 2024
TODAY = date(2026, 11, 26)
AGENCIES: list[tuple[str, str, str | None, list[Any]]] = [  # code, name, parent, cases
    ("qu", "某区人民政府", None, [("Q1", "2024-05-06", "2024-05-20", "disclosed")]),
    ("jyj", "某区教育局", "qu", [("J1", "2024-12-20", None, None),
                                 ("J2", "2024-02-05", "2024-02-26", "withheld.state_secret")]),
    ("xx", "某区第一小学", "jyj", [("X1", "2023-12-18", "2024-01-10", "disclosed")]),
    ("whj", "某区文化局", "qu", [("W1", "2024-03-04", "2024-03-18", "partially_disclosed")]),
    ("wjw", "某区卫健委", "qu", [("H1", "2024-06-03", "2024-06-14", "unavailable.not_held")]),
    ("mzj", "某区民政局", "qu", []),
]  # fmt: skip
# a case: (ref, received, replied, outcome)
PUBLISHED = {  # code: the China-time instants of its revisions 1, 2 …
    "qu": [china_instant(date(2025, 3, 31), time(20))],
    "jyj": [china_instant(date(2025, 1, 20), time(10)), china_instant(date(2025, 6, 1), time(9))],
    "xx": [end_of_china_day(date(2025, 1, 31))],  # the last instant of the due day
    "wjw": [china_instant(date(2025, 2, 10), time(10)), china_instant(date(2025, 2, 20), time(9))],
}


def _history(code: str, name: str, parent: str | None, cases: list[Any]) -> dict[str, Any]:
    entries = []
    for ref, received, replied, outcome in cases:
        actions = [{"on": replied, "action": "reply", "outcome": outcome}] if replied else []
        entries.append({"ref": ref, "applicant": {"kind": "natural_person", "name": "张三"},
                        "channel": "online", "received_on": received, "request": "x",
                        "actions": actions})  # fmt: skip
    return {"agency": {"code": code, "name": name, "parent": parent}, "cases": entries}


@pytest.fixture(scope="module", params=BACKENDS)
def district(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with module_engine(request, tmp_path_factory.mktemp("rollup")) as engine:
        with unit_of_work(engine) as s:
            for code, name, parent, cases in AGENCIES:
                replay(s, parse(_history(code, name, parent, cases)), END, END)
            top = directory.agency_by_code(s, "qu")
            directory.place_agency(s, top, supervises_subtree=True)
            directory.set_report_due(s, top, "03-31")
            directory.merge_agency(
                s, directory.agency_by_code(s, "whj"), directory.agency_by_code(s, "jyj"),
                date(2025, 1, 1),
            )  # fmt: skip
            directory.ensure_agency(s, "elsewhere", "另一区某局")
            for code, instants in PUBLISHED.items():
                agency = directory.agency_by_code(s, code)
                assert agency.id is not None
                for revision, at in enumerate(instants, start=1):
                    s.add(ReportPublication(agency_id=agency.id, year=YEAR, revision=revision,
                                            as_of=at, figures={}, content_hash="0" * 64,
                                            published_by="t", published_at=at))  # fmt: skip
        yield engine


def _rollup(
    engine: Engine, as_of: datetime | None = None, today: date = TODAY, default: str = "01-31"
) -> Rollup:
    with Session(engine) as s:
        top = directory.agency_by_code(s, "qu")
        return rollup(s, top, YEAR, as_of or utcnow(), today, default)


def test_one_row_per_agency_of_the_subtree_in_tree_order(district: Engine) -> None:
    rows = _rollup(district).rows
    assert [(r.code, r.parent, r.depth) for r in rows] == [
        ("qu", None, 0), ("jyj", "qu", 1), ("xx", "jyj", 2), ("mzj", "qu", 1), ("wjw", "qu", 1)
    ]  # fmt: skip


def test_a_merged_agencys_cases_count_in_the_row_of_the_agency_it_joined(district: Engine) -> None:
    education = _rollup(district).rows[1]
    assert education.code == "jyj"
    assert (education.figures.new, education.figures.concluded_total) == (3, 2)
    assert education.figures.carried_out == 1  # J1, received 2024-12-20, never replied
    assert education.figures.groups == {"disclosed": 0, "partially_disclosed": 1, "withheld": 1,
                                        "unavailable": 0, "not_processed": 0, "other": 0}  # fmt: skip


def test_the_rows_add_up_to_the_total_which_is_the_subtrees_report(district: Engine) -> None:
    result = _rollup(district)
    total = result.total
    for name in ("new", "carried_in", "concluded_total", "carried_out"):
        assert sum(getattr(r.figures, name) for r in result.rows) == getattr(total, name)
    for group, n in total.groups.items():
        assert sum(r.figures.groups[group] for r in result.rows) == n
    with Session(district) as s:
        whole = report(s, directory.agency_by_code(s, "qu"), YEAR, result.as_of, subtree=True)
    assert (total.new, total.carried_in, total.carried_out) == (5, 1, 1)
    assert whole.requests.new[-1] == 5 and whole.requests.concluded_total[-1] == 5


def test_each_agency_is_checked_against_its_own_due_day(district: Engine) -> None:
    found = {r.code: (r.due, r.status, r.days_late) for r in _rollup(district).rows}
    assert found == {
        "qu": (date(2025, 3, 31), Status.ON_TIME, None),  # its own due day, 03-31
        "jyj": (date(2025, 1, 31), Status.ON_TIME, None),
        "xx": (date(2025, 1, 31), Status.ON_TIME, None),  # at the last instant of the day
        "wjw": (date(2025, 1, 31), Status.LATE, 10),
        "mzj": (date(2025, 1, 31), Status.OVERDUE, 664),
    }


def test_the_first_revision_decides_and_the_latest_is_shown(district: Engine) -> None:
    education = _rollup(district).rows[1]
    assert education.publication is not None
    assert education.publication.revision == 2
    assert education.publication.published_at == PUBLISHED["jyj"][1]
    assert education.publication.first_published_at == PUBLISHED["jyj"][0]


def test_the_unpublished_list_names_the_late_and_the_missing(district: Engine) -> None:
    data = _rollup(district).as_json()
    assert [(u["agency"], u["status"], u["days_late"]) for u in data["unpublished"]] == [
        ("mzj", "overdue", 664), ("wjw", "late", 10)
    ]  # fmt: skip
    assert data["unpublished"][0]["status_label"] == "逾期未发布"
    assert data["unpublished"][1]["publication"]["revision"] == 2


def test_the_default_due_day_is_a_setting(district: Engine) -> None:
    found = {r.code: (r.due, r.days_late) for r in _rollup(district, default="02-28").rows}
    assert found["mzj"] == (date(2025, 2, 28), 636)
    assert found["wjw"] == (date(2025, 2, 28), None)  # on time by then
    assert found["qu"] == (date(2025, 3, 31), None)  # its own due day stays


def test_before_the_due_day_nothing_is_late(district: Engine) -> None:
    early = _rollup(district, as_of=end_of_china_day(date(2025, 1, 15)))
    assert early.day == date(2025, 1, 15)
    assert {r.status for r in early.rows} == {Status.NOT_DUE}  # nothing published by then
    assert early.unpublished == []


@pytest.mark.parametrize("value", ["02-29", "13-01", "3-31", "0331", "03-32"])
def test_a_due_day_every_year_does_not_have_is_refused(value: str) -> None:
    agency = Agency(code="x", name="x")
    with Session() as unused, pytest.raises(Invalid) as caught:  # the check comes first
        directory.set_report_due(unused, agency, value)
    assert value in str(caught.value) and caught.value.field == "report_due"
    assert agency.report_due is None
