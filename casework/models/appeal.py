"""Appeals (复议/诉讼) arising from disclosure work: their own records (DESIGN §3.6), each with
an append-only log of what happened (filed, answered, decided)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Appeal(SQLModel, table=True):
    """Projection of the appeal's events, for lists and deadlines."""

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    kind: str = Field(max_length=40)  # reconsideration | litigation_direct | litigation_after_…
    role: str = Field(max_length=32)  # respondent | defendant | co_defendant_review_body
    filed_on: date
    received_on: date  # the agency receives the application or complaint: answer clock starts
    answer_due: date
    answered_on: date | None = None
    decided_on: date | None = None
    result: str | None = Field(default=None, max_length=16)  # upheld | corrected | other
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AppealEvent(SQLModel, table=True):
    __tablename__ = "appeal_event"
    __table_args__ = (
        UniqueConstraint("appeal_id", "seq"),
        # the appeals with events recorded after T (table 四 as of T)
        Index("ix_appeal_event_recorded", "recorded_at", "appeal_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    appeal_id: int = Field(foreign_key="appeal.id", index=True)
    seq: int
    action: str = Field(max_length=16)  # filed | answered | decided
    effective_on: date
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    actor_name: str = Field(max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
