"""The rendering context of a notice: the case's facts as of the step it belongs to.

Dates come from the event log (the step's effective date is the notice's date: the day a
letter is issued, DESIGN §3.3), due dates from `casework.clocks` over the events up to that
step, names from the directory. Everything is turned into the text the document prints,
and the context is stored with the notice (JSON), so the notice re-renders as issued.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from casework.clocks import Clocks, compute_clocks
from casework.errors import Invalid
from casework.models import Applicant, CaseEvent, Notice, User
from casework.notices import wording as w
from casework.notices.kinds import NoticeKind
from casework.services.snapshots import CaseContext, event_record
from workflows.actions import stands_for
from workflows.clocks import Clock
from workflows.fees import FeeBasis
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID, OUTCOME_BY_CODE, WITHDRAWN
from workflows.payloads import CHANNEL_LABELS
from workflows.validation import describe

DEFAULT_CORRECTION_ITEM = (
    "请明确所申请政府信息的名称、文号或者便于本机关查询的其他特征性描述"
    "（《中华人民共和国政府信息公开条例》第二十九条第二款第（二）项）"
)
DEFAULT_PAYMENT_METHOD = "请持本通知到本机关办理缴费手续，或按本机关告知的非税收入缴款方式缴纳"
OPINIONS = {
    "consent": "同意公开",
    "objection": "不同意公开",
    "none": "未提出意见",
    None: "在规定期限内未提出意见",
}
PERSONAL_KEYS = ("applicant_name",)  # masked in a preview for roles that may not see them


class NoticeFields(BaseModel):
    """What the clerk adds when issuing (the rest comes from the case)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              str_max_length=5_000)  # fmt: skip

    items: tuple[str, ...] | None = Field(default=None, description="补正事项（补正告知书）")
    approver: str | None = Field(default=None, max_length=100, description="同意延期的负责人")
    information: str | None = Field(default=None, description="所涉政府信息（征求意见、决定公开）")
    content: str | None = Field(default=None, description="决定公开的政府信息内容")
    reasons: str | None = Field(default=None, description="决定公开的理由")
    standard: str | None = Field(default=None, description="收费标准（默认按计收方式引用109号文）")
    payment_method: str | None = Field(default=None, description="缴费方式")
    details: str | None = Field(
        default=None, description="答复的具体说明（如获取途径、不予公开的理由）"
    )
    competent_agency: str | None = Field(default=None, description="负责公开该信息的机关及联系方式")

    @field_validator("items")
    @classmethod
    def _items(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and (not value or any(not item for item in value)):
            raise ValueError("补正事项不能为空")
        return value


ALLOWED_FIELDS: dict[NoticeKind, frozenset[str]] = {
    NoticeKind.RECEIPT: frozenset(),
    NoticeKind.CORRECTION: frozenset({"items"}),
    NoticeKind.EXTENSION: frozenset({"approver"}),
    NoticeKind.CONSULTATION: frozenset({"information"}),
    NoticeKind.DISCLOSURE_DECISION: frozenset({"information", "content", "reasons"}),
    NoticeKind.FEE: frozenset({"standard", "payment_method"}),
    NoticeKind.REPLY: frozenset({"details", "competent_agency"}),
    NoticeKind.TERMINATION: frozenset(),
}
REQUIRED_FIELDS: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.DISCLOSURE_DECISION: ("content", "reasons"),
}
FIELD_LABELS = {name: info.description or name for name, info in NoticeFields.model_fields.items()}


def parse_fields(kind: NoticeKind, raw: Mapping[str, Any] | None) -> NoticeFields:
    raw = dict(raw or {})
    unknown = sorted(set(raw) - ALLOWED_FIELDS[kind])
    if unknown:
        allowed = "、".join(f"{n}（{FIELD_LABELS[n]}）" for n in sorted(ALLOWED_FIELDS[kind]))
        raise Invalid(
            f"{kind.label}不接受字段 {'、'.join(unknown)}；可用：{allowed or '无'}", unknown[0]
        )
    try:
        fields = NoticeFields.model_validate(raw)
    except ValidationError as error:
        path, message = describe(error)[0]
        raise Invalid(f"{path}：{message}", path or None) from None
    missing = [n for n in REQUIRED_FIELDS.get(kind, ()) if not getattr(fields, n)]
    if missing:
        names = "、".join(f"{n}（{FIELD_LABELS[n]}）" for n in missing)
        raise Invalid(f"{kind.label}须填写：{names}", missing[0])
    return fields


@dataclass(frozen=True)
class Step:
    """The case as of one event: its context, the event and the events up to it."""

    ctx: CaseContext
    event: CaseEvent

    @property
    def before(self) -> list[CaseEvent]:
        return [r for r in self.ctx.rows if r.seq < self.event.seq]

    def clocks(self, *, including: bool = True) -> Clocks:
        rows = [
            r
            for r in self.ctx.rows
            if r.seq < self.event.seq or (including and r.seq == self.event.seq)
        ]
        return compute_clocks(
            self.ctx.case.received_on,
            [event_record(r) for r in rows],
            self.ctx.calendar,
            self.ctx.snapshot.policy,
        )

    def last_before(self, *actions: str) -> CaseEvent | None:
        for row in reversed(self.before):
            if row.action in actions:
                return row
        return None


