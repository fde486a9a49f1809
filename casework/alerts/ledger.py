"""The alert ledger: an alert is raised once per key, in the caller's transaction, with an
inbox entry per recipient and a delivery per e-mail address and webhook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from casework.alerts import recipients
from casework.alerts.recipients import unique
from casework.models import Agency, Alert, Case, Delivery, Notification, User
from casework.settings import get_settings
from casework.timeutil import utcnow


@dataclass(frozen=True)
class Message:
    kind: str  # reminder, overdue, expired, held, moved, digest, calendar
    subject: str
    body: str
    link: str | None = None


def raise_alert(
    session: Session,
    key: str,
    message: Message,
    users: Iterable[User],
    webhooks: Iterable[str] = (),
    *,
    agency_id: int | None = None,
    case_id: int | None = None,
) -> Alert | None:
    """Record the alert unless its key is in the ledger already (then None). One statement
    decides, also against a concurrent writer: INSERT … ON CONFLICT (key) DO NOTHING."""
    values: dict[str, Any] = {
        "key": key,
        "kind": message.kind,
        "agency_id": agency_id,
        "case_id": case_id,
        "subject": message.subject,
        "body": message.body,
        "link": message.link,
        "created_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    alert_id = session.execute(
        insert(Alert)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Alert.id))
    ).scalar()
    if alert_id is None:
        return None
    email = get_settings().smtp_host is not None
    inbox: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    addresses: set[str] = set()
    for user in unique(users):
        inbox.append({"alert_id": alert_id, "user_id": user.id})
        if email and user.email and user.email not in addresses:
            addresses.add(user.email)
            deliveries.append({"alert_id": alert_id, "channel": "email", "target": user.email})
    for url in dict.fromkeys(webhooks):
        deliveries.append({"alert_id": alert_id, "channel": "webhook", "target": url})
    if inbox:
        session.execute(sa_insert(Notification), inbox)
    if deliveries:
        session.execute(
            sa_insert(Delivery), [{"status": "pending", "attempts": 0, **d} for d in deliveries]
        )
    # A plain record of what was raised (not attached to the session: the row is written).
    return Alert(id=alert_id, **values)


def alert_case(
    session: Session,
    case: Case,
    agency: Agency,
    key: str,
    message: Message,
    day: date,
    *,
    escalate: bool = False,
) -> Alert | None:
    """Tell the case's handler (and the agency's webhook); with `escalate`, also the approvers
    of the agency and of its district offices (and their webhooks)."""
    users = recipients.handlers(session, case, day)
    webhooks = [agency.webhook_url] if agency.webhook_url else []
    if escalate:
        approvers, hooks = recipients.escalation(session, agency, day)
        users, webhooks = [*users, *approvers], [*webhooks, *hooks]
    return raise_alert(
        session, key, message, users, webhooks, agency_id=case.agency_id, case_id=case.id
    )
