"""`casework deadline FROM_DATE --days N [--json]` (DESIGN §3.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.casework.cli.cli_support import NO_DATABASE, CliRunner, assert_clean_error

JSON_KEYS = {"from", "days", "due", "provisional", "derivation"}


def test_make_up_saturday_is_the_answer_in_text(cli: CliRunner) -> None:
    result = cli("deadline", "2024-09-27", "--days", "7")
    assert result.code == 0, result
    first = result.out.splitlines()[0]
    assert "2024-10-12（周六）" in first
    assert "暂定" not in result.out


def test_text_answer_says_why_the_saturday_counts(cli: CliRunner) -> None:
    result = cli("deadline", "2024-09-27", "--days", "7")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert any("2024-10-12" in line and "调休上班" in line for line in lines), result.out
    assert any("国庆节放假" in line for line in lines), result.out


def test_make_up_saturday_as_json(cli: CliRunner) -> None:
    result = cli("deadline", "2024-09-27", "--days", "7", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert set(data) == JSON_KEYS
    assert data["from"] == "2024-09-27"
    assert data["days"] == 7
    assert data["due"] == "2024-10-12"
    assert data["provisional"] is False
    assert any("调休上班" in line for line in data["derivation"])


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2025-09-26", "7", "2025-10-13"),
        ("2025-09-26", "40", "2025-11-27"),
        ("2024-09-27", "20", "2024-10-30"),
        ("2024-02-08", "7", "2024-02-23"),
        ("2024-02-08", "40", "2024-04-11"),
    ],
)
def test_design_worked_examples(cli: CliRunner, start: str, days: str, due: str) -> None:
    result = cli("deadline", start, "--days", days, "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["due"] == due


def test_2027_answer_is_provisional_and_says_so(cli: CliRunner) -> None:
    result = cli("deadline", "2026-12-10", "--days", "20")
    assert result.code == 0, result
    first = result.out.splitlines()[0]
    assert "2027-01-08（周五）" in first
    assert "暂定" in first
    assert "尚未公布" in result.out


def test_2027_answer_as_json(cli: CliRunner) -> None:
    result = cli("deadline", "2026-12-10", "--days", "20", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert set(data) == JSON_KEYS
    assert data["due"] == "2027-01-08"
    assert data["provisional"] is True
    assert any("暂定" in line for line in data["derivation"])


@NO_DATABASE
@pytest.mark.parametrize("bad", ["2024-13-01", "2024-02-30", "yesterday", "2024-9-x"])
def test_bad_date_is_one_chinese_line(cli: CliRunner, bad: str) -> None:
    assert_clean_error(cli("deadline", bad, "--days", "7"), bad, code=2)


@NO_DATABASE
@pytest.mark.parametrize("days", ["401", "-1", "100000"])
def test_days_out_of_range_is_one_chinese_line(cli: CliRunner, days: str) -> None:
    assert_clean_error(cli("deadline", "2024-09-27", "--days", days), "--days", code=2)


@NO_DATABASE
def test_days_not_a_number_is_one_chinese_line(cli: CliRunner) -> None:
    line = assert_clean_error(cli("deadline", "2024-09-27", "--days", "seven"), "--days", code=2)
    assert "整数" in line


@NO_DATABASE
def test_missing_days_is_one_chinese_line(cli: CliRunner) -> None:
    assert_clean_error(cli("deadline", "2024-09-27"), "--days", code=2)


@pytest.mark.parametrize(
    ("start", "days"), [("2003-12-31", "5"), ("1999-01-01", "0"), ("2099-12-20", "20")]
)
def test_outside_2004_to_2099_is_one_chinese_line(cli: CliRunner, start: str, days: str) -> None:
    assert_clean_error(cli("deadline", start, "--days", days), "2004-01-01", "2099-12-31")


def test_edges_of_the_supported_range_are_answered(cli: CliRunner) -> None:
    assert cli("deadline", "2004-01-01", "--days", "0").code == 0
    assert cli("deadline", "2099-12-31", "--days", "0").code == 0


def test_works_before_init_and_creates_no_database(cli: CliRunner, fresh_db: str) -> None:
    result = cli("deadline", "2024-09-27", "--days", "7", "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["due"] == "2024-10-12"
    url = make_url(fresh_db)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        assert not Path(url.database).exists()


def test_agency_calendar_needs_init(cli: CliRunner, fresh_db: str) -> None:
    assert_clean_error(
        cli("deadline", "2024-09-27", "--days", "7", "--agency", "zhz"), "请先运行 casework init"
    )


def test_unknown_agency_is_refused(cli: CliRunner) -> None:
    assert_clean_error(cli("deadline", "2024-09-27", "--days", "7", "--agency", "nope"), "nope")
