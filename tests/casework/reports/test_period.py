"""Any period's statistics (internal monitoring): the period named by a month, a quarter or its
ends; over random histories every column balances, consecutive periods chain, the months of a
year add up to the year and a year as a period is the year's report; always marked as not the
statutory report."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from casework.errors import Invalid
from casework.reports import period
from casework.reports.standings import case_lines
from casework.services import appeals
from casework.statistics.figures import COLUMNS, RequestTable, agency_ids, compute_period, report
from casework.timeutil import utcnow
from tests.casework.reports.random_agency import YEARS, build

DECIDED = ("upheld", "corrected", "other")


def _rows(table: RequestTable) -> dict[str, list[int]]:
    return {"new": table.new, "carried_in": table.carried_in, **table.outcomes,
            "concluded_total": table.concluded_total, "carried_out": table.carried_out}  # fmt: skip


def _month_ends(year: int) -> list[tuple[date, date]]:
    firsts = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    return [(a, b - timedelta(days=1)) for a, b in itertools.pairwise(firsts)]


def _balances(table: RequestTable) -> bool:
    return all(
        table.new[c] + table.carried_in[c] == table.concluded_total[c] + table.carried_out[c]
        for c in range(len(COLUMNS))
    )


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_periods_balance_chain_and_add_up_to_the_year(engine: Engine, data: st.DataObject) -> None:
    built = build(engine, data)
    subtree = data.draw(st.booleans())
    now = utcnow()
    with Session(engine) as s:
        agency = built.agency(s)
        ids = agency_ids(s, agency, subtree)
        standings = [line.standing for line in case_lines(s, ids, now)]
        items = appeals.standings(s, ids, now)
        for year in YEARS:
            months = [compute_period(standings, a, b) for a, b in _month_ends(year)]
            whole = report(s, agency, year, now, subtree)
            assert all(_balances(m) for m in months)
            for earlier, later in itertools.pairwise(months):
                assert earlier.carried_out == later.carried_in  # 四 of one = 二 of the next
            assert months[0].carried_in == whole.requests.carried_in
            assert months[-1].carried_out == whole.requests.carried_out
            for row, numbers in _rows(whole.requests).items():
                if row not in ("carried_in", "carried_out"):  # 一 and 三 add up
                    summed = [sum(_rows(m)[row][c] for m in months) for c in range(len(COLUMNS))]
                    assert summed == numbers, (year, row)
            tables = [appeals.table_for_period(items, a, b) for a, b in _month_ends(year)]
            for kind, group in whole.appeals.items():
                for decided in DECIDED:
                    assert sum(t[kind][decided] for t in tables) == group[decided]
                assert tables[-1][kind]["pending"] == group["pending"]
        # the door the API and the CLI call: a year as a period is the year
        year = data.draw(st.sampled_from(YEARS))
        span = period.parse_period(first=f"{year}-01-01", last=f"{year}-12-31")
        result = period.period_report(s, agency, span, now, subtree)
        whole = report(s, agency, year, now, subtree)
        assert result.rows() == _rows(whole.requests) and result.appeals == whole.appeals
    # any cut of a span into consecutive periods chains, and each balances
    cuts = sorted(set(data.draw(st.lists(st.integers(1, 1450), max_size=6))))
    ends = [date(2023, 1, 1) + timedelta(days=d) for d in (0, *cuts, 1460)]
    pieces = [
        compute_period(standings, a, b - timedelta(days=1)) for a, b in itertools.pairwise(ends)
    ]
    assert all(_balances(p) for p in pieces)
    for earlier, later in itertools.pairwise(pieces):
        assert earlier.carried_out == later.carried_in


@pytest.mark.parametrize(
    ("given_", "first", "last", "label"),
    [
        ({"month": "2024-03"}, date(2024, 3, 1), date(2024, 3, 31), "2024年3月"),
        ({"month": "2024-02"}, date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ({"quarter": "2024Q1"}, date(2024, 1, 1), date(2024, 3, 31), "2024年第一季度"),
        ({"quarter": "2023-q4"}, date(2023, 10, 1), date(2023, 12, 31), "2023年第四季度"),
        ({"first": "2024-03-05", "last": "2024-04-04"}, date(2024, 3, 5), date(2024, 4, 4), None),
        ({"first": "2020-01-01", "last": "2024-12-31"}, date(2020, 1, 1), date(2024, 12, 31), None),
    ],
)
def test_a_period_is_named_by_a_month_a_quarter_or_its_ends(
    given_: dict[str, str], first: date, last: date, label: str | None
) -> None:
    span = period.parse_period(**given_)
    assert (span.first, span.last) == (first, last)
    assert span.label == (label or f"{first}至{last}")


@pytest.mark.parametrize(
    ("given_", "field", "words"),
    [
        ({"month": "2024-13"}, "month", "月份“2024-13”无效"),
        ({"month": "2024/03"}, "month", "格式如 2024-03"),
        ({"quarter": "2024Q5"}, "quarter", "季度“2024Q5”无效"),
        ({"first": "2024-04-01", "last": "2024-03-31"}, "to", "早于开始日期"),
        ({"first": "2024-02-30", "last": "2024-03-31"}, "from", "日期“2024-02-30”无效"),
        ({"first": "2024-03-01"}, "to", "须同时给出"),
        ({"first": "2020-01-01", "last": "2025-01-01"}, "to", "不能超过 5 年"),
        ({"first": "2007-12-31", "last": "2008-01-31"}, "from", "2008—2099"),
        ({"month": "2024-03", "quarter": "2024Q1"}, "quarter", "一种方式"),
        ({}, "from", "一种方式"),
    ],
)
def test_a_bad_period_is_a_clear_chinese_error_naming_its_field(
    given_: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(Invalid) as caught:
        period.parse_period(**given_)
    assert words in str(caught.value)
    assert caught.value.field == field


def _empty() -> period.PeriodReport:
    return period.PeriodReport(
        agency="zhz",
        agency_name="某街道办事处",
        period=period.parse_period(month="2024-03"),
        as_of=datetime(2024, 4, 5, 2, 0, tzinfo=UTC),
        subtree=False,
        requests=RequestTable(),
        appeals=appeals.table_for_period([], date(2024, 3, 1), date(2024, 3, 31)),
    )


def test_the_json_says_it_is_not_the_statutory_report() -> None:
    data = _empty().as_json()
    assert data["statutory"] is False
    assert data["notice"] == "本统计为内部监测用，不是法定年度报告"
    assert (data["from"], data["to"], data["as_of"]) == ("2024-03-01", "2024-03-31",
                                                         "2024-04-05T02:00:00Z")  # fmt: skip


def test_the_text_prints_the_notice_first() -> None:
    lines = period.render_text(_empty()).splitlines()
    assert lines[0] == "【本统计为内部监测用，不是法定年度报告】"
    assert lines[2] == "某街道办事处2024年3月政府信息公开申请统计"
    header = lines[5].split("\t")
    assert header[1] == "自然人" and header[-1] == "总计"
    assert lines[6].split("\t") == ["一、本期新收申请", *["0"] * 7]
