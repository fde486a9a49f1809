"""The alert ledger: an alert is raised once per key, in the caller's transaction, with an
inbox entry per recipient and a delivery per e-mail address and webhook."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True)
class Draft:
    """An alert to raise: its key, text and recipients."""

    key: str
    message: Message
    users: Sequence[User]
    webhooks: Sequence[str] = ()
    agency_id: int | None = None
    case_id: int | None = None


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
    draft = Draft(key, message, list(users), list(webhooks), agency_id, case_id)
    return raise_alerts(session, [draft])[0]


def raise_alerts(session: Session, drafts: Sequence[Draft]) -> list[Alert | None]:
    """Record each alert whose key is not in the ledger yet; None for the others (and for a
    key repeated in `drafts`: the first wins). One statement decides, also against a
    concurrent writer: INSERT … ON CONFLICT (key) DO NOTHING RETURNING, many rows at a time;
    then every inbox row and every delivery in one executemany each."""
    now = utcnow()
    first: dict[str, Draft] = {}
    for draft in drafts:
        first.setdefault(draft.key, draft)
    values: list[dict[str, Any]] = [
        {
            "key": d.key,
            "kind": d.message.kind,
            "agency_id": d.agency_id,
            "case_id": d.case_id,
            "subject": d.message.subject,
            "body": d.message.body,
            "link": d.message.link,
            "created_at": now,
        }
        for d in first.values()
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # executemany with RETURNING: SQLAlchemy sends it as few multi-row INSERTs
    # ("insertmanyvalues") from one cached statement
    statement = (
        insert(Alert.__table__)  # type: ignore[attr-defined]
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Alert.id), col(Alert.key))
    )
    rows = session.connection().execute(statement, values).all() if values else []
    ids = {key: ident for ident, key in rows if ident is not None}
    email = get_settings().smtp_host is not None
    inbox: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for draft in first.values():
        alert_id = ids.get(draft.key)
        if alert_id is None:
            continue
        addresses: set[str] = set()
        for user in unique(draft.users):
            inbox.append({"alert_id": alert_id, "user_id": user.id})
            if email and user.email and user.email not in addresses:
                addresses.add(user.email)
                deliveries.append({"alert_id": alert_id, "channel": "email", "target": user.email})
        for url in dict.fromkeys(draft.webhooks):
            deliveries.append({"alert_id": alert_id, "channel": "webhook", "target": url})
    if inbox:
        session.execute(sa_insert(Notification), inbox)
    if deliveries:
        session.execute(
            sa_insert(Delivery), [{"status": "pending", "attempts": 0, **d} for d in deliveries]
        )
    # Plain records of what was raised (not attached to the session: the rows are written).
    raised = {v["key"]: Alert(id=ids[v["key"]], **v) for v in values if v["key"] in ids}
    return [raised.get(d.key) if first[d.key] is d else None for d in drafts]


@dataclass(frozen=True)
class CaseAlert:
    """An alert about one case: to its handler (and the agency's webhook); with `escalate`,
    also to the approvers of the agency and of its district offices (and their webhooks)."""

    case: Case
    agency: Agency
    key: str
    message: Message
    escalate: bool = False


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
    return alert_cases(session, [CaseAlert(case, agency, key, message, escalate)], day)[0]


def alert_cases(session: Session, alerts: Sequence[CaseAlert], day: date) -> list[Alert | None]:
    """Raise many case alerts at once; each agency's and handler's recipients looked up once."""
    handlers: dict[tuple[int, int | None], list[User]] = {}
    escalations: dict[int, tuple[list[User], list[str]]] = {}
    drafts: list[Draft] = []
    for alert in alerts:
        case, agency = alert.case, alert.agency
        assert agency.id is not None
        who = (case.agency_id, case.handler_id)
        if who not in handlers:
            handlers[who] = recipients.handlers(session, case, day)
        users = handlers[who]
        webhooks = [agency.webhook_url] if agency.webhook_url else []
        if alert.escalate:
            if agency.id not in escalations:
                escalations[agency.id] = recipients.escalation(session, agency, day)
            approvers, hooks = escalations[agency.id]
            users, webhooks = [*users, *approvers], [*webhooks, *hooks]
        drafts.append(Draft(alert.key, alert.message, users, webhooks, case.agency_id, case.id))
    return raise_alerts(session, drafts)
