"""Applicants: the only place personal data lives (events reference it by id)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Applicant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    name: str = Field(max_length=200)
    id_number: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
