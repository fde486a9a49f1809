"""A migrated database shared by the tests of one module (data built once, only read after):
a copy of the session's SQLite template, or a PostgreSQL database from its template."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from casework.db import make_engine
from tests.conftest import POSTGRES_URL, _admin_engine


@contextmanager
def module_engine(request: pytest.FixtureRequest, tmp: Path) -> Iterator[Engine]:
    """For a module-scoped fixture parametrized over tests.conftest.BACKENDS."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp / "casework.sqlite"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    template_name: str = request.getfixturevalue("_postgres_template")
    name = f"casework_m_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    assert POSTGRES_URL
    engine = make_engine(
        make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
