"""`casework calendar show YEAR` and `casework calendar set DATE off|work --source TEXT
[--agency CODE]`: overrides move the deadlines of open cases (DESIGN §3.2, §2.3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.casework.cli.cli_support import (
    CliRunner,
    HistoryWriter,
    assert_clean_error,
    count_rows,
    db_state,
    deadline_of,
    show_json,
)

# Received Fri 2025-09-26: +20 WD is Thu 2025-10-30 (DESIGN §3.2); Thu 2025-10-09 is a working
# day, so making it a day off moves the due day to Fri 2025-10-31.
RECEIVED = "2025-09-26"
DUE, MOVED = "2025-10-30", "2025-10-31"


def _open_case(ref: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "applicant": {"kind": "natural_person", "name": "申请人"},
        "channel": "in_person",
        "received_on": RECEIVED,
        "request": "申请公开某文件",
        "actions": [],
    }


@pytest.fixture
def one_open_case(cli: CliRunner, history: HistoryWriter) -> CliRunner:
    assert cli("replay", str(history([_open_case("2025-050")]))).code == 0
    return cli


@pytest.fixture
def two_agencies(cli: CliRunner, history: HistoryWriter) -> CliRunner:
    for code in ("aaa", "bbb"):
        path = history([_open_case(f"{code}-1")], agency={"code": code, "name": f"机关{code}"})
        assert cli("replay", str(path)).code == 0
    return cli


def test_set_off_moves_an_open_case_deadline(one_open_case: CliRunner) -> None:
    assert deadline_of(show_json(one_open_case, "2025-050"))["due"] == DUE
    result = one_open_case("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    assert result.code == 0, result
    assert deadline_of(show_json(one_open_case, "2025-050"))["due"] == MOVED


def test_set_off_prints_the_moved_deadline(one_open_case: CliRunner) -> None:
    result = one_open_case("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    assert result.code == 0, result
    assert "2025-10-09（周四） 为休息日" in result.out
    assert f"案件 2025-050 reply：{DUE} → {MOVED}" in result.out


def test_derivation_names_the_override_source(one_open_case: CliRunner) -> None:
    one_open_case("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    derivation = deadline_of(show_json(one_open_case, "2025-050"))["derivation"]
    assert any("2025-10-09" in line and "测试通知" in line for line in derivation), derivation


def test_recompute_bumps_no_version_and_appends_no_event(one_open_case: CliRunner) -> None:
    before = show_json(one_open_case, "2025-050")
    one_open_case("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    after = show_json(one_open_case, "2025-050")
    assert after["version"] == before["version"]
    assert after["events"] == before["events"]
    assert count_rows("calendar_audit") >= 1


def test_set_work_on_a_holiday_brings_the_deadline_forward(one_open_case: CliRunner) -> None:
    result = one_open_case("calendar", "set", "2025-10-08", "work", "--source", "测试通知")
    assert result.code == 0, result
    assert deadline_of(show_json(one_open_case, "2025-050"))["due"] == "2025-10-29"


def test_set_changes_the_deadline_command_too(one_open_case: CliRunner) -> None:
    one_open_case("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    result = one_open_case("deadline", RECEIVED, "--days", "20", "--json")
    assert json.loads(result.out)["due"] == MOVED


def test_agency_override_moves_only_that_agencys_case(two_agencies: CliRunner) -> None:
    result = two_agencies(
        "calendar", "set", "2025-10-09", "off", "--source", "民族节日", "--agency", "aaa"
    )
    assert result.code == 0, result
    assert "机关 aaa" in result.out
    assert deadline_of(show_json(two_agencies, "aaa-1"))["due"] == MOVED
    assert deadline_of(show_json(two_agencies, "bbb-1"))["due"] == DUE


def test_agency_override_applies_to_that_agencys_deadline_command(
    two_agencies: CliRunner,
) -> None:
    two_agencies("calendar", "set", "2025-10-09", "off", "--source", "民族节日", "--agency", "aaa")

    def due(*agency: str) -> str:
        result = two_agencies("deadline", RECEIVED, "--days", "20", "--json", *agency)
        assert result.code == 0, result
        return str(json.loads(result.out)["due"])

    assert (due("--agency", "aaa"), due("--agency", "bbb"), due()) == (MOVED, DUE, DUE)


def test_bad_kind_exits_2_and_writes_nothing(one_open_case: CliRunner) -> None:
    before = db_state()
    result = one_open_case("calendar", "set", "2025-10-09", "holiday", "--source", "x")
    assert_clean_error(result, "off", "work", code=2)
    assert db_state() == before


def test_empty_source_is_refused_and_writes_nothing(one_open_case: CliRunner) -> None:
    before = db_state()
    assert_clean_error(one_open_case("calendar", "set", "2025-10-09", "off", "--source", " "))
    assert db_state() == before


def test_unknown_agency_is_refused_and_writes_nothing(one_open_case: CliRunner) -> None:
    before = db_state()
    result = one_open_case(
        "calendar", "set", "2025-10-09", "off", "--source", "x", "--agency", "nope"
    )
    assert_clean_error(result, "nope")
    assert db_state() == before


def test_set_outside_the_supported_range_is_refused(cli: CliRunner) -> None:
    before = db_state()
    assert_clean_error(cli("calendar", "set", "2100-01-04", "off", "--source", "x"), "2099-12-31")
    assert db_state() == before


def test_set_bad_date_exits_2(cli: CliRunner) -> None:
    assert_clean_error(cli("calendar", "set", "2025-02-30", "off", "--source", "x"), code=2)


def test_show_2024_lists_the_make_up_saturday(cli: CliRunner) -> None:
    result = cli("calendar", "show", "2024")
    assert result.code == 0, result
    assert "已公布" in result.out.splitlines()[0]
    line = next(line for line in result.out.splitlines() if "2024-10-12" in line)
    assert "上班" in line and "调休" in line, line


def test_show_2024_as_json(cli: CliRunner) -> None:
    result = cli("calendar", "show", "2024", "--json")
    data = json.loads(result.out)
    assert data["provisional"] is False
    assert {"date": "2024-10-12", "workday": True, "reason": "国庆节调休上班"} in data["days"]


def test_show_2027_says_provisional(cli: CliRunner) -> None:
    result = cli("calendar", "show", "2027")
    assert result.code == 0, result
    assert "暂定" in result.out.splitlines()[0]
    assert json.loads(cli("calendar", "show", "2027", "--json").out)["provisional"] is True


def test_show_lists_an_override(cli: CliRunner) -> None:
    cli("calendar", "set", "2025-10-09", "off", "--source", "测试通知")
    line = next(x for x in cli("calendar", "show", "2025").out.splitlines() if "2025-10-09" in x)
    assert "休息" in line and "测试通知" in line, line


@pytest.mark.parametrize("year", ["2003", "2100"])
def test_show_outside_the_supported_range_is_refused(cli: CliRunner, year: str) -> None:
    assert_clean_error(cli("calendar", "show", year), "2004-01-01")


def test_show_year_not_a_number_exits_2(cli: CliRunner) -> None:
    assert_clean_error(cli("calendar", "show", "next"), code=2)


def test_confirm_makes_2027_dates_final(cli: CliRunner) -> None:
    result = cli("calendar", "confirm", "2027", "--source", "国办发明电〔2026〕X号")
    assert result.code == 0, result
    data = json.loads(cli("deadline", "2026-12-10", "--days", "20", "--json").out)
    assert data["provisional"] is False
    assert "已公布" in cli("calendar", "show", "2027").out.splitlines()[0]
