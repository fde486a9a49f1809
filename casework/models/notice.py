"""Formal notices (告知书) issued on a case, their serial-number counters and the agencies'
own template versions (DESIGN §3.4; LEGAL.md §7)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Notice(SQLModel, table=True):
    """One issued notice. The rendering context is stored with it, so re-rendering it with the
    same template version gives the same document (checked against `content_hash`)."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("agency_id", "number", name="uq_notice_agency_number"),
        UniqueConstraint("event_id", "kind", "recipient", name="uq_notice_event_kind_recipient"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    event_id: int = Field(foreign_key="case_event.id", index=True)  # the step it belongs to
    kind: str = Field(max_length=32)
    recipient: str = Field(default="", max_length=200)  # "" = the applicant; else a third party
    number: str = Field(max_length=100)  # 文号
    year: int
    serial: int
    dated: date  # the date the notice bears (the step's effective date)
    template_kind: str = Field(max_length=32)
    template_version: int
    template_override_id: int | None = Field(default=None, foreign_key="notice_template.id")
    context: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    content_hash: str = Field(max_length=64)  # SHA-256 of the rendered DOCX
    issued_by_name: str = Field(max_length=100)
    issued_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeCounter(SQLModel, table=True):
    """The last serial number given per agency, year and scope (a notice kind, or "*" when the
    agency's pattern numbers every kind in one sequence). Locked while a number is taken."""

    __tablename__ = "notice_counter"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "scope", name="uq_notice_counter_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    year: int
    scope: str = Field(max_length=32)
    last_serial: int = 0


class NoticeTemplate(SQLModel, table=True):
    """An agency's own template for one notice kind. Versions are never changed or deleted
    (old notices re-render with theirs); the newest version not retired is in use."""

    __tablename__ = "notice_template"
    __table_args__ = (
        UniqueConstraint("agency_id", "kind", "version", name="uq_notice_template_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    kind: str = Field(max_length=32)
    version: int
    docx: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    note: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    retired: bool = False  # set when the agency goes back to the built-in template
