"""Timers: a projection of the clocks for the sweeper (rebuilt from the log at any time)."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Timer(SQLModel, table=True):
    __table_args__ = (Index("ix_timer_status_fire_at", "status", "fire_at"),)  # the sweep's claim
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=16)  # expiry, reminder
    action: str = Field(max_length=64)  # the action the timer applies when it fires
    clock: str = Field(max_length=32)
    due_on: date  # the period's last day
    fire_on: date = Field(index=True)  # the effective date it fires with (China date)
    fire_at: datetime = Field(sa_type=UTCDateTime)  # the instant the sweep claims it
    threshold: str = Field(default="expiry", max_length=32)  # expiry, before:5, due, overdue
    provisional: bool = False
    anchor_seq: int  # the event the deadline derives from
    key: str = Field(unique=True, max_length=200)  # (case, clock, threshold, anchor event)
    # pending → claimed → done; cancelled when the case moves on; held: a provisional expiry
    # waits for an approver; skipped: a reminder whose day had passed when it came up
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    last_error: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
