"""Tables behind the year statistics (DESIGN §3.6): the conclusion ledger (the fast path) and
the figures entered per agency and year."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class CaseConclusion(SQLModel, table=True):
    """Append-only: one row each time a case's standing for the statistics changes — it is
    concluded, its outcome is amended, an expiry is voided (reopened) or the case is voided.
    A case's standing as of T is its latest row recorded at or before T."""

    __tablename__ = "case_conclusion"
    __table_args__ = (
        Index("ix_case_conclusion_case_recorded", "case_id", "recorded_at"),
        # the cases of some agencies received by a day whose standing changed after T (the
        # year statistics as of T)
        Index(
            "ix_case_conclusion_agency_recorded",
            "agency_id",
            "recorded_at",
            "received_on",
            "case_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    agency_id: int = Field(foreign_key="agency.id")
    applicant_kind: str = Field(max_length=32)  # the report column
    received_on: date  # the case's receipt date (fixed at registration), copied for the index
    outcome: str | None = Field(default=None, max_length=64)  # the report row; None: open
    concluded_on: date | None = None  # the effective date that puts it in a report year
    voided: bool = False
    event_seq: int
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportInput(SQLModel, table=True):
    """Figures entered per agency and year (table 二 主动公开 …), kept with each revision."""

    __tablename__ = "report_input"
    __table_args__ = (UniqueConstraint("agency_id", "year", "kind", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int
    kind: str = Field(max_length=32)  # "proactive"
    revision: int = 1
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
