"""`casework timers sweep`, `casework inbox`, `casework notify` and the reminder policy of
`casework agency set`."""

from __future__ import annotations

import pytest

from casework import settings as settings_module
from tests.casework.cli.cli_support import CliRunner, assert_clean_error


def _at(cli_env: pytest.MonkeyPatch, day: str, clock: str) -> None:
    cli_env.setenv("CASEWORK_TODAY", day)
    cli_env.setenv("CASEWORK_NOW", f"{day}T{clock}:00+08:00")
    settings_module.get_settings.cache_clear()


def test_a_swept_reminder_lands_in_the_handlers_inbox(
    office: CliRunner, cli_env: pytest.MonkeyPatch
) -> None:
    # case 2026-001, received 2026-11-20: reply due 2026-12-18, 5 working days ahead 12-11
    assert office("case", "act", "2026-001", "assign", "--handler", "wang", "--as", "li").code == 0
    _at(cli_env, "2026-12-11", "08:59")
    early = office("timers", "sweep")
    assert early.code == 0, early
    assert "提前" not in office("inbox", "--as", "wang").out
    _at(cli_env, "2026-12-11", "09:00")
    swept = office("timers", "sweep")
    assert swept.code == 0 and "已执行 1" in swept.out, swept
    box = office("inbox", "--as", "wang")
    assert box.code == 0 and "2026-001 答复期限还剩5个工作日（2026-12-18 到期）" in box.out, box
    assert office("inbox", "--as", "li").out.strip() == "没有未读通知"  # the handler only
    number = box.out.split("#", 1)[1].split(" ", 1)[0]
    assert office("inbox", "read", number, "--as", "wang").code == 0
    assert office("inbox", "--as", "wang").out.strip() == "没有未读通知"
    assert "答复期限还剩5个工作日" in office("inbox", "--as", "wang", "--all").out
    assert_clean_error(office("inbox", "read", number, "--as", "li"), number)  # not li's
    assert_clean_error(office("inbox"), "--as")


def test_a_webhook_that_cannot_be_reached_is_recorded_with_its_error(
    office: CliRunner, cli_env: pytest.MonkeyPatch
) -> None:
    set_hook = office("agency", "set", "zhz", "--webhook", "http://127.0.0.1:9/hook")
    assert set_hook.code == 0 and "http://127.0.0.1:9/hook" in set_hook.out, set_hook
    _at(cli_env, "2026-12-11", "09:30")
    swept = office("timers", "sweep")
    assert swept.code == 0 and "通知发送：待发送 1" in swept.out, swept
    listed = office("notify", "list", "--status", "pending")
    assert listed.code == 0 and "webhook http://127.0.0.1:9/hook" in listed.out, listed
    assert "错误：ConnectError" in listed.out
    assert_clean_error(office("notify", "list", "--status", "lost"), "--status")


def test_the_reminder_policy_is_set_per_agency(office: CliRunner) -> None:
    result = office("agency", "set", "zhz", "--remind-before", "3,1", "--remind-at", "08:30")
    assert result.code == 0 and "提前 3,1 个工作日及到期日 08:30 提醒" in result.out, result
    listed = office("timers", "list").out
    assert "2026-12-15 08:30 案件 2026-001：答复期限 2026-12-18 — 提前3个工作日提醒" in listed
    assert "提前5个工作日" not in listed
    assert_clean_error(office("agency", "set", "zhz", "--remind-before", "五"), "提醒天数")
    assert_clean_error(office("agency", "set", "zhz", "--remind-at", "9点"), "提醒时刻")
    assert_clean_error(office("agency", "set", "zhz", "--webhook", "ftp://x"), "webhook")


def test_one_sweep_takes_every_due_timer_a_batch_at_a_time(
    office: CliRunner, cli_env: pytest.MonkeyPatch
) -> None:
    """`timers sweep` (e.g. from cron) claims batch after batch until nothing due is left."""
    cli_env.setenv("CASEWORK_SWEEP_BATCH", "1")
    _at(cli_env, "2026-12-21", "09:00")  # a working day after the reply was due (2026-12-18)
    swept = office("timers", "sweep")
    assert swept.code == 0, swept
    # the overdue escalation fires; the reply's and the correction notice's earlier reminders
    # are past (a worker would have sent them on their day): eight claimed one at a time
    assert "定时器 8 个（已执行 1，已过时跳过 7）" in swept.out, swept
    assert office("timers", "sweep").out.startswith("定时器 0 个")
    assert "已逾期" in office("inbox", "--as", "li").out
