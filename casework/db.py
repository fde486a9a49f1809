"""Engines and units of work. Services flush; the unit of work commits once (DESIGN §2.6).

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for write transactions so two
writers queue instead of failing half-way. PostgreSQL: plain transactions; case rows are locked
with `SELECT … FOR UPDATE` by the services.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from casework.settings import Settings, get_settings


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, busy_timeout_ms: int = 10_000) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _sqlite_setup(engine, busy_timeout_ms)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def _engine_for(url: str, busy_timeout_ms: int) -> Engine:
    return make_engine(url, busy_timeout_ms)


def engine_for(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    return _engine_for(settings.url, settings.sqlite_busy_timeout_ms)


def write_engine(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One write transaction: commits on success, rolls back on any error."""
    with Session(write_engine(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session  # closed without commit; loaded rows stay readable
