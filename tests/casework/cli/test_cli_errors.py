"""What every command does on a database where `casework init` never ran, usage errors from
the command-line parser, and `casework workflow diagram`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from casework import settings as settings_module
from tests.casework.cli.cli_support import (
    NO_DATABASE,
    SAMPLE_2023,
    CliRunner,
    assert_clean_error,
    table_names,
)
from workflows.actions import ACTIONS
from workflows.states import State

NEEDS_INIT: dict[str, tuple[str, ...]] = {
    "case_list": ("case", "list"),
    "case_show": ("case", "show", "2026-001"),
    "case_act": ("case", "act", "2026-001", "reply", "--outcome", "disclosed", "--as", "wang"),
    "case_register": (
        "case", "register", "--agency", "zhz", "--applicant", "张三", "--channel", "in_person",
        "--received-on", "2026-11-20", "--request", "x", "--as", "wang",
    ),
    "replay": ("replay", str(SAMPLE_2023)),
    "timers_run": ("timers", "run"),
    "timers_list": ("timers", "list"),
    "timers_rebuild": ("timers", "rebuild"),
    "calendar_set": ("calendar", "set", "2025-10-09", "off", "--source", "x"),
    "calendar_confirm": ("calendar", "confirm", "2027", "--source", "x"),
    "agency_add": ("agency", "add", "zhz", "某街道"),
    "agency_list": ("agency", "list"),
    "user_add": ("user", "add", "wang"),
    "user_list": ("user", "list"),
}  # fmt: skip


def _still_uninitialised(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        assert not Path(parsed.database).exists()
    else:
        assert table_names(url) == []


@pytest.mark.parametrize("name", list(NEEDS_INIT))
def test_command_before_init_asks_for_init(cli: CliRunner, fresh_db: str, name: str) -> None:
    assert_clean_error(cli(*NEEDS_INIT[name]), "请先运行 casework init")


@pytest.mark.parametrize("name", list(NEEDS_INIT))
def test_command_before_init_writes_nothing(cli: CliRunner, fresh_db: str, name: str) -> None:
    cli(*NEEDS_INIT[name])
    _still_uninitialised(fresh_db)


def test_init_on_a_fresh_database_makes_it_usable(cli: CliRunner, fresh_db: str) -> None:
    assert cli("init").code == 0
    result = cli("case", "list")
    assert result.code == 0, result
    assert result.out.strip() == "共 0 件"


def test_deadline_works_before_init(cli: CliRunner, fresh_db: str) -> None:
    result = cli("deadline", "2024-09-27", "--days", "7")
    assert result.code == 0, result
    assert "2024-10-12" in result.out


def test_workflow_diagram_works_before_init(cli: CliRunner, fresh_db: str) -> None:
    assert cli("workflow", "diagram").code == 0


# --- workflow diagram -------------------------------------------------------------------------


@NO_DATABASE
def test_workflow_diagram_is_mermaid(cli: CliRunner) -> None:
    result = cli("workflow", "diagram")
    assert result.code == 0, result
    assert result.out.splitlines()[0] == "stateDiagram-v2"
    assert result.err == ""


@NO_DATABASE
@pytest.mark.parametrize("state", list(State))
def test_workflow_diagram_has_every_state(cli: CliRunner, state: State) -> None:
    lines = cli("workflow", "diagram").out.splitlines()
    assert f"    {state.value} : {state.value} {state.label}" in lines
    assert any(f"--> {state.value} :" in line for line in lines), state


@NO_DATABASE
def test_workflow_diagram_has_every_action(cli: CliRunner) -> None:
    out = cli("workflow", "diagram").out
    missing = [spec.name for spec in ACTIONS if f" : {spec.name} " not in out]
    assert missing == []


@NO_DATABASE
def test_workflow_actions_lists_roles(cli: CliRunner) -> None:
    result = cli("workflow", "actions")
    assert result.code == 0, result
    assert any(
        line.startswith("extend（延期答复）  权限：负责人") for line in result.out.splitlines()
    )


# --- the parser's own errors: Chinese, exit 2, no traceback -----------------------------------

USAGE_ERRORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "unknown_command": (("frobnicate",), ("frobnicate",)),
    "unknown_subcommand": (("case", "frobnicate"), ("frobnicate",)),
    "unknown_option": (("deadline", "2024-09-27", "--days", "7", "--bogus"), ("--bogus",)),
    "option_without_value": (("deadline", "2024-09-27", "--days"), ("--days",)),
    "missing_argument": (("deadline", "--days", "7"), ("FROM_DATE",)),
    "missing_option": (("calendar", "set", "2025-10-09", "off"), ("--source",)),
    "extra_argument": (("deadline", "2024-09-27", "extra", "--days", "7"), ("extra",)),
    "not_an_integer": (("case", "act", "2026-001", "reply", "--expected-version", "x"), ("--expected-version", "整数")),
}  # fmt: skip


@NO_DATABASE
@pytest.mark.parametrize("name", list(USAGE_ERRORS))
def test_usage_error_is_one_chinese_line(cli: CliRunner, name: str) -> None:
    args, names = USAGE_ERRORS[name]
    line = assert_clean_error(cli(*args), *names, code=2)
    assert "--help" in line


@NO_DATABASE
def test_no_arguments_prints_help(cli: CliRunner) -> None:
    result = cli()
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert "政府信息公开申请办理系统" in result.out


@NO_DATABASE
def test_help_exits_0(cli: CliRunner) -> None:
    result = cli("deadline", "--help")
    assert result.code == 0
    assert "计算工作日期限" in result.out


# --- settings from the environment ------------------------------------------------------------


@pytest.mark.parametrize("command", [("case", "list"), ("deadline", "2024-09-27", "--days", "7")])
def test_bad_today_setting_is_one_chinese_line(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    cli_env.setenv("CASEWORK_TODAY", "someday")
    settings_module.get_settings.cache_clear()
    assert_clean_error(cli(*command), "CASEWORK_TODAY", code=2)


@NO_DATABASE
@pytest.mark.parametrize("url", ["not a url", "postgresql://u:secret@host:port/db", "mysql://h/db"])
def test_unusable_database_url_is_one_chinese_line(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, url: str
) -> None:
    cli_env.setenv("CASEWORK_DATABASE_URL", url)
    settings_module.get_settings.cache_clear()
    line = assert_clean_error(cli("case", "list"), "CASEWORK_DATABASE_URL", code=2)
    assert "secret" not in line
