"""The embedded default: a real Celery worker on kombu's filesystem transport (no server)
closes an unanswered correction through sweep → fire → perform."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery import Celery
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


def _embedded_app() -> Celery:
    """The worker app pointed at this test's broker folder (settings read afresh)."""
    settings_module.get_settings.cache_clear()
    from workers.app import app, broker_options
    from workers.broker import TRANSPORT

    url, options = broker_options()
    assert url == "filesystem://localhost//" and Path(options["data_folder_in"]).is_dir()
    app.close()  # drop connections made for another test's broker folder
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    app.conf.broker_transport = TRANSPORT
    return app


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
    app = _embedded_app()
    from workers.tasks import sweep

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


def test_one_sweep_keeps_going_while_due_timers_wait(
    engine: Engine, db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mass due at once is not left for beat's next tick: a sweep cut short by its batch
    sweeps again after CASEWORK_SWEEP_AGAIN_SECONDS. One sweep sent by hand, no beat: all
    seven cases close, fired two timers per task."""
    for key, value in {
        "CASEWORK_DATABASE_URL": db_url,
        "CASEWORK_TODAY": "2026-11-26",
        "CASEWORK_DATA_DIR": str(data_dir),
        "CASEWORK_SWEEP_BATCH": "3",
        "CASEWORK_SWEEP_AGAIN_SECONDS": "0.2",
        "CASEWORK_FIRE_BATCH": "2",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CASEWORK_BROKER_URL", raising=False)
    app = _embedded_app()
    from workers.tasks import sweep

    with unit_of_work(engine) as s:
        agency(s)
        for i in range(7):
            case = register(s, f"M{i}", "2025-09-22")
            act(s, case, "request_correction", "2025-09-26", period_wd=15)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            sweep.delay()
            _wait_for(engine, lambda s: {c.state for c in s.exec(select(Case))} == {"closed"})
    finally:
        app.close()
        settings_module.get_settings.cache_clear()
    with Session(engine) as s:
        timers = s.exec(select(Timer).where(Timer.kind == "expiry")).all()
        assert [t.status for t in timers] == ["done"] * 7
        assert all(t.attempts == 1 for t in timers)
