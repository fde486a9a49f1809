"""The alert ledger: an alert is raised once per key, in the caller's transaction, with an
inbox entry per recipient and a delivery per e-mail address and webhook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casework.alerts.recipients import unique
from casework.models import Alert, Delivery, Notification, User
from casework.settings import get_settings


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
    """Record the alert unless its key is in the ledger already (then None)."""
    if session.exec(select(Alert.id).where(Alert.key == key)).first() is not None:
        return None
    alert = Alert(
        key=key,
        kind=message.kind,
        agency_id=agency_id,
        case_id=case_id,
        subject=message.subject,
        body=message.body,
        link=message.link,
    )
    try:
        with session.begin_nested():  # a concurrent writer may have raised it a moment ago
            session.add(alert)
            session.flush()
    except IntegrityError:
        return None
    assert alert.id is not None
    email = get_settings().smtp_host is not None
    addresses: set[str] = set()
    for user in unique(users):
        assert user.id is not None
        session.add(Notification(alert_id=alert.id, user_id=user.id))
        if email and user.email and user.email not in addresses:
            addresses.add(user.email)
            session.add(Delivery(alert_id=alert.id, channel="email", target=user.email))
    for url in dict.fromkeys(webhooks):
        session.add(Delivery(alert_id=alert.id, channel="webhook", target=url))
    session.flush()
    return alert
