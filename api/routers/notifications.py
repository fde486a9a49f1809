"""The caller's in-app inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Db, Me
from api.schemas import MarkedOut, MarkReadIn, NotificationOut
from casework.services.inbox import inbox, mark_read
from casework.timeutil import utcnow

router = APIRouter(prefix="/notifications", tags=["通知"])


@router.get("", summary="本人的通知，最新在前", response_model=list[NotificationOut])
def list_notifications(
    caller: Me,
    session: Db,
    unread: Annotated[bool, Query(description="只列未读")] = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[NotificationOut]:
    items = inbox(session, caller.user, unread_only=unread, limit=limit)
    return [NotificationOut.model_validate(item, from_attributes=True) for item in items]


@router.post("/read", summary="标记为已读（只能标记本人的通知）", response_model=MarkedOut)
def read(body: MarkReadIn, caller: Me, session: Db) -> MarkedOut:
    marked = mark_read(session, caller.user, body.ids, utcnow())
    session.commit()
    return MarkedOut(marked=marked)
