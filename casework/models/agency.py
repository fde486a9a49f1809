"""Agencies (机关) form a tree; renames and merges (机构改革) keep their history."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    supervises_subtree: bool = False  # a district office (政务公开办)
    merged_into_id: int | None = Field(default=None, foreign_key="agency.id")
    active: bool = True
    # Policy the rules depend on (DESIGN §3.3, §3.4)
    signoff_required: bool = False
    post_grace_days: int = 0
    correction_period_wd: int = 15
    count_follow_up_cases: bool = True  # replies ordered anew count in the table like any case
    # Reminder policy (DESIGN §4): working days before a deadline, the hour of the day (China
    # time), and whether an overdue case is escalated to the approvers every working day
    remind_before_wd: str = Field(default="5,2", max_length=64)
    remind_at: str = Field(default="09:00", max_length=5)
    escalate_overdue: bool = True
    webhook_url: str | None = Field(default=None, max_length=500)
    # Notices (告知书): the short name in 文号, the 文号 pattern (None: the default), and the
    # review body named in the remedy wording (None: a generic phrase)
    short_name: str | None = Field(default=None, max_length=32)
    notice_number_pattern: str | None = Field(default=None, max_length=100)
    review_body: str | None = Field(default=None, max_length=200)
    # The annual report's due day as "MM-DD" (None: the setting for its level — 01-31 for a
    # department, Art. 49); the roll-up lists sub-agencies not published by then
    report_due: str | None = Field(default=None, max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgencyName(SQLModel, table=True):
    """Every name an agency has had, so old reports keep the name of their time."""

    __tablename__ = "agency_name"
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    name: str = Field(max_length=200)
    valid_from: date | None = None
    valid_to: date | None = None
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
