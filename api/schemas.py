"""Response bodies (request bodies are the core's own payload models, workflows.payloads)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.attachment_schemas import AttachmentOut
from workflows.payloads import ApplicantData


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
        strict=True,
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


class NoticeRef(Out):
    kind: str = Field(description="告知书类型，如 correction")
    title: str


class AllowedAction(Out):
    action: str
    label: str
    notice: NoticeRef | None = Field(
        default=None, description="该操作对应的告知书（操作后用 POST …/notices 出具）"
    )


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
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="附件（含已撤回的）；政务公开办看到的文件名、备注已隐去"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="本次操作须经办人留意之处（如收费金额与按标准试算的金额不一致）；读取时为空",
    )


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
    ids: list[Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]] = Field(
        min_length=1, max_length=500
    )


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
    workday: bool = Field(strict=True, description="true：上班；false：休息")
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
    case_id: int | None = Field(default=None, strict=True, ge=1, le=2**31 - 1)


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


class PossibleRepeatOut(Out):
    case_id: int
    ref: str
    agency: str = Field(description="机关代码（可能是已并入本机关的原机关）")
    received_on: date
    outcome: str
    outcome_label: str
    concluded_on: date | None
    similarity: float = Field(ge=0, le=1, description="申请内容的相似度（字符二元组余弦，0–1）")
    matched_on: Literal["id_number", "name"] = Field(
        description="id_number：身份证件号码相同；name：姓名（名称）及申请人类型相同"
    )
    matched_on_label: str
    applicant_name: str = Field(description="申请人姓名；无权查看个人信息的用户看到脱敏的姓名")
    request_excerpt: str = Field(description="原申请内容摘要")


REPEATS_NOTE = "同一申请人已获答复的申请，按申请内容相似度排列；仅供参考，是否属于重复申请（条例第三十六条第（六）项）由经办人判断"


class PossibleRepeatsOut(Out):
    note: str = REPEATS_NOTE
    items: list[PossibleRepeatOut]


class RegisteredCase(CaseDetail):
    possible_repeats: list[PossibleRepeatOut] = Field(description=f"可能的重复申请：{REPEATS_NOTE}")


class RepeatCheckIn(BaseModel):
    """The registration form's pre-check: nothing is stored."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        str_max_length=20_000,
        json_schema_extra={
            "examples": [
                {
                    "agency": "zhz",
                    "applicant": {"kind": "natural_person", "name": "张三",
                                  "id_number": "110101199003070011"},
                    "request": "申请公开某路段改造工程的环境影响评价报告",
                    "received_on": "2026-11-20",
                }
            ]
        },
    )  # fmt: skip
    agency: str = Field(min_length=1, max_length=64)
    applicant: ApplicantData
    request: str = Field(min_length=1)
    received_on: date | None = Field(default=None, description="收到申请之日；默认今日")
    limit: int = Field(default=10, ge=1, le=100, description="最多列出几件")


class FeeBandOut(Out):
    first: int
    last: int
    count: int
    rate: str = Field(description="元/件或元/页")
    amount: str = Field(description="元")
    line: str


class FeeEarlierOut(Out):
    ref: str
    agency: str
    received_on: date
    items: int = Field(description="计为几件（其收费通知记载的拆分件数，未记载的为1）")


class FeeQuoteOut(Out):
    case_id: int
    ref: str
    basis: Literal["per_item", "per_volume"]
    basis_label: str
    standard: str = Field(description="收费标准依据")
    month: str = Field(description="收到申请的自然月，如 2026-11")
    items: int | None = Field(description="按件：本申请计为几件")
    pages: int | None = Field(description="按量：提供的页数")
    first_position: int | None = Field(description="按件：本申请是同一申请人本月第几件")
    earlier: list[FeeEarlierOut] = Field(
        description="按件：本月此前的各件申请（按收到日期、登记先后）"
    )
    bands: list[FeeBandOut]
    amount: str = Field(description="按标准试算的金额（元）")
    lines: list[str] = Field(description="中文计算过程")
    note: str = "按标准试算，供发出收费通知前核对；减免的，请在收费通知中写明"
