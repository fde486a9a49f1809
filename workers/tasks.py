"""Tasks: thin doors onto casework's sweep, fire, delivery and daily functions (one transaction
each; tasks take ids). The database rows are the truth; a lost or repeated message is harmless."""

from __future__ import annotations

from datetime import date, timedelta

from casework.db import engine_for, unit_of_work
from casework.faults import checkpoint
from casework.services import daily
from casework.services.delivery import deliver, queue_due
from casework.services.sweep import claim_due, fire_claimed, more_due
from casework.settings import get_settings
from workers.app import app


def _today() -> date:
    return get_settings().current_day()


@app.task(name="casework.sweep")
def sweep() -> int:
    """Claim the due timers and deliveries and enqueue tasks for them (sent after the claim
    commits, so a worker never sees a claim that is not there yet): a fire task per batch of
    timers, a send task per delivery. While due timers remain unclaimed, sweep again shortly
    (a short countdown, not a long ETA): 100,000 reminders due at 09:00 go out in a minute,
    not one batch per beat tick."""
    settings = get_settings()
    stale = timedelta(seconds=settings.stale_claim_seconds)
    now = settings.instant()
    with unit_of_work(engine_for()) as session:
        batch = settings.sweep_batch
        timer_ids = claim_due(session, now, batch, stale, max_in_flight=2 * batch)
        again = more_due(session, now)
    with unit_of_work(engine_for()) as session:
        delivery_ids = queue_due(session, now, stale_after=stale)
    size = settings.fire_batch
    for i in range(0, len(timer_ids), size):
        fire.delay(timer_ids[i : i + size])
    for delivery_id in delivery_ids:
        send.delay(delivery_id)
    if again:
        sweep.apply_async(countdown=settings.sweep_again_seconds)
    return len(timer_ids) + len(delivery_ids)


@app.task(name="casework.fire")
def fire(timer_ids: list[int]) -> dict[str, int]:
    """Fire a batch of claimed timers in one transaction; the result counts the outcomes
    (`{'fired': 98, 'gone': 2}`)."""
    outcomes = fire_claimed(engine_for(), timer_ids, _today(), batch=len(timer_ids) or 1)
    checkpoint("fire:after-commit")  # committed, the message not yet acknowledged
    return dict(outcomes)


@app.task(name="casework.send")
def send(delivery_id: int) -> str:
    return deliver(engine_for(), delivery_id, get_settings())


@app.task(name="casework.daily")
def daily_jobs() -> int:
    """The overdue digest per agency, the calendar check and the annual report's drafts and
    reminders (each once a day)."""
    with unit_of_work(engine_for()) as session:
        return sum(daily.run_daily(session, get_settings().instant()))