def build_context(
    session: Session, step: Step, kind: NoticeKind, recipient: str, fields: NoticeFields
) -> dict[str, Any]:
    ctx, event = step.ctx, step.event
    case, agency = ctx.case, ctx.agency
    applicant = session.get(Applicant, case.applicant_id)
    assert applicant is not None
    dated = event.effective_on
    context: dict[str, Any] = {
        "kind": kind.value,
        "title": kind.label,
        "number": "",
        "agency_name": agency.name,
        "review_body": agency.review_body or w.DEFAULT_REVIEW_BODY,
        "regs": w.REGULATIONS,
        "case_ref": case.ref,
        "step": event.seq,
        "applicant_name": applicant.name,
        "recipient": recipient or applicant.name,
        "remedy_party": "你方" if recipient else "您",
        "received_on": w.cn_date(case.received_on),
        "channel_label": CHANNEL_LABELS.get(case.channel, case.channel),
        "request": case.request_text,
        "dated": w.cn_date(dated),
        "review_first": False,
        "iso": {"received_on": case.received_on.isoformat(), "dated": dated.isoformat()},
        "document": {
            "title": kind.label,
            "author": agency.name,
            "subject": f"{case.ref} {kind.label}",
            "dated": dated.isoformat(),
        },
    }
    builder = _BUILDERS[kind]
    context.update(builder(session, step, recipient, fields, context["iso"]))
    return context


def _due(iso: dict[str, str], key: str, day: date | None) -> str:
    if day is None:
        iso[key] = ""
        return "（待定）"
    iso[key] = day.isoformat()
    return w.cn_date(day)


def _reply_view_provisional(clocks: Clocks) -> bool:
    return any(v.clock is Clock.REPLY and v.current and v.provisional for v in clocks.views)


Fields = dict[str, Any]


def _receipt(session: Session, step: Step, _r: str, _f: NoticeFields, iso: Fields) -> Fields:
    clocks = step.clocks()
    return {
        "reply_due": _due(iso, "reply_due", clocks.dues.reply),
        "reply_due_provisional": _reply_view_provisional(clocks),
    }


def _correction(session: Session, step: Step, _r: str, f: NoticeFields, iso: Fields) -> Fields:
    payload = step.event.payload
    items = list(f.items or payload.get("items") or [DEFAULT_CORRECTION_ITEM])
    dues = step.clocks().dues
    return {
        "items": items,
        "period_wd": int(payload.get("period_wd") or step.ctx.snapshot.policy.correction_period_wd),
        "correction_due": _due(iso, "correction_due", dues.correction),
        "correction_due_provisional": dues.correction_provisional,
    }


def _extension(session: Session, step: Step, _r: str, f: NoticeFields, iso: Fields) -> Fields:
    payload = step.event.payload
    after = step.clocks()
    before = step.clocks(including=False)
    return {
        "reason": str(payload.get("reason") or "情况复杂"),
        "days_wd": int(payload["days_wd"]),
        "old_due": _due(iso, "old_due", before.dues.reply),
        "new_due": _due(iso, "new_due", after.dues.reply),
        "new_due_provisional": _reply_view_provisional(after),
        "approver": f.approver or _person(session, step.event),
    }


def _person(session: Session, event: CaseEvent) -> str:
    """The display name of the user who took a step ("" for an import or the system)."""
    if event.actor_user_id is None:
        return ""
    user = session.get(User, event.actor_user_id)
    return user.display_name if user is not None else ""


def _consultation(
    session: Session, step: Step, recipient: str, f: NoticeFields, iso: Fields
) -> Fields:
    window = next((p for p in step.clocks().dues.parties if p.name == recipient), None)
    return {
        "information": f.information or step.ctx.case.request_text,
        "opinion_due": _due(iso, "opinion_due", window.due if window else None),
    }


def _disclosure_decision(
    session: Session, step: Step, recipient: str, f: NoticeFields, iso: Fields
) -> Fields:
    consulted = consultation_of(step.before, recipient)
    opinion = opinion_of(step.before, recipient)
    return {
        "consulted_on": _due(iso, "consulted_on", consulted.effective_on if consulted else None),
        "information": f.information or step.ctx.case.request_text,
        "opinion": OPINIONS[opinion],
        "content": f.content or "",
        "reasons": f.reasons or "",
    }


def consultation_of(rows: Sequence[CaseEvent], party: str) -> CaseEvent | None:
    for row in reversed(rows):
        if row.action == "start_consultation" and party in consulted_parties(row):
            return row
    return None


