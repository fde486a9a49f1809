"""Shared fixtures: a migrated database per test on SQLite and (when configured) PostgreSQL,
and an in-process runner for the `casework` command line.

PostgreSQL runs when CASEWORK_TEST_POSTGRES_URL points at a server (an admin URL: tests create
and drop databases). With CASEWORK_REQUIRE_SERVICES=1 (set by .ci/run) a missing server fails
the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from casework import settings as settings_module
from casework.db import make_engine
from casework.migrate import upgrade
from casework.services import auth

# Speed: API and page tests make ~10 users each; argon2's default cost (64 MiB, 3 passes) made
# that 1–4 s a test. A hash carries its own parameters, so the servers under test verify these
# cheap ones exactly as they verify strong ones; production code keeps the default.
auth._hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1),))

POSTGRES_URL = os.environ.get("CASEWORK_TEST_POSTGRES_URL")
REQUIRE_SERVICES = os.environ.get("CASEWORK_REQUIRE_SERVICES") == "1"
BACKENDS = ["sqlite", "postgresql"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for servers the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin_engine() -> Engine:
    assert POSTGRES_URL
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    if not POSTGRES_URL:
        if REQUIRE_SERVICES:
            pytest.fail("CASEWORK_REQUIRE_SERVICES=1 but CASEWORK_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set CASEWORK_TEST_POSTGRES_URL)")
    name = f"casework_tpl_{os.getpid()}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a freshly migrated, empty database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "casework.sqlite"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("_postgres_template")
    name = f"casework_t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    assert POSTGRES_URL
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli_env(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[pytest.MonkeyPatch]:
    """Environment for CLI tests: this test's database and a fixed 'today' (2026-11-26)."""
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_TODAY", "2026-11-26")
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield monkeypatch
    settings_module.get_settings.cache_clear()


@pytest.fixture
def cli(cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `casework ARGS…` in process, exactly as the console script does."""
    from casework.cli.main import run

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        old_argv = sys.argv
        sys.argv = ["casework", *args]
        code = 0
        try:
            run()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.argv = old_argv
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
