"""Alerts and their deliveries (DESIGN §4).

An `Alert` is one entry of the alert ledger: its key — (case, clock, threshold, anchor event)
for a reminder, (agency, day) for a digest — is unique, so each alert is raised once and a
restarted clock (a new anchor event) can raise it again. Each recipient sees it in the in-app
inbox (`Notification`); each e-mail address and webhook gets one `Delivery` with its own state."""

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Alert(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=32)  # reminder, overdue, expired, held, moved, digest, calendar
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """An alert in one user's in-app inbox."""

    __table_args__ = (UniqueConstraint("alert_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """An alert sent over one channel to one target: pending → queued → sending → sent, or
    back to pending with a later attempt time after a failure, or failed for good."""

    __table_args__ = (
        UniqueConstraint("alert_id", "channel", "target"),
        Index("ix_delivery_status_next_attempt_at", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    channel: str = Field(max_length=16)  # email, webhook
    target: str = Field(max_length=500)  # an address or a URL
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: at once
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
