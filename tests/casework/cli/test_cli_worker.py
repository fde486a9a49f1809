"""`casework worker`, `casework beat`, `casework serve`: the Celery command each one runs
(casework never imports Celery), its state in the data folder, and clean refusals. The real
processes are exercised in tests/workers/test_processes.py."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from casework.cli import worker_cmd
from tests.casework.cli.cli_support import CliRunner, assert_clean_error

CELERY = [sys.executable, "-m", "celery", "-A", "workers.app"]


@pytest.fixture
def execs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the program a command would become instead of becoming it."""
    calls: list[list[str]] = []

    def execv(path: str, argv: list[str]) -> None:
        assert path == argv[0]
        calls.append(list(argv))
        raise SystemExit(0)

    monkeypatch.setattr(worker_cmd.os, "execv", execv)
    return calls


def _data(tmp_path: Path) -> Path:
    return (tmp_path / "data").resolve()  # CASEWORK_DATA_DIR of the cli fixture


def test_worker_without_broker_is_embedded_solo_with_beat(
    cli: CliRunner, execs: list[list[str]], tmp_path: Path
) -> None:
    result = cli("worker")
    assert result.code == 0, result
    (argv,) = execs
    data = _data(tmp_path)
    assert argv[:6] == [*CELERY, "worker"]
    assert argv[argv.index("--pool") + 1] == "solo"
    assert argv[argv.index("--pidfile") + 1] == str(data / "worker.pid")
    assert "--beat" in argv
    assert argv[argv.index("--schedule-filename") + 1] == str(data / "worker-celerybeat-schedule")
    assert data.is_dir()


def test_worker_no_beat(cli: CliRunner, execs: list[list[str]]) -> None:
    assert cli("worker", "--no-beat").code == 0
    assert "--beat" not in execs[0] and "--schedule-filename" not in execs[0]


def test_worker_with_broker_url_is_prefork_without_beat(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, execs: list[list[str]], tmp_path: Path
) -> None:
    cli_env.setenv("CASEWORK_BROKER_URL", "redis://127.0.0.1:6379/0")
    assert cli("worker", "--concurrency", "3").code == 0
    assert cli("worker", "--beat").code == 0
    plain, with_beat = execs
    assert plain[plain.index("--pool") + 1] == "prefork"
    assert plain[plain.index("--concurrency") + 1] == "3"
    assert "--beat" not in plain and "--pidfile" not in plain  # several workers may share a host
    schedule = with_beat[with_beat.index("--schedule-filename") + 1]
    assert schedule == str(_data(tmp_path) / "worker-celerybeat-schedule")


def test_embedded_worker_refuses_concurrency(cli: CliRunner, execs: list[list[str]]) -> None:
    result = cli("worker", "--concurrency", "4")
    assert_clean_error(result, "--concurrency", "CASEWORK_BROKER_URL", code=2)
    assert execs == []


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_an_unusable_broker_url_is_refused_without_echoing_it(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, execs: list[list[str]], command: str
) -> None:
    cli_env.setenv("CASEWORK_BROKER_URL", "redis:/secret@host")
    line = assert_clean_error(cli(command), "CASEWORK_BROKER_URL", code=2)
    assert "secret" not in line and execs == []


def test_worker_refuses_an_uninitialised_database(
    cli: CliRunner, fresh_db: str, execs: list[list[str]]
) -> None:
    assert_clean_error(cli("worker"), "casework init")
    assert execs == []


def test_beat_keeps_its_schedule_and_pidfile_in_the_data_folder(
    cli: CliRunner, execs: list[list[str]], tmp_path: Path
) -> None:
    assert cli("beat").code == 0
    (argv,) = execs
    data = _data(tmp_path)
    assert argv[:6] == [*CELERY, "beat"]
    assert argv[argv.index("--schedule") + 1] == str(data / "celerybeat-schedule")
    assert argv[argv.index("--pidfile") + 1] == str(data / "beat.pid")


def _supervised(monkeypatch: pytest.MonkeyPatch) -> list[list[worker_cmd.Child]]:
    seen: list[list[worker_cmd.Child]] = []

    def supervise(children: list[worker_cmd.Child]) -> int:
        seen.append(children)
        return 0

    monkeypatch.setattr(worker_cmd, "supervise", supervise)
    return seen


def test_serve_runs_the_api_and_the_embedded_worker_and_makes_the_first_admin(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _supervised(monkeypatch)
    first = cli("serve", "--port", "8123")
    assert first.code == 0, first
    ((api, worker),) = seen
    assert api.argv[1:5] == ["-m", "uvicorn", "api.app:create_app", "--factory"]
    assert api.argv[api.argv.index("--port") + 1] == "8123"
    assert api.argv[api.argv.index("--host") + 1] == "127.0.0.1"
    assert worker.argv[:6] == [*CELERY, "worker"] and "--beat" in worker.argv
    assert worker.argv[worker.argv.index("--pool") + 1] == "solo"
    assert "已创建首个管理员 admin" in first.out and "http://127.0.0.1:8123/docs" in first.out
    password = first.out.split("初始密码（仅显示这一次，请登录后修改）：")[1].split()[0]
    assert len(password) >= 12
    again = cli("serve", "--port", "8123")
    assert again.code == 0 and "首个管理员" not in again.out and password not in again.out
    users = cli("user", "list").out
    assert "admin（管理员）" in users and ":管理员" in users


def test_serve_takes_the_first_admins_password_from_the_environment(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    _supervised(monkeypatch)
    cli_env.setenv("CASEWORK_ADMIN_PASSWORD", "from-the-env-1")
    done = cli("serve")
    assert done.code == 0 and "初始密码为环境变量 CASEWORK_ADMIN_PASSWORD 的值" in done.out
    assert "from-the-env-1" not in done.out


def test_serve_with_a_broker_url_runs_the_api_only(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env.setenv("CASEWORK_BROKER_URL", "redis://127.0.0.1:6379/0")
    seen = _supervised(monkeypatch)
    assert cli("serve").code == 0
    ((api,),) = seen
    assert "uvicorn" in api.argv


def _sleeper(seconds: float = 60) -> worker_cmd.Child:
    return worker_cmd.Child(
        "测试子进程", [sys.executable, "-c", f"import time; time.sleep({seconds})"]
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_supervise_forwards_a_stop_signal_to_every_child(
    signum: int, capsys: pytest.CaptureFixture[str]
) -> None:
    before = signal.getsignal(signum)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signum))
    timer.start()
    started = time.monotonic()
    try:
        code = worker_cmd.supervise([_sleeper(), _sleeper()], poll_seconds=0.05)
    finally:
        timer.cancel()
    assert code == 0
    assert time.monotonic() - started < 20
    assert capsys.readouterr().out.count("已启动测试子进程") == 2
    assert signal.getsignal(signum) == before  # the handlers are put back


def test_supervise_stops_the_rest_when_a_child_dies(capsys: pytest.CaptureFixture[str]) -> None:
    dying = worker_cmd.Child("会退出的进程", [sys.executable, "-c", "raise SystemExit(3)"])
    started = time.monotonic()
    assert worker_cmd.supervise([_sleeper(), dying], poll_seconds=0.05) == 1
    assert time.monotonic() - started < 20
    assert "会退出的进程已退出（退出码 3）" in capsys.readouterr().err
