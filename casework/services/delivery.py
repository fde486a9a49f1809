"""Sending alerts by e-mail and webhook, exactly once or not at all (DESIGN §4).

A delivery goes pending → queued (handed to a worker) → sending → sent. A failed attempt goes
back to pending with a later attempt time (backoff doubling from `delivery_retry_seconds`) and
is failed for good after `delivery_max_attempts`. A queued delivery whose message was lost (a
broker flushed, a worker gone) is queued again after `stale_after`. A send interrupted by a
crash is *not* retried: nobody can know whether the message went out, and an alert must never
arrive twice — it is marked failed with that reason, and the inbox still has it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, or_, update
from sqlmodel import Session, col

from casework.alerts.email import send_email
from casework.alerts.outgoing import Outgoing
from casework.alerts.webhook import post_webhook
from casework.db import unit_of_work
from casework.faults import checkpoint
from casework.models import Alert, Delivery
from casework.services.claims import claim
from casework.settings import Settings
from casework.timeutil import utcnow

INTERRUPTED = "发送过程中断（进程退出），无法确认是否已送达；为避免重复发送，不再自动重试"

SENDERS: dict[str, Callable[[Settings, Outgoing], None]] = {
    "email": send_email,
    "webhook": post_webhook,
}


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(col(Delivery.next_attempt_at).is_(None), col(Delivery.next_attempt_at) <= now)


def queue_due(
    session: Session,
    now: datetime,
    limit: int = 500,
    stale_after: timedelta = timedelta(minutes=10),
    *,
    wall: datetime | None = None,
) -> list[int]:
    """Claim the deliveries to hand to workers now; return their ids. Claims are leases on the
    wall clock (`wall`, default the real time), whatever clock `now` comes from."""
    wall = wall or utcnow()
    stale = wall - stale_after
    session.execute(
        update(Delivery)
        .where(col(Delivery.status) == "sending", col(Delivery.claimed_at) < stale)
        .values(status="failed", last_error=INTERRUPTED)
    )
    due = or_(
        and_(col(Delivery.status) == "pending", _due(now)),
        and_(col(Delivery.status) == "queued", col(Delivery.claimed_at) < stale),
    )
    order = (col(Delivery.next_attempt_at), col(Delivery.id))
    return claim(session, Delivery, due, order, {"status": "queued", "claimed_at": wall}, limit)


def begin_send(
    session: Session, delivery_id: int, now: datetime, *, wall: datetime | None = None
) -> Outgoing | None:
    """Take the delivery for sending (one taker wins); None if it is not due or not ours."""
    taken = session.execute(
        update(Delivery)
        .where(
            col(Delivery.id) == delivery_id,
            col(Delivery.status).in_(["pending", "queued"]),
            _due(now),
        )
        .values(status="sending", claimed_at=wall or utcnow())
        .returning(col(Delivery.id))
    ).first()
    if taken is None:
        return None
    delivery = session.get(Delivery, delivery_id, populate_existing=True)
    assert delivery is not None
    alert = session.get(Alert, delivery.alert_id)
    assert alert is not None
    return Outgoing(
        delivery_id=delivery_id,
        channel=delivery.channel,
        target=delivery.target,
        key=alert.key,
        kind=alert.kind,
        subject=alert.subject,
        body=alert.body,
        link=alert.link,
        case_id=alert.case_id,
        agency_id=alert.agency_id,
        created_at=alert.created_at,
    )


def finish_send(
    session: Session, delivery_id: int, error: str | None, now: datetime, settings: Settings
) -> str:
    delivery = session.get(Delivery, delivery_id, populate_existing=True)
    assert delivery is not None
    if delivery.status != "sending":
        return delivery.status
    delivery.attempts += 1
    delivery.claimed_at = None
    if error is None:
        delivery.status, delivery.sent_at, delivery.last_error = "sent", now, None
    elif delivery.attempts >= settings.delivery_max_attempts:
        delivery.status, delivery.last_error = "failed", error
    else:
        wait = settings.delivery_retry_seconds * 2 ** (delivery.attempts - 1)
        delivery.status, delivery.last_error = "pending", error
        delivery.next_attempt_at = now + timedelta(seconds=wait)
    session.add(delivery)
    return delivery.status


def deliver(
    engine: Engine, delivery_id: int, settings: Settings, now: datetime | None = None
) -> str:
    """Send one delivery: take it, send with no transaction open, record the result."""
    now = now or settings.instant()
    with unit_of_work(engine) as session:
        out = begin_send(session, delivery_id, now)
    if out is None:
        return "gone"
    error: str | None = None
    try:
        SENDERS[out.channel](settings, out)
    except Exception as exc:  # any failure of a channel is recorded on the delivery
        error = f"{type(exc).__name__}: {exc}"[:500]
    checkpoint("deliver:after-send")  # sent, not yet recorded
    with unit_of_work(engine) as session:
        return finish_send(session, delivery_id, error, now, settings)


def deliver_due(engine: Engine, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Send every due delivery in this process (the CLI's `notify send`; workers use tasks)."""
    now = now or settings.instant()
    stale = timedelta(seconds=settings.stale_claim_seconds)
    with unit_of_work(engine) as session:
        ids = queue_due(session, now, stale_after=stale)
    counts: dict[str, int] = {}
    for delivery_id in ids:
        status = deliver(engine, delivery_id, settings, now)
        counts[status] = counts.get(status, 0) + 1
    return counts
