"""Replay: through the one door, with a virtual clock; all-or-nothing."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError, CaseworkError
from casework.models import Case, CaseEvent
from casework.services.replay import parse, replay
from tests.casework.services.helpers import TODAY

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "sample-2023.json").read_text("utf-8"))
    return data


def _replay(engine: Engine, raw: dict[str, Any], until: date = TODAY) -> None:
    with unit_of_work(engine) as s:
        replay(s, parse(raw), until, TODAY)


def test_sample_replays_to_the_published_outcomes(engine: Engine) -> None:
    _replay(engine, _sample())
    with Session(engine) as s:
        cases = {c.ref: c for c in s.exec(select(Case)).all()}
        system_events = s.exec(select(CaseEvent).where(CaseEvent.actor_kind == "system")).all()
    outcomes = sorted(c.outcome or "" for c in cases.values())
    assert outcomes == sorted(
        ["other.correction_not_submitted"] * 4
        + ["withheld.third_party_rights"]
        + ["unavailable.not_held"] * 2
    )
    assert all(c.concluded_on and c.concluded_on.year == 2023 for c in cases.values())
    assert len(system_events) == 4  # the four deemed abandonments, applied by the system
    assert cases["2023-007"].concluded_on == date(2023, 12, 1)


def test_expiry_fires_before_a_late_action_on_the_expiry_day(engine: Engine) -> None:
    raw = _sample()
    raw["cases"] = [copy.deepcopy(raw["cases"][0])]
    # 2023-02-16 + 15 WD = 2023-03-09: a correction arriving 2023-03-10 is late
    raw["cases"][0]["actions"].append({"on": "2023-03-10", "action": "receive_correction"})
    with pytest.raises(ActionError) as info:
        _replay(engine, raw)
    assert "2023-001" in str(info.value) and "receive_correction" in str(info.value)


def test_a_bad_case_late_in_the_file_writes_nothing(engine: Engine) -> None:
    raw = _sample()
    raw["cases"][-1]["actions"].append({"on": "2023-11-10", "action": "receive_payment"})
    with pytest.raises(CaseworkError):
        _replay(engine, raw)
    with Session(engine) as s:
        assert s.exec(select(Case)).all() == []
        assert s.exec(select(CaseEvent)).all() == []


def test_until_stops_the_virtual_clock(engine: Engine) -> None:
    raw = _sample()
    _replay(engine, raw, until=date(2023, 11, 30))
    with Session(engine) as s:
        last = s.exec(select(Case).where(Case.ref == "2023-007")).one()
    assert last.state == "correction_requested"  # expires 2023-12-01, after --until


def test_until_before_the_last_action_is_refused(engine: Engine) -> None:
    with pytest.raises(ActionError, match=r"案件 2023-004.*晚于--until（2023-06-01）"):
        _replay(engine, _sample(), until=date(2023, 6, 1))


def test_replay_events_are_in_date_order_per_case(engine: Engine) -> None:
    _replay(engine, _sample())
    with Session(engine) as s:
        for case in s.exec(select(Case)).all():
            dates = s.exec(
                select(CaseEvent.effective_on)
                .where(CaseEvent.case_id == case.id)
                .order_by(col(CaseEvent.seq))
            ).all()
            assert list(dates) == sorted(dates)


def test_an_import_never_applies_expiries_in_other_cases(engine: Engine) -> None:
    from tests.casework.services.helpers import act, agency, register

    with unit_of_work(engine) as s:
        agency(s, "other")
        case = register(s, "P", "2025-09-22", code="other")
        act(s, case, "request_correction", "2025-09-26", period_wd=15)  # expired 2025-10-24
    _replay(engine, _sample())
    with Session(engine) as s:
        assert s.exec(select(Case).where(Case.ref == "P")).one().state == "correction_requested"
