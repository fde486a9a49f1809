"""Fixtures for the command-line tests: an uninitialised database, history files, a small
agency with a clerk and an approver, and engine hygiene between tests."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casework import db as db_module
from casework import settings as settings_module
from casework.services import calendars
from tests.casework.cli.cli_support import CliRunner, HistoryWriter


@pytest.fixture(autouse=True)
def _engine_hygiene(cli_env: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI caches engines per URL and calendars per engine: start and end each test clean
    (and close the pooled connections before the test's database is dropped)."""
    calendars._cache.clear()
    yield
    _dispose_cli_engine()
    calendars._cache.clear()


def _dispose_cli_engine() -> None:
    settings_module.get_settings.cache_clear()
    # A test that set an unusable URL or setting opened nothing.
    with contextlib.suppress(Exception):
        db_module.engine_for(settings_module.get_settings()).dispose()
    db_module._engine_for.cache_clear()


@pytest.fixture
def fresh_db(db_url: str, cli_env: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """Point the CLI at an empty database on which `casework init` has never run."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        fresh = (tmp_path / "fresh" / "casework.sqlite").as_posix()
        cli_env.setenv("CASEWORK_DATABASE_URL", f"sqlite:///{fresh}")
        settings_module.get_settings.cache_clear()
        yield f"sqlite:///{fresh}"
        return
    admin_url = os.environ["CASEWORK_TEST_POSTGRES_URL"]
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = f"casework_e_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    fresh = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    cli_env.setenv("CASEWORK_DATABASE_URL", fresh)
    settings_module.get_settings.cache_clear()
    yield fresh
    _dispose_cli_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def history(tmp_path: Path) -> HistoryWriter:
    """Write a case-history file (DESIGN §5) and return its path."""
    counter = iter(range(1_000_000))

    def write(
        cases: list[dict[str, Any]],
        agency: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> Path:
        data = {"agency": agency or {"code": "zhz", "name": "测试街道办事处"}, "cases": cases}
        path = tmp_path / (name or f"history-{next(counter)}.json")
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def office(cli: CliRunner) -> CliRunner:
    """Agency zhz with clerk wang and approver li, and case 2026-001 received 2026-11-20."""
    steps = [
        ("init",),
        ("agency", "add", "zhz", "西安市雁塔区漳浒寨街道办事处"),
        ("user", "add", "wang", "--name", "王经办"),
        ("user", "grant", "wang", "clerk", "--agency", "zhz"),
        ("user", "add", "li", "--name", "李科长"),
        ("user", "grant", "li", "approver", "--agency", "zhz"),
        (
            "case",
            "register",
            "--agency",
            "zhz",
            "--applicant",
            "张三",
            "--channel",
            "in_person",
            "--received-on",
            "2026-11-20",
            "--request",
            "申请公开某文件",
            "--as",
            "wang",
        ),
    ]
    for step in steps:
        result = cli(*step)
        assert result.code == 0, (step, result)
    return cli
