"""The working-day calendar kept in the database: overrides, loaded years, and the audit of
deadlines moved by a calendar change."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class CalendarOverride(SQLModel, table=True):
    __tablename__ = "calendar_override"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    workday: bool
    source: str
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CalendarYear(SQLModel, table=True):
    """A year whose State Council notice has been loaded beyond the seeded package data."""

    __tablename__ = "calendar_year"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    source: str
    loaded_by: str = Field(max_length=100)
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CalendarAudit(SQLModel, table=True):
    """A deadline moved by a calendar change (not a case event: it bumps no version)."""

    __tablename__ = "calendar_audit"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    clock: str = Field(max_length=32)
    party: str | None = None
    old_due: date | None = None
    new_due: date | None = None
    reason: str
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
