"""Published annual reports (DESIGN §3.6): publishing a year freezes its as-of instant and keeps
a snapshot — the figures, every rendered file and a content hash — that never changes. A
correction is published as a new revision; earlier revisions stay (both tables append-only)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class ReportPublication(SQLModel, table=True):
    __tablename__ = "report_publication"
    __table_args__ = (UniqueConstraint("agency_id", "year", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int
    revision: int = 1
    as_of: datetime = Field(sa_type=UTCDateTime)  # the frozen T of report(Y, T)
    figures: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # the report's JSON
    content_hash: str = Field(max_length=64)  # SHA-256 over the figures and every file
    reason: str | None = Field(default=None, max_length=500)  # why a later revision was made
    published_by: str = Field(max_length=100)
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportFile(SQLModel, table=True):
    """One rendering of a publication (html, docx, xlsx, json, txt), byte for byte."""

    __tablename__ = "report_file"
    __table_args__ = (UniqueConstraint("publication_id", "format"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="report_publication.id", index=True)
    format: str = Field(max_length=16)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=128)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
