"""Tasks: thin doors onto casework's sweep and fire functions (one transaction each)."""

from __future__ import annotations

from datetime import date

from casework.db import engine_for, unit_of_work
from casework.services.sweep import claim_due, fire_timer
from casework.settings import get_settings
from casework.timeutil import china_today
from workers.app import app


def _today() -> date:
    return get_settings().today or china_today()


@app.task(name="casework.sweep")
def sweep() -> int:
    """Claim the due timers and enqueue one fire task each (sent after the claim commits)."""
    with unit_of_work(engine_for()) as session:
        ids = claim_due(session, _today())
    for timer_id in ids:
        fire.delay(timer_id)
    return len(ids)


@app.task(name="casework.fire")
def fire(timer_id: int) -> str:
    with unit_of_work(engine_for()) as session:
        return fire_timer(session, timer_id, _today()).outcome
