"""Idempotency keys for requests that create something (a case, an appeal).

A client that did not see the answer to a creating request (a timeout, a dropped connection)
sends it again with the same key and gets what the first attempt created instead of a second
case. The key is remembered in the transaction that creates the resource, so a key is never
recorded without its resource nor a resource without its key. Keys are per user and live for
`idempotency_hours`; the same key with a different request is refused, and the same key sent
twice at the same moment lets exactly one through (the other gets a conflict and may retry).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casework.errors import Conflict, Invalid
from casework.models import IdempotencyKey
from casework.settings import get_settings


def create_once(
    session: Session,
    user_id: int,
    key: str | None,
    operation: str,
    body: Any,
    now: datetime,
    create: Callable[[], int],
) -> tuple[int, bool]:
    """Run `create` (which returns the new resource's id) unless `key` was used for the same
    request before; (the resource id, whether it is the earlier one). The caller commits."""
    if key is None:
        return create(), False
    digest = request_digest(operation, body)
    first = previous_result(session, user_id, key, digest, now)
    if first is not None:
        return first, True
    created = create()
    remember(session, user_id, key, operation, digest, created, now)
    return created, False


def request_digest(operation: str, body: Any) -> str:
    """SHA-256 of the operation and its body in a canonical JSON form (key order ignored)."""
    canonical = json.dumps(
        [operation, body], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def previous_result(
    session: Session, user_id: int, key: str, digest: str, now: datetime
) -> int | None:
    """The id the first request with this key created, or None when the key is new (or its
    record expired, which frees it)."""
    row = session.exec(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).first()
    if row is None:
        return None
    if row.created_at < now - timedelta(hours=get_settings().idempotency_hours):
        session.delete(row)
        session.flush()
        return None
    if row.request_hash != digest:
        raise Invalid(
            "Idempotency-Key 已用于另一内容不同的请求：重试须与原请求完全相同，新请求须换一个键",
            field="Idempotency-Key",
        )
    return row.resource_id


def remember(
    session: Session,
    user_id: int,
    key: str,
    operation: str,
    digest: str,
    resource_id: int,
    now: datetime,
) -> None:
    """Record the key with what it created, in the creating transaction."""
    session.add(
        IdempotencyKey(
            user_id=user_id,
            key=key,
            operation=operation,
            request_hash=digest,
            resource_id=resource_id,
            created_at=now,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        # the same key, sent again before the first request finished: that one wins
        raise Conflict(
            "使用同一 Idempotency-Key 的请求正在处理，请稍后重试（重试将得到首次请求的结果）"
        ) from None


def purge_expired(session: Session, now: datetime) -> int:
    """Drop keys past their lifetime (run by the daily job)."""
    cutoff = now - timedelta(hours=get_settings().idempotency_hours)
    result = session.execute(delete(IdempotencyKey).where(col(IdempotencyKey.created_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
