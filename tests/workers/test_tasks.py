"""The fire task in-process: a batch in one transaction, and one bad timer cannot hold back
the others of its batch."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import time

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework import settings as settings_module
from casework.db import unit_of_work
from casework.models import Case, Timer
from casework.services import sweep as sweep_module
from casework.services.sweep import claim_due
from casework.timeutil import china_instant
from tests.casework.services.helpers import TODAY, act, agency, register


@pytest.fixture
def configured(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_TODAY", TODAY.isoformat())
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()


def _claimed_expiries(engine: Engine, n: int) -> list[int]:
    with unit_of_work(engine) as s:
        agency(s)
        for i in range(n):
            case = register(s, f"C{i}", "2025-09-22")
            act(s, case, "request_correction", "2025-09-26", period_wd=15)
    with unit_of_work(engine) as s:
        return claim_due(s, china_instant(TODAY, time(12)))


def test_a_batch_is_fired_and_counted(engine: Engine, configured: None) -> None:
    from workers.tasks import fire

    ids = _claimed_expiries(engine, 3)
    assert fire.run(ids) == {"fired": 3}
    assert fire.run(ids) == {"gone": 3}  # redelivered
    with Session(engine) as s:
        assert [c.state for c in s.exec(select(Case))] == ["closed"] * 3


def test_one_failing_timer_does_not_hold_back_its_batch(
    engine: Engine,
    configured: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected error rolls the batch back; each timer is then tried alone: the others
    are fired, the bad one is logged and left claimed (retaken when its claim is stale)."""
    from workers.tasks import fire

    ids = _claimed_expiries(engine, 3)
    bad = ids[1]
    real_expire = sweep_module._expire

    def expire(session: Session, timer: Timer, *args: object) -> sweep_module.Fired:
        if timer.id == bad:
            raise RuntimeError("disk on fire")
        return real_expire(session, timer, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_module, "_expire", expire)
    with caplog.at_level(logging.ERROR, logger="casework.services.sweep"):
        assert fire.run(ids) == {"fired": 2, "error": 1}
    assert f"timer {bad} could not be fired" in caplog.text
    with Session(engine) as s:
        statuses = {t.id: t.status for t in s.exec(select(Timer).where(Timer.kind == "expiry"))}
    assert statuses == {ids[0]: "done", bad: "claimed", ids[2]: "done"}
