"""Tasks: thin doors onto casework's sweep, fire, delivery and daily functions (one transaction
each; tasks take ids). The database rows are the truth; a lost or repeated message is harmless."""

from __future__ import annotations

from datetime import date, timedelta

from casework.db import engine_for, unit_of_work
from casework.faults import checkpoint
from casework.services import daily
from casework.services.delivery import deliver, queue_due
from casework.services.sweep import claim_due, fire_timer
from casework.settings import get_settings
from workers.app import app


def _today() -> date:
    return get_settings().current_day()


@app.task(name="casework.sweep")
def sweep() -> int:
    """Claim the due timers and deliveries and enqueue one task each (sent after the claim
    commits, so a worker never sees a claim that is not there yet)."""
    settings = get_settings()
    stale = timedelta(seconds=settings.stale_claim_seconds)
    now = settings.instant()
    with unit_of_work(engine_for()) as session:
        batch = settings.sweep_batch
        timer_ids = claim_due(session, now, batch, stale, max_in_flight=2 * batch)
    with unit_of_work(engine_for()) as session:
        delivery_ids = queue_due(session, now, stale_after=stale)
    for timer_id in timer_ids:
        fire.delay(timer_id)
    for delivery_id in delivery_ids:
        send.delay(delivery_id)
    return len(timer_ids) + len(delivery_ids)


@app.task(name="casework.fire")
def fire(timer_id: int) -> str:
    with unit_of_work(engine_for()) as session:
        outcome = fire_timer(session, timer_id, _today()).outcome
        checkpoint("fire:before-commit")  # the action is applied but not yet committed
    checkpoint("fire:after-commit")  # committed, the message not yet acknowledged
    return outcome


@app.task(name="casework.send")
def send(delivery_id: int) -> str:
    return deliver(engine_for(), delivery_id, get_settings())


@app.task(name="casework.daily")
def daily_jobs() -> int:
    """The overdue digest per agency and the calendar check (each once a day)."""
    with unit_of_work(engine_for()) as session:
        return sum(daily.run_daily(session, get_settings().instant()))
