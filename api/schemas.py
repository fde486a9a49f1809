"""Response bodies (request bodies are the core's own payload models, workflows.payloads)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=False,
        json_schema_extra={
            "examples": [{"username": "wang", "password": "请输入密码", "cookie": False}]
        },
    )
    username: str = Field(min_length=1, max_length=64, examples=["li"])
    password: str = Field(min_length=1, max_length=1024, examples=["请输入密码"])
    cookie: bool = Field(
        default=False,
        description="为网页界面设置 HttpOnly 会话 Cookie（写操作须带 X-CSRF-Token 请求头）",
    )


class RoleOut(Out):
    agency: str
    agency_name: str
    role: str
    role_label: str
    valid_from: date | None = None
    valid_to: date | None = None


class MeOut(Out):
    username: str
    display_name: str
    email: str | None
    roles: list[RoleOut]
    supervised: list[str] = Field(description="以政务公开办身份可查看（脱敏、只读）的下级机关代码")


class LoginOut(Out):
    token: str = Field(description="Bearer 令牌，仅此一次返回")
    token_type: str = "bearer"
    expires_at: datetime
    csrf_token: str | None = None
    user: MeOut


class PasswordIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"old_password": "旧密码", "new_password": "new-secret-42"}]
        },
    )
    old_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class AgencyOut(Out):
    code: str
    name: str
    parent: str | None
    supervises_subtree: bool
    active: bool
    roles: list[str] = Field(description="本人在该机关的角色；空：以政务公开办身份查看")


class CaseSummary(Out):
    id: int
    ref: str
    agency: str
    agency_name: str
    state: str
    state_label: str
    outcome: str | None
    received_on: date
    reply_due: date | None
    due_provisional: bool
    overdue: bool
    applicant_kind: str
    applicant_name: str
    handler: str | None
    version: int


class CasePage(Out):
    items: list[CaseSummary]
    next_cursor: str | None = Field(description="下一页的游标；null：已是最后一页")


class ApplicantOut(Out):
    kind: str
    kind_label: str
    name: str
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class AllowedAction(Out):
    action: str
    label: str


class DeadlineOut(Out):
    clock: str
    label: str
    party: str | None
    due: date | None
    paused: bool
    provisional: bool
    met: bool | None
    current: bool
    expires_on: date | None
    derivation: list[str]


class EventOut(Out):
    seq: int
    action: str
    label: str
    on: date
    recorded_at: datetime
    actor: str
    actor_kind: str
    from_state: str | None
    to_state: str
    payload: dict[str, Any]


class CaseDetail(Out):
    id: int
    ref: str
    agency: str
    agency_name: str
    state: str
    state_label: str
    outcome: str | None
    outcome_label: str | None
    version: int
    received_on: date
    channel: str
    applicant: ApplicantOut
    handler: str | None
    request: str
    concluded_on: date | None
    workflow_version: int
    masked: bool = Field(description="个人信息是否已脱敏")
    actions_allowed: list[AllowedAction]
    deadlines: list[DeadlineOut]
    events: list[EventOut]


class NotificationOut(Out):
    id: int
    kind: str
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ids": [12, 13]}]})
    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(min_length=1, max_length=500)


class MarkedOut(Out):
    marked: int


class Health(Out):
    status: str
    checks: dict[str, str] = {}


class CalendarDay(Out):
    date: date
    workday: bool
    reason: str


class CalendarYearOut(Out):
    year: int
    agency: str | None
    provisional: bool = Field(description="该年放假安排尚未载入，按临时规则推算")
    working_days: int
    days: list[CalendarDay] = Field(description="节假日、调休上班日及调整（不含普通工作日和周末）")


class DayOverrideIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [{"workday": False, "source": "某自治州民族节日放假通知", "agency": "zhz"}]
        },
    )
    workday: bool = Field(description="true：上班；false：休息")
    source: str = Field(min_length=1, max_length=500, description="依据，如通知文号或网址")
    agency: str | None = Field(default=None, description="仅对该机关生效；不填为全国")


class YearConfirmIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"source": "国办发明电〔2026〕7号"}]},
    )
    source: str = Field(min_length=1, max_length=500, description="国务院办公厅通知的文号或网址")


class MovedOut(Out):
    ref: str
    clock: str
    party: str | None
    old_due: date | None
    new_due: date | None


class CalendarChangeOut(Out):
    moved: list[MovedOut] = Field(description="随之变化的在办案件期限（已记入日历审计）")


class DeadlineCalcOut(Out):
    start: date
    days: int
    due: date
    provisional: bool
    derivation: list[str]


class AppealIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"agency": "zhz", "kind": "reconsideration", "filed_on": "2026-11-20", "case_id": 7}
            ]
        },
    )
    agency: str = Field(min_length=1, max_length=64)
    kind: Literal["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
    filed_on: date
    received_on: date | None = None
    role: Literal["respondent", "defendant", "co_defendant_review_body"] | None = None
    case_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class AppealAnswerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"on": "2026-11-25"}]}
    )
    on: date


class AppealDecideIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"result": "upheld", "on": "2026-12-20"}]}
    )
    result: Literal["upheld", "corrected", "other"]
    on: date


class AppealOut(Out):
    id: int
    agency: str
    case_id: int | None
    kind: str
    role: str
    filed_on: date
    received_on: date
    answer_due: date
    answered_on: date | None
    decided_on: date | None
    result: str | None


class DelegationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "agency": "zhz",
                    "to": "liu",
                    "role": "approver",
                    "valid_from": "2026-12-01",
                    "valid_to": "2026-12-15",
                }
            ]
        },
    )
    agency: str = Field(min_length=1, max_length=64, examples=["zhz"])
    to: str = Field(min_length=1, max_length=64, description="受托人用户名", examples=["liu"])
    role: Literal["approver", "clerk"] = "approver"
    valid_from: date = Field(examples=["2026-12-01"])
    valid_to: date = Field(examples=["2026-12-15"])


class DelegationOut(Out):
    id: int
    agency: str
    to: str
    by: str
    role: str
    valid_from: date | None
    valid_to: date | None
