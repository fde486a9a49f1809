"""The embedded default: a real Celery worker on kombu's filesystem transport (no server)
closes an unanswered correction through sweep → fire → perform."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework import settings as settings_module
from casework.db import unit_of_work
from casework.models import Case, CaseEvent, Timer
from tests.casework.services.helpers import act, agency, register


def _wait_for(engine: Engine, done: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(engine) as s:
            if done(s):  # type: ignore[operator]
                return
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One broker folder for the whole run: kombu keeps transport state per process."""
    return tmp_path_factory.mktemp("embedded")


def test_filesystem_broker_worker_applies_a_due_expiry(
    engine: Engine, db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_TODAY", "2026-11-26")
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CASEWORK_BROKER_URL", raising=False)
    settings_module.get_settings.cache_clear()
    from workers.app import app, broker_options
    from workers.broker import TRANSPORT
    from workers.tasks import sweep

    url, options = broker_options()
    assert url == "filesystem://localhost//" and Path(options["data_folder_in"]).is_dir()
    app.close()  # drop connections made for another test's broker folder
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    app.conf.broker_transport = TRANSPORT
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            sweep.delay()
            _wait_for(engine, lambda s: s.exec(select(Case)).one().state == "closed")
            sweep.delay()  # a second sweep finds nothing more to do
            _wait_for(
                engine,
                lambda s: (
                    s.exec(select(Timer).where(Timer.kind == "expiry")).one().status == "done"
                ),
            )
    finally:
        app.close()
        settings_module.get_settings.cache_clear()
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
        expiries = [
            e for e in s.exec(select(CaseEvent)).all() if e.action == "correction_deadline_passed"
        ]
    assert row.outcome == "other.correction_not_submitted" and len(expiries) == 1
    assert not Path("control").exists()  # broker state stays in the data folder
    assert expiries[0].actor_kind == "system"
