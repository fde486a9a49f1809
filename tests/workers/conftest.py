"""Real processes for the worker tests: a `redis-server` of the suite's own on 127.0.0.1, and
Celery workers and beats started as child processes with their environment set per test.

redis-server is found on PATH; if it is missing the Redis tests skip — or fail under
CASEWORK_REQUIRE_SERVICES=1 (CI: `.ci/run` installs it). Every child runs in its own process
group and the whole group is killed when the test ends. Waiting is polling with a deadline."""

from __future__ import annotations

import ast
import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from casework.db import unit_of_work
from casework.models import Case, CaseEvent, Timer
from tests.casework.services.helpers import act, agency, register
from tests.conftest import REQUIRE_SERVICES, free_port

TODAY = "2026-11-26"
EXPIRY = "correction_deadline_passed"
CLOSED_AS = "other.correction_not_submitted"


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]
    databases: Iterator[int] = field(default_factory=lambda: itertools.cycle(range(1, 16)))

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but redis-server is not on PATH")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    for _attempt in range(3):  # the free port may be taken between probing and binding
        port = free_port()
        log = (folder / f"redis-{port}.log").open("wb")
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(folder), "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        server = RedisServer(port, process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if server.client().ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            process.kill()
            process.wait()
            continue
        try:
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return
    pytest.fail(f"redis-server did not start (see {folder})")


@pytest.fixture
def redis_db(redis_server: RedisServer) -> tuple[str, redis.Redis]:
    """A Redis URL of its own for this test (an emptied database number) and a client for it."""
    number = next(redis_server.databases)
    client = redis_server.client(number)
    client.flushdb()
    return f"redis://127.0.0.1:{redis_server.port}/{number}", client


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait(self, seconds: float) -> int:
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired as timeout:
            raise AssertionError(
                f"{self.name} did not exit in {seconds} s:\n{self.log()[-3000:]}"
            ) from timeout


@dataclass
class Stack:
    """One test's database, folders, environment and child processes."""

    db_url: str
    engine: Engine
    tmp: Path
    children: list[Child] = field(default_factory=list)
    base_env: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.tmp / "data"

    @property
    def cwd(self) -> Path:
        """Where the children run: nothing may appear here (all state is in the data folder)."""
        return self.tmp / "cwd"

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
        env.update(
            PYTHONUNBUFFERED="1",
            CASEWORK_DATABASE_URL=self.db_url,
            CASEWORK_TODAY=TODAY,
            CASEWORK_DATA_DIR=str(self.data_dir),
            CASEWORK_SWEEP_SECONDS="1",
            CASEWORK_STALE_CLAIM_SECONDS="3",
        )
        env.update(self.base_env)
        env.update(overrides)
        return env

    def start(self, name: str, argv: list[str], **env: str) -> Child:
        log_path = self.tmp / f"{len(self.children):02d}-{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                env=self.env(**env),
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: teardown kills pool children too
            )
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def run(
        self, argv: list[str], timeout: float = 60, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, env=self.env(**env), cwd=self.cwd, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip

    def wait_until(
        self,
        done: Callable[[Session], bool],
        seconds: float = 30,
        alive: tuple[Child, ...] = (),
        what: str = "the condition",
    ) -> None:
        """Poll the database until `done`; fail early if one of `alive` exits."""
        deadline = time.monotonic() + seconds
        while True:
            with Session(self.engine) as session:
                if done(session):
                    return
            for child in alive:
                if not child.alive():
                    raise AssertionError(
                        f"{child.name} exited ({child.process.returncode}) before {what}:\n"
                        f"{child.log()[-3000:]}"
                    )
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {c.name}\n{c.log()[-2000:]}" for c in self.children)
                raise AssertionError(f"{what}: not reached within {seconds} s\n{logs}")
            time.sleep(0.1)

    def kill_all(self) -> None:
        for child in self.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()


@pytest.fixture
def stack(db_url: str, engine: Engine, tmp_path: Path) -> Iterator[Stack]:
    """Torn down before the database (it depends on it): every child group is killed."""
    s = Stack(db_url, engine, tmp_path)
    s.data_dir.mkdir()
    s.cwd.mkdir()
    try:
        yield s
    finally:
        s.kill_all()


def casework(*args: str) -> list[str]:
    return [sys.executable, "-m", "casework.cli.main", *args]


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "workers.app", *args]


def unanswered_corrections(engine: Engine, n: int = 1) -> list[int]:
    """n cases received 2025-09-22, correction requested 2025-09-26 for 15 working days and
    never returned: with today 2026-11-26 their expiry is long due."""
    ids = []
    with unit_of_work(engine) as s:
        agency(s)
        for i in range(n):
            case = register(s, f"2025-{i + 1:03d}", "2025-09-22")
            act(s, case, "request_correction", "2025-09-26", period_wd=15)
            assert case.id is not None
            ids.append(case.id)
    return ids


def expiry_events(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(CaseEvent).where(col(CaseEvent.action) == EXPIRY)
    ).one()


def expiry_timers(session: Session) -> list[Timer]:
    return list(session.exec(select(Timer).where(col(Timer.action) == EXPIRY)).all())


def all_closed(session: Session) -> bool:
    cases = session.exec(select(Case)).all()
    return bool(cases) and all(c.state == "closed" for c in cases)


def closed_and_done(session: Session) -> bool:
    return all_closed(session) and all(t.status == "done" for t in expiry_timers(session))


def assert_closed_exactly_once(engine: Engine, cases: int = 1) -> None:
    with Session(engine) as session:
        rows = session.exec(select(Case)).all()
        assert [c.outcome for c in rows] == [CLOSED_AS] * cases
        assert expiry_events(session) == cases
        per_case = session.exec(
            select(CaseEvent.case_id, func.count())
            .where(col(CaseEvent.action) == EXPIRY)
            .group_by(col(CaseEvent.case_id))
        ).all()
        assert sorted(n for _, n in per_case) == [1] * cases
        assert [t.status for t in expiry_timers(session)] == ["done"] * cases


def task_results(log: str, task: str) -> list[str]:
    """The return values a worker logged for `task` ("Task casework.sweep[…] succeeded in …s: 3")."""
    pattern = rf"Task {re.escape(task)}\[[^\]]+\] succeeded in [^:]+: (.+)"
    return [m.group(1).strip() for m in re.finditer(pattern, log)]


def fire_outcomes(log: str) -> Counter[str]:
    """The outcomes of every casework.fire task a worker logged (each returns its counts,
    e.g. "{'fired': 3, 'gone': 1}")."""
    total: Counter[str] = Counter()
    for result in task_results(log, "casework.fire"):
        total.update(ast.literal_eval(result))
    return total


def ran_at_once(log: str, task: str) -> bool:
    """Whether two runs of `task` in different pool processes overlapped in time (each run's
    span: its "succeeded" line's time minus its duration)."""
    pattern = (
        rf"\[(\S+ \S+): INFO/(ForkPoolWorker-\d+)\] Task {re.escape(task)}\[[^\]]+\] "
        r"succeeded in ([0-9.e-]+)s"
    )
    runs = []
    for m in re.finditer(pattern, log):
        end = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        runs.append((end - float(m.group(3)), end, m.group(2)))
    return any(
        a[2] != b[2] and a[0] < b[1] and b[0] < a[1]
        for i, a in enumerate(runs)
        for b in runs[i + 1 :]
    )
