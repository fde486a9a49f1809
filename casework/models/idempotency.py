"""Idempotency keys: a retried POST that creates something (a case, an appeal) returns what
the first attempt created instead of creating it twice."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    key: str = Field(max_length=255)
    operation: str = Field(max_length=64)  # e.g. "register", "file_appeal"
    request_hash: str = Field(max_length=64)  # SHA-256 of the canonical request body
    resource_id: int  # the case or appeal the first attempt created
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
