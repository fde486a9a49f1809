"""A user's in-app inbox: their alerts, newest first; marking read touches only their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from casework.errors import NotFound
from casework.models import Alert, Notification, User


@dataclass(frozen=True)
class InboxItem:
    id: int
    kind: str
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None
    case_id: int | None = None  # the case it is about (the web inbox links to its page)


def inbox(
    session: Session, user: User, *, unread_only: bool = True, limit: int = 50, offset: int = 0
) -> list[InboxItem]:
    query = (
        select(Notification, Alert)
        .join(Alert, col(Alert.id) == col(Notification.alert_id))
        .where(Notification.user_id == user.id)
        .order_by(col(Alert.created_at).desc(), col(Notification.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    return [
        InboxItem(n.id or 0, a.kind, a.subject, a.body, a.link, a.created_at, n.read_at, a.case_id)
        for n, a in session.exec(query).all()
    ]


def unread_count(session: Session, user: User) -> int:
    """How many of the user's notifications are unread (the badge in the page header)."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, col(Notification.read_at).is_(None))
    )
    return int(session.exec(query).one())


def mark_read(session: Session, user: User, ids: Sequence[int], now: datetime) -> int:
    """Mark the user's notifications read; an id that is not theirs is an error (no change)."""
    rows = session.exec(
        select(Notification).where(
            col(Notification.id).in_(list(ids)), Notification.user_id == user.id
        )
    ).all()
    missing = sorted(set(ids) - {r.id for r in rows})
    if missing:
        raise NotFound(f"收件箱中没有编号为 {', '.join(map(str, missing))} 的通知")
    changed = 0
    for row in rows:
        if row.read_at is None:
            row.read_at = now
            session.add(row)
            changed += 1
    session.flush()
    return changed


def mark_all_read(session: Session, user: User, now: datetime) -> int:
    """Mark every unread notification of the user read (the web inbox's 全部标为已读)."""
    result = session.connection().execute(
        update(Notification)
        .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
        .values(read_at=now)
    )
    session.flush()
    return int(result.rowcount)
