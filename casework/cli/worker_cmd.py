"""`casework worker`, `casework beat` and `casework serve` (DESIGN §4).

casework never imports Celery (an import-linter contract): these commands run the `celery`
program of this Python (`python -m celery -A workers.app …`). Without `CASEWORK_BROKER_URL`
the worker is the embedded default — one process, `--pool solo` (works on every OS), beat
inside, kombu's filesystem transport in the data folder. With a broker URL it is a plain
prefork worker and beat runs separately (`casework beat`). Beat's schedule files and the
pidfiles live in the data folder, never in the working directory.

`casework serve` runs the main job's processes as children and waits, forwarding SIGINT and
SIGTERM: the HTTP API (uvicorn, `api.app:create_app`) and, without a broker URL, the embedded
worker with beat. On the first start it makes the first administrator."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import typer

from casework.cli.common import console, engine, fail, print_error, settings, writing
from casework.services.bootstrap import ensure_first_admin
from casework.settings import Settings
from casework.timeutil import utcnow

CELERY_APP = "workers.app"
WORKER_PIDFILE = "worker.pid"  # the embedded worker: one per data folder
BEAT_PIDFILE = "beat.pid"
BEAT_SCHEDULE = "celerybeat-schedule"  # `casework beat`
WORKER_BEAT_SCHEDULE = "worker-celerybeat-schedule"  # the beat inside the embedded worker


@dataclass(frozen=True)
class Child:
    """A process `serve` runs and watches."""

    name: str
    argv: list[str]


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", CELERY_APP, *args]


def data_folder(s: Settings) -> Path:
    folder = Path(s.data_dir).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"无法创建数据目录 {folder}（CASEWORK_DATA_DIR）：{error.strerror}")
    return folder


BROKER_SCHEMES = ("redis", "rediss", "sentinel", "amqp", "amqps", "pyamqp")


def check_broker_url(s: Settings) -> None:
    if not s.broker_url:
        return
    scheme = s.broker_url.partition("://")[0] if "://" in s.broker_url else ""
    if scheme not in BROKER_SCHEMES:  # the URL may hold a password: not echoed
        fail("CASEWORK_BROKER_URL 无效：须为 redis://主机:端口/库号（或 rediss://、amqp://）", 2)


def worker_argv(s: Settings, concurrency: int | None = None, beat: bool | None = None) -> list[str]:
    """The Celery worker command: embedded (solo pool, beat inside unless --no-beat) without a
    broker URL, prefork (beat only with --beat) with one."""
    check_broker_url(s)
    folder = data_folder(s)
    argv = celery("worker", "--loglevel", "INFO")
    if s.broker_url:
        # mingle and gossip sync revoked ids and clocks between workers: unused here (the rows
        # are the truth), and mingle costs a second at every start
        argv += ["--pool", "prefork", "--without-mingle", "--without-gossip"]
        if concurrency is not None:
            argv += ["--concurrency", str(concurrency)]
        with_beat = bool(beat)
    else:
        if concurrency is not None:
            fail(
                "--concurrency 仅在设置 CASEWORK_BROKER_URL（如 redis://…）时可用："
                "内置模式只有一个工作进程（--pool solo）",
                2,
            )
        argv += ["--pool", "solo", "--pidfile", str(folder / WORKER_PIDFILE)]
        with_beat = beat is None or beat
    if with_beat:
        argv += ["--beat", "--schedule-filename", str(folder / WORKER_BEAT_SCHEDULE)]
    return argv


def beat_argv(s: Settings) -> list[str]:
    check_broker_url(s)
    folder = data_folder(s)
    return celery(
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(folder / BEAT_SCHEDULE),
        "--pidfile",
        str(folder / BEAT_PIDFILE),
    )


def _check_celery() -> None:
    if importlib.util.find_spec("celery") is None:
        fail("未安装 Celery：请在本项目的虚拟环境中运行（pip install -e .）")


def _check_database() -> None:
    """Refuse to start on a database that `casework init` has not set up."""
    engine().dispose()


def _run_in_place(argv: list[str]) -> None:
    """Become the program (POSIX: exec, so signals and the pid are Celery's own)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        try:
            os.execv(argv[0], argv)
        except OSError as error:
            fail(f"无法启动 {argv[0]}：{error.strerror}")
    raise typer.Exit(supervise([Child("celery", argv)]))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM if `serve` itself is killed (no orphaned worker)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _exit_code(code: int) -> int:
    return 128 - code if code < 0 else code  # killed by a signal: the shell's convention


def supervise(children: list[Child], poll_seconds: float = 0.2) -> int:
    """Start the children, wait; on SIGINT/SIGTERM stop them all (SIGTERM: Celery's warm
    shutdown). If one exits on its own the others are stopped too and the exit is an error."""
    preexec: Callable[[], None] | None = _die_with_parent if sys.platform == "linux" else None
    running: list[tuple[Child, subprocess.Popen[bytes]]] = []
    stopping = False

    def stop_all() -> None:
        for _, proc in running:
            if proc.poll() is None:
                proc.terminate()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        stop_all()

    handled = [signal.SIGINT, signal.SIGTERM]
    previous = {sig: signal.signal(sig, on_signal) for sig in handled}
    try:
        for child in children:
            try:
                proc = subprocess.Popen(child.argv, preexec_fn=preexec)
            except OSError as error:
                stop_all()
                print_error(f"无法启动{child.name}：{error.strerror}")
                return 1
            running.append((child, proc))
            console.print(f"已启动{child.name}（进程 {proc.pid}）")
        first: tuple[Child, int] | None = None
        while first is None:
            for child, proc in running:
                code = proc.poll()
                if code is not None:
                    first = (child, code)
                    break
            else:
                time.sleep(poll_seconds)
        if not stopping:
            child, code = first
            print_error(f"{child.name}已退出（退出码 {_exit_code(code)}），正在停止其余进程")
            stop_all()
        codes = [proc.wait() for _, proc in running]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not stopping:
        return 1
    # stopped on request: a Celery worker exits 0 after SIGTERM, 1 after SIGINT (Ctrl-C)
    clean = (0, 1, -signal.SIGTERM, -signal.SIGINT)
    return next((_exit_code(c) for c in codes if c not in clean), 0)


def worker(
    concurrency: int | None = typer.Option(
        None, "--concurrency", "-c", min=1, help="并发工作进程数（仅 Redis 模式；默认 CPU 核数）"
    ),
    beat: bool | None = typer.Option(
        None,
        "--beat/--no-beat",
        help="同时运行定时调度 beat（内置模式默认运行；设置 CASEWORK_BROKER_URL 时默认不运行）",
    ),
) -> None:
    s = settings()
    argv = worker_argv(s, concurrency, beat)
    _check_celery()
    _check_database()
    _run_in_place(argv)


def beat() -> None:
    s = settings()
    argv = beat_argv(s)
    _check_celery()
    _run_in_place(argv)


def api_argv(s: Settings) -> list[str]:
    argv = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    argv += ["--host", s.host, "--port", str(s.port), "--workers", str(s.api_workers)]
    return [*argv, "--no-server-header", "--log-level", "info"]


def serve_children(s: Settings) -> list[Child]:
    """What the main job runs: the API; the embedded worker too unless a broker is set (then
    `casework worker` and `casework beat` run on their own)."""
    children = [Child("HTTP 接口（uvicorn）", api_argv(s))]
    if not s.broker_url:
        children.append(Child("定时任务工作进程（Celery，内置 beat）", worker_argv(s, beat=True)))
    else:
        check_broker_url(s)
    return children


def _first_admin(s: Settings) -> None:
    with writing() as session:
        made = ensure_first_admin(session, s.admin_password, utcnow())
    if made is None:
        return
    where = "、".join(made.agencies)
    console.print(f"已创建首个管理员 {made.username}（机关 {where} 的管理员）")
    if made.password:
        console.print(f"初始密码（仅显示这一次，请登录后修改）：{made.password}")
    else:
        console.print("初始密码为环境变量 CASEWORK_ADMIN_PASSWORD 的值")


def serve(
    host: str | None = typer.Option(None, "--host", help="监听地址（默认 CASEWORK_HOST）"),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="端口"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="HTTP 接口进程数"),
) -> None:
    s = settings()
    updates = {"host": host, "port": port, "api_workers": workers}
    s = s.model_copy(update={k: v for k, v in updates.items() if v is not None})
    children = serve_children(s)
    _check_celery()
    _check_database()
    _first_admin(s)
    shown = "127.0.0.1" if s.host in ("0.0.0.0", "::") else s.host
    console.print(f"接口文档：http://{shown}:{s.port}/docs  登录：POST /api/v1/auth/login")
    raise typer.Exit(supervise(children))
