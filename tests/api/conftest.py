"""A real `uvicorn` serving the API (one per backend for the session) and real HTTP clients
(httpx). Tests make their own agencies and users (unique codes), straight through the core's
services on the same database, then work through HTTP only."""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from casework.db import make_engine, unit_of_work
from casework.migrate import upgrade
from casework.services import auth, directory
from casework.timeutil import utcnow
from tests.conftest import BACKENDS, POSTGRES_URL, REQUIRE_SERVICES, _admin_engine, free_port
from workflows.roles import Role

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-26"
PASSWORD = "correct-horse-1"
_serial = itertools.count(1)


@dataclass
class Server:
    url: str
    db_url: str
    engine: Engine
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp / "api.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield f"sqlite:///{path}"
        return
    if not POSTGRES_URL:
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but CASEWORK_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set CASEWORK_TEST_POSTGRES_URL)")
    name = f"casework_api_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextlib.contextmanager
def running_server(
    db_url: str, tmp: Path, today: str = TODAY, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`uvicorn api.app:create_app` on a free port of 127.0.0.1 with 'today' fixed; on exit,
    its log must hold no traceback (nothing a client sent may crash a request)."""
    port = free_port()
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(
        CASEWORK_DATABASE_URL=db_url,
        CASEWORK_TODAY=today,
        CASEWORK_DATA_DIR=str(tmp / "data"),
        CASEWORK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        # every test logs in from 127.0.0.1, and the fuzzer fails logins on purpose: the
        # per-address limit would throttle the whole suite (the per-user one is tested)
        CASEWORK_LOGIN_MAX_FAILURES_PER_ADDRESS="100000",
    )
    env.update(extra)  # a test's own settings (a scanner, a small upload limit …)
    log = tmp / f"uvicorn-{port}.log"
    argv = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("uvicorn did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.1)
    engine = make_engine(db_url)
    try:
        yield Server(url, db_url, engine, log, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        engine.dispose()
    text_ = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text_, text_[-5000:]


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The API on a database of each backend for the session, 'today' 2026-11-26."""
    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    databases = _database(request.param, tmp)
    db_url = next(databases)
    try:
        with running_server(db_url, tmp) as running:
            yield running
    finally:
        for _ in databases:
            pass


@dataclass
class World:
    """Agencies and users of one test, under unique codes: a district office (政务公开办)
    `qu` over a street office `zhz`, and another agency `other` elsewhere."""

    server: Server
    tag: str
    codes: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    def code(self, short: str) -> str:
        return self.codes[short]

    def user(self, short: str) -> str:
        return self.users[short]

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, headers=headers, timeout=30)

    def login(self, short: str, password: str = PASSWORD) -> httpx.Client:
        client = self.client()
        answer = client.post(
            "/api/v1/auth/login", json={"username": self.user(short), "password": password}
        )
        assert answer.status_code == 200, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return client

    def register(self, client: httpx.Client, agency: str = "zhz", **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "agency": self.code(agency),
            "applicant": {"kind": "natural_person", "name": "张三", "id_number": "110101199003070011", "phone": "13800000000"},
            "channel": "in_person",
            "submitted_on": "2026-11-20",
            "request": "某项目环境影响评价报告",
            **extra,
        }  # fmt: skip
        answer = client.post("/api/v1/cases", json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())


PEOPLE = [  # short name, display name, agency, role
    ("clerk", "李经办", "zhz", Role.CLERK),
    ("clerk2", "刘经办", "zhz", Role.CLERK),
    ("approver", "王负责", "zhz", Role.APPROVER),
    ("auditor", "陈查看", "zhz", Role.AUDITOR),
    ("district", "赵主任", "qu", Role.APPROVER),
    ("stranger", "孙经办", "other", Role.CLERK),
    ("stranger_approver", "钱负责", "other", Role.APPROVER),
    ("admin", "周管理", "qu", Role.ADMIN),
    ("street_admin", "吴管理", "zhz", Role.ADMIN),
    ("calendar", "郑日历", "qu", Role.CALENDAR_ADMIN),
]


@pytest.fixture
def world(server: Server) -> World:
    return make_world(server)


def make_world(server: Server) -> World:
    tag = f"t{next(_serial)}{uuid.uuid4().hex[:4]}"
    w = World(server, tag)
    w.codes = {short: f"{short}_{tag}" for short in ("qu", "zhz", "other")}
    w.users = {short: f"{short}_{tag}" for short, *_ in PEOPLE}
    with unit_of_work(server.engine) as s:
        district = directory.ensure_agency(s, w.code("qu"), "某区政务公开办")
        district.supervises_subtree = True
        s.add(district)
        directory.ensure_agency(s, w.code("zhz"), "某街道办事处", parent=w.code("qu"))
        directory.ensure_agency(s, w.code("other"), "另一区某局")
        for short, display, agency, role in PEOPLE:
            user = directory.add_user(s, w.user(short), display)
            auth.set_password(s, user, PASSWORD, utcnow())
            directory.grant(s, user, directory.agency_by_code(s, w.code(agency)), role)
    return w


def problem(answer: httpx.Response, status: int, kind: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 problem answer; return its body."""
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
    body = dict(answer.json())
    assert body["status"] == status and body["type"].startswith("/problems/"), body
    assert body["title"] and body["detail"], body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["title"] + body["detail"]), body
    if kind is not None:
        assert body["type"] == f"/problems/{kind}", body
    return body
