"""The daily task (run by beat) drafts the annual reports on 1 January."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework import settings as settings_module
from casework.db import unit_of_work
from casework.models import Alert
from tests.casework.services.alerting import people


@pytest.fixture
def new_years_day(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_NOW", "2027-01-01T10:00:00+08:00")
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()


def test_beat_runs_the_daily_task_which_drafts_the_years_reports(
    engine: Engine, new_years_day: None
) -> None:
    from workers.app import app
    from workers.tasks import daily_jobs

    assert app.conf.beat_schedule["daily"]["task"] == daily_jobs.name == "casework.daily"
    with unit_of_work(engine) as s:
        people(s)
    assert daily_jobs.run() == 2  # the street office's draft and the district office's
    with Session(engine) as s:
        kinds = s.exec(select(Alert.kind)).all()
    assert kinds == ["report_draft", "report_draft"]
