"""`casework timers run [--until DATE]` and `casework timers list`: expiries the law defines
(DESIGN §3.3, §4) applied through the same door as a clerk."""

from __future__ import annotations

import pytest

from tests.casework.cli.cli_support import CliRunner, assert_clean_error, db_state, show_json

REF = "2026-050"  # received 2026-10-14; correction requested 2026-10-16 for 10 WD → 2026-10-30


@pytest.fixture
def correction_pending(office: CliRunner) -> CliRunner:
    steps = [
        (
            "case", "register", "--agency", "zhz", "--applicant", "赵某", "--channel", "online",
            "--received-on", "2026-10-14", "--request", "申请公开相关材料", "--ref", REF,
            "--as", "wang",
        ),
        (
            "case", "act", REF, "request_correction", "--period-wd", "10",
            "--items", "请明确所需信息的名称", "--on", "2026-10-16", "--as", "wang",
        ),
    ]  # fmt: skip
    for step in steps:
        result = office(*step)
        assert result.code == 0, (step, result)
    return office


def test_list_shows_the_pending_expiry(correction_pending: CliRunner) -> None:
    result = correction_pending("timers", "list")
    assert result.code == 0, result
    assert (
        f"2026-10-31 00:00 案件 {REF}：申请人补正期限 2026-10-30 — 逾期未补正（视为放弃申请）"
        "（correction_deadline_passed）"
    ) in result.out
    assert "2026-12-18 09:00 案件 2026-001：答复期限 2026-12-18 — 到期当日提醒" in result.out


def test_run_closes_a_correction_never_returned(correction_pending: CliRunner) -> None:
    result = correction_pending("timers", "run", "--until", "2026-11-02")
    assert result.code == 0, result
    detail = show_json(correction_pending, REF)
    assert (detail["state"], detail["outcome"]) == ("closed", "other.correction_not_submitted")


def test_run_records_the_expiry_as_the_systems_on_the_day_after(
    correction_pending: CliRunner,
) -> None:
    correction_pending("timers", "run", "--until", "2026-11-02")
    last = show_json(correction_pending, REF)["events"][-1]
    assert (last["action"], last["actor_kind"], last["on"]) == (
        "correction_deadline_passed",
        "system",
        "2026-10-31",
    )


def test_run_prints_what_it_applied(correction_pending: CliRunner) -> None:
    result = correction_pending("timers", "run", "--until", "2026-11-02")
    assert "已处理 1 项到期事项（截至 2026-11-02）" in result.out
    assert (
        f"2026-10-31 案件 {REF}：逾期未补正（视为放弃申请）（correction_deadline_passed）"
        in result.out
    )


def test_run_defaults_to_today(correction_pending: CliRunner) -> None:
    assert correction_pending("timers", "run").code == 0
    assert show_json(correction_pending, REF)["state"] == "closed"


def test_run_before_the_expiry_day_changes_nothing(correction_pending: CliRunner) -> None:
    before = db_state()
    result = correction_pending("timers", "run", "--until", "2026-10-30")
    assert result.code == 0, result
    assert "已处理 0 项" in result.out
    assert db_state() == before


def test_run_twice_changes_nothing_the_second_time(correction_pending: CliRunner) -> None:
    correction_pending("timers", "run", "--until", "2026-11-02")
    before = db_state()
    result = correction_pending("timers", "run", "--until", "2026-11-02")
    assert result.code == 0, result
    assert "已处理 0 项" in result.out
    assert db_state() == before


def test_returned_correction_is_not_expired(correction_pending: CliRunner) -> None:
    result = correction_pending(
        "case", "act", REF, "receive_correction", "--on", "2026-10-28", "--as", "wang"
    )
    assert result.code == 0, result
    assert correction_pending("timers", "run").code == 0
    assert show_json(correction_pending, REF)["state"] == "received"


def test_until_after_today_is_refused_and_writes_nothing(correction_pending: CliRunner) -> None:
    before = db_state()
    result = correction_pending("timers", "run", "--until", "2026-11-27")
    assert_clean_error(result, "--until", "2026-11-27", "2026-11-26")
    assert db_state() == before


def test_until_not_a_date_exits_2(correction_pending: CliRunner) -> None:
    before = db_state()
    assert_clean_error(correction_pending("timers", "run", "--until", "2026-11-31"), code=2)
    assert db_state() == before


def test_rebuild_changes_nothing_when_nothing_moved(correction_pending: CliRunner) -> None:
    result = correction_pending("timers", "rebuild")
    assert result.code == 0, result
    assert "0 个期限发生变化" in result.out
