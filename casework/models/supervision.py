"""Supervision (督办) of a sub-agency's case by a district office (DESIGN §1): a record of its
own with its own notification — not a case event, so it bumps no version and counts in no
report. Append-only, like the event log (database triggers refuse a change)."""

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Supervision(SQLModel, table=True):
    __tablename__ = "supervision"
    __table_args__ = (
        # a supervising office's records (its page's "last supervised")
        Index("ix_supervision_supervising_case", "supervising_agency_id", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # the same office, case, day, note and due day twice is one supervision (a double submit):
    # supervision:{case}:{office}:{day}:{digest of note and due day}; also its alert's key
    key: str = Field(unique=True, max_length=200)
    case_id: int = Field(foreign_key="cases.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)  # the case's agency
    supervising_agency_id: int = Field(foreign_key="agency.id")  # the district office
    by_user_id: int = Field(foreign_key="app_user.id")
    note: str = Field(sa_column=Column(Text, nullable=False))
    due_by: date | None = None  # the day the office expects the agency to have acted
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
