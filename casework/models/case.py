"""The case row (a projection of its events) and the append-only event log."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("agency_id", "ref", name="uq_case_agency_ref"),
        # the year statistics read the cases' own standing from this index alone (DESIGN §8:
        # a covering index; casework.statistics.aggregate)
        Index(
            "ix_cases_statistics",
            "agency_id",
            "concluded_on",
            "received_on",
            "outcome",
            "applicant_kind",
            "state",
            "created_at",
            "origin_appeal_id",
            "id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    ref: str = Field(max_length=64)
    applicant_id: int = Field(foreign_key="applicant.id", index=True)
    applicant_kind: str = Field(max_length=32)  # the report column, fixed at registration
    channel: str = Field(max_length=16)
    submitted_on: date | None = None
    signed_on: date | None = None
    confirmed_on: date | None = None
    received_on: date = Field(index=True)
    request_text: str
    delivery: str | None = Field(default=None, max_length=16)
    state: str = Field(max_length=32, index=True)
    outcome: str | None = Field(default=None, max_length=64)
    concluded_on: date | None = None
    handler_id: int | None = Field(default=None, foreign_key="app_user.id")
    workflow_version: int
    version: int = 1
    # Current deadlines, projected from the clocks for fast queries
    reply_due: date | None = Field(default=None, index=True)
    reply_paused: bool = False
    next_due: date | None = Field(default=None, index=True)
    next_clock: str | None = Field(default=None, max_length=32)
    due_provisional: bool = False
    origin_case_id: int | None = Field(default=None, foreign_key="cases.id")
    # 责令重新答复: the decision that ordered this reply anew (a new, linked case)
    # (no foreign key: appeal already references cases, and a cycle would upset table ordering)
    origin_appeal_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CaseEvent(SQLModel, table=True):
    """Never updated or deleted (database triggers refuse it); mistakes get a later event."""

    __tablename__ = "case_event"
    __table_args__ = (
        UniqueConstraint("case_id", "seq", name="uq_case_event_seq"),
        Index("ix_case_event_effective", "effective_on"),
        # the fee events of a year (fee figures), from the index
        Index("ix_case_event_action_effective", "action", "effective_on", "case_id", "recorded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    seq: int
    action: str = Field(max_length=64)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    effective_on: date
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_kind: str = Field(max_length=16)
    actor_name: str = Field(max_length=100)
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    payload_schema: int
    workflow_version: int