def consulted_parties(row: CaseEvent) -> list[str]:
    payload = row.payload
    if payload.get("party"):
        return [str(payload["party"])]
    return [str(p["name"]) if isinstance(p, dict) else str(p) for p in payload.get("parties", [])]


def opinion_of(rows: Sequence[CaseEvent], party: str) -> str | None:
    for row in reversed(rows):
        if row.action == "receive_opinion" and row.payload.get("party") == party:
            return str(row.payload.get("opinion"))
        if row.action == "start_consultation" and party in consulted_parties(row):
            return None
    return None


def objectors(rows: Sequence[CaseEvent]) -> list[str]:
    """The consulted parties whose standing opinion is an objection, in consultation order."""
    parties: list[str] = []
    for row in rows:
        if row.action == "start_consultation":
            parties += [p for p in consulted_parties(row) if p not in parties]
    return [p for p in parties if opinion_of(rows, p) == "objection"]


def objected(rows: Sequence[CaseEvent]) -> bool:
    """Whether a consulted party's standing opinion is an objection."""
    return bool(objectors(rows))


def _fee(session: Session, step: Step, _r: str, f: NoticeFields, iso: Fields) -> Fields:
    payload = step.event.payload
    basis = str(payload["basis"])
    dues = step.clocks().dues
    return {
        "amount": w.cn_money(payload["amount"]),
        "basis_label": FeeBasis(basis).label,
        "standard": f.standard or w.FEE_STANDARD[basis],
        "payment_method": f.payment_method or DEFAULT_PAYMENT_METHOD,
        "payment_due": _due(iso, "payment_due", dues.payment),
        "payment_due_provisional": dues.payment_provisional,
    }


def _reply(session: Session, step: Step, _r: str, f: NoticeFields, iso: Fields) -> Fields:
    payload = step.event.payload
    code = str(payload["outcome"])
    corrected = step.last_before("receive_correction")
    return {
        "outcome": code,
        "outcome_label": OUTCOME_BY_CODE[code].full_label,
        "finding": w.finding(code, third_party_objected=objected(step.before)),
        "basis": w.basis_text(code, payload.get("basis")),
        "form": str(payload.get("form") or ""),
        "details": f.details or "",
        "competent_agency": f.competent_agency or "",
        "corrected_on": _due(iso, "corrected_on", corrected.effective_on) if corrected else "",
        "review_first": w.review_first(code, step.event.effective_on),
    }


def _termination(session: Session, step: Step, _r: str, f: NoticeFields, iso: Fields) -> Fields:
    event = step.event
    action = stands_for(event.action, event.from_state)  # a confirmed expiry is that expiry
    dues = step.clocks(including=False).dues
    if action == "withdraw":
        code = WITHDRAWN
        posted = event.payload.get("posted_on")
        on = date.fromisoformat(posted) if posted else event.effective_on
        reason = event.payload.get("reason")
        history = f"您于{w.cn_date(on)}向本机关撤回该政府信息公开申请" + (
            f"（撤回理由：{reason}）。" if reason else "。"
        )
        iso["withdrawn_on"] = on.isoformat()
    elif action == "correction_deadline_passed":
        code = CORRECTION_NOT_SUBMITTED
        notice = step.last_before("request_correction")
        assert notice is not None
        history = (
            f"本机关于{w.cn_date(notice.effective_on)}向您发出补正告知书{_number_of(session, notice)}，"
            f"告知您于{_due(iso, 'period_due', dues.correction)}前补正。"
            "截至期限届满，本机关未收到您补正后的申请。"
        )
    else:
        code = FEE_NOT_PAID
        notice = step.last_before("issue_fee_notice")
        assert notice is not None
        history = (
            f"本机关于{w.cn_date(notice.effective_on)}向您发出信息处理费收费通知{_number_of(session, notice)}，"
            f"告知您于{_due(iso, 'period_due', dues.payment)}前缴纳信息处理费"
            f"{w.cn_money(notice.payload.get('amount'))}。截至期限届满，您未缴纳。"
        )
    return {
        "outcome": code,
        "outcome_label": OUTCOME_BY_CODE[code].full_label,
        "history": history,
        "termination": w.termination(code),
    }


def _number_of(session: Session, event: CaseEvent) -> str:
    """The 文号 of the notice issued for an earlier step, in brackets ("" if none was)."""
    number = session.exec(select(Notice.number).where(Notice.event_id == event.id)).first()
    return f"（{number}）" if number else ""


_BUILDERS = {
    NoticeKind.RECEIPT: _receipt,
    NoticeKind.CORRECTION: _correction,
    NoticeKind.EXTENSION: _extension,
    NoticeKind.CONSULTATION: _consultation,
    NoticeKind.DISCLOSURE_DECISION: _disclosure_decision,
    NoticeKind.FEE: _fee,
    NoticeKind.REPLY: _reply,
    NoticeKind.TERMINATION: _termination,
}
