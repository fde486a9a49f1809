"""The action forms of the case page, made from each action's payload schema — the model the
API validates (`workflows.payloads`): one input per payload field, dates as date inputs, counts
as numbers, choices as selects with their Chinese labels, the reply's outcome as a picker
grouped like the report rows. A submitted form is turned back into the payload the API takes,
and a refusal's reasons are put beside the fields they name. Also the Chinese lines of an
event's payload on the timeline."""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic.fields import FieldInfo

from casework.ledger.vocabulary import LABELS
from casework.notices.facts import OPINIONS
from casework.notices.kinds import NoticeKind
from workflows.actions import ActionSpec
from workflows.outcomes import (
    GROUP_LABELS,
    OUTCOME_BY_CODE,
    OUTCOMES,
    REPLY_OUTCOMES,
    ApplicantKind,
    OutcomeGroup,
)
from workflows.payloads import CHANNEL_LABELS

ON = "on"  # the action's effective date: a query parameter of the API, a field of the form
ON_HINT = "文书签发、收到等事项发生之日；不能晚于今日，也不能早于上一步"
VERSION = "version"  # the case's version the user saw (the API's If-Match)

# Each payload field's label; (action, field) where one name means different things
LABELS_BY_FIELD: dict[str, str] = {
    "handler": "承办人（用户名）",
    "period_wd": "补正期限（工作日）",
    "items": "补正事项",
    "served_on": "补正告知书送达之日",
    "due_on": "新的截止日",
    "days_wd": "延长的工作日数",
    "posted_on": "交寄之日",
    "party": "第三方名称",
    "party_received_on": "第三方收到征求意见书之日",
    "parties": "第三方（多个）",
    "opinion": "第三方意见",
    "amount": "收费金额（元）",
    "basis": "法律依据",
    "applicant_received_on": "申请人收到收费通知之日",
    "pages": "页数",
    "reason": "理由",
    "notice": "告知书",
    "outcome": "办理结果",
    "form": "提供政府信息的方式",
    "method": "送达方式",
    "merged_into": "并入的案件（案号）",
}
LABELS_BY_ACTION: dict[tuple[str, str], str] = {
    ("extend_correction_period", "due_on"): "新的补正截止日",
    ("extend_correction_period", "days_wd"): "补正期限延长的工作日数",
    ("set_reasonable_deadline", "due_on"): "合理的答复期限",
    ("issue_fee_notice", "items"): "件数",
    ("issue_fee_notice", "basis"): "计收方式",
    ("extend", "reason"): "延期理由",
    ("reject_draft", "reason"): "退回理由",
    ("void", "reason"): "作废理由",
    ("amend_outcome", "reason"): "更正理由",
    ("withdraw", "reason"): "撤回理由",
    ("void_expiry", "reason"): "说明",
    ("set_reasonable_deadline", "reason"): "说明",
    ("record_service", "served_on"): "实际送达之日",
    ("record_service", "party"): "第三方名称（征求意见书）",
    ("receive_opinion", "party"): "提出意见的第三方",
    ("void_expiry", "posted_on"): "补正材料或费用的交寄之日",
}
HINTS: dict[tuple[str, str], str] = {
    ("request_correction", "period_wd"): "留空则按本机关默认期限",
    ("request_correction", "items"): "每行一项；留空则用通用的补正事项",
    ("request_correction", "served_on"): "留空则为生效日期（当日送达）",
    ("extend_correction_period", "due_on"): "新的截止日与延长的工作日数只填一项",
    ("start_consultation", "party"): "只征求一方的填这里；多方的填下面",
    ("start_consultation", "party_received_on"): "留空则为生效日期",
    ("start_consultation", "parties"): "每行一个",
    ("receive_opinion", "party"): "留空则为最早的待回复方",
    ("issue_fee_notice", "applicant_received_on"): "留空则为生效日期",
    ("issue_fee_notice", "pages"): "按量计收时填写，用于核对金额",
    ("issue_fee_notice", "items"): "按件计收时填写（一事一申请拆分的件数）",
    ("reply", "basis"): "留空则引用所选办理结果的默认依据",
    ("draft_reply", "basis"): "留空则引用所选办理结果的默认依据",
    ("reply", "form"): "如纸质、电子、自行领取",
    ("draft_reply", "form"): "如纸质、电子、自行领取",
    ("receive_correction", "posted_on"): "邮寄的补正材料，填写交寄之日",
    ("receive_payment", "posted_on"): "邮寄或汇款的，填写交寄之日",
    ("withdraw", "posted_on"): "邮寄的撤回申请，填写交寄之日",
    ("record_service", "party"): "征求意见书的送达须写明第三方",
    ("void", "merged_into"): "重复登记的，填写保留的案件的案号",
}
LONG_TEXT = frozenset({"reason", "items", "parties"})
CHOICE_LABELS: dict[str, Mapping[str, str]] = {
    "opinion": {k: v for k, v in OPINIONS.items() if k is not None},
    "basis": LABELS["fee.basis"],
    "method": LABELS["deliver.method"],
    "notice": {
        "correction": NoticeKind.CORRECTION.label,
        "opinion": NoticeKind.CONSULTATION.label,
        "fee": NoticeKind.FEE.label,
    },
}
DANGER = frozenset({"void", "withdraw"})  # ends the case for good: a red button


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    basis: str = ""  # an outcome's default legal basis (the picker shows it)


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str  # date | number | amount | select | outcome | text | textarea | lines
    required: bool
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    groups: tuple[ChoiceGroup, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class ActionForm:
    """One action's form as shown: its fields, what the user typed, and what was wrong."""

    name: str
    label: str
    notes: str
    notice: str | None  # the notice the action offers (issued in the notices section)
    fields: list[FieldSpec]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def danger(self) -> bool:
        return self.name in DANGER

    @property
    def open(self) -> bool:
        return bool(self.errors or self.general)


def outcome_groups(codes: Iterable[str]) -> tuple[ChoiceGroup, ...]:
    """Outcomes as the report's rows: one group per row (（一）…（六）), leaves numbered."""
    wanted = set(codes)
    groups = []
    for group in OutcomeGroup:
        choices = tuple(
            Choice(o.code, o.label, o.basis)
            for o in OUTCOMES
            if o.group is group and o.code in wanted
        )
        if choices:
            groups.append(ChoiceGroup(GROUP_LABELS[group], choices))
    return tuple(groups)


def _optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def _bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    for rule in info.metadata:
        if isinstance(rule, annotated_types.Ge):
            low = int(rule.ge)  # type: ignore[call-overload]
        elif isinstance(rule, annotated_types.Le):
            high = int(rule.le)  # type: ignore[call-overload]
    return low, high


def _widget(action: str, name: str, annotation: Any) -> str:
    base, _ = _optional(annotation)
    if name == "outcome":
        return "outcome"
    if base is date:
        return "date"
    if base is int:
        return "number"
    if base is Decimal:
        return "amount"
    if get_origin(base) is Literal:
        return "select"
    if get_origin(base) is tuple:
        return "lines"
    if name in LONG_TEXT or (name == "basis" and action in ("reply", "draft_reply")):
        return "textarea"
    return "text"


def field_label(action: str, name: str) -> str:
    return LABELS_BY_ACTION.get((action, name)) or LABELS_BY_FIELD.get(name, name)


def fields_of(spec: ActionSpec) -> list[FieldSpec]:
    """The form's inputs: the payload's fields in the model's order, then the effective date
    (not for confirm_expiry, whose date the law fixes)."""
    out: list[FieldSpec] = []
    for name, info in spec.payload.model_fields.items():
        widget = _widget(spec.name, name, info.annotation)
        low, high = _bounds(info)
        choices: tuple[Choice, ...] = ()
        groups: tuple[ChoiceGroup, ...] = ()
        if widget == "select":
            base, _ = _optional(info.annotation)
            labels = CHOICE_LABELS.get(name, {})
            choices = tuple(Choice(v, labels.get(v, v)) for v in get_args(base))
        if widget == "outcome":
            codes = REPLY_OUTCOMES if spec.name in ("reply", "draft_reply") else OUTCOME_BY_CODE
            groups = outcome_groups(codes)
        out.append(
            FieldSpec(
                name,
                field_label(spec.name, name),
                widget,
                info.is_required(),
                HINTS.get((spec.name, name), ""),
                choices,
                groups,
                low,
                high,
            )
        )
    if spec.name != "confirm_expiry":
        out.append(FieldSpec(ON, "生效日期", "date", False, ON_HINT))
    return out


def action_form(spec: ActionSpec, notice: str | None, today: date) -> ActionForm:
    """A fresh form: dates default to today (not a deadline to set, nor an optional date that
    defaults to the effective date)."""
    form = ActionForm(spec.name, spec.label, spec.notes, notice, fields_of(spec))
    for f in form.fields:
        if f.widget == "date" and (f.name == ON or f.required) and f.name != "due_on":
            form.values[f.name] = today.isoformat()
    return form


_INTEGER = re.compile(r"[+-]?\d{1,9}")


def payload_from_form(form: ActionForm, values: Mapping[str, str]) -> dict[str, Any]:
    """The API's payload from what was typed: blank is absent (the schema's default, or its
    "缺少此项"), counts as integers, lists one per line; everything else as text, for the
    payload model to parse and refuse in its own words."""
    out: dict[str, Any] = {}
    for spec in form.fields:
        if spec.name == ON:
            continue
        raw = values.get(spec.name, "")
        text = raw.strip()
        if not text:
            continue
        if spec.widget == "number":
            out[spec.name] = int(text) if _INTEGER.fullmatch(text) else text
        elif spec.widget == "lines":
            out[spec.name] = [line.strip() for line in raw.splitlines() if line.strip()]
        else:
            out[spec.name] = text
    return out


def effective_on(values: Mapping[str, str]) -> date | None:
    """The effective date typed, None when blank; a ValueError for anything else."""
    text = values.get(ON, "").strip()
    return date.fromisoformat(text) if text else None


def place_reasons(
    form: ActionForm, reasons: Iterable[str], named: str | None = None
) -> tuple[dict[str, str], list[str]]:
    """A refusal's reasons beside the fields they name ("days_wd：须不大于 20"); the rest for
    the form as a whole. `named` is the field the refusal itself names, if any."""
    names = {f.name for f in form.fields}
    errors: dict[str, str] = {}
    general: list[str] = []
    for reason in reasons:
        head, sep, rest = reason.partition("：")
        key = head.split(".")[0]
        if sep and key in names and key not in errors:
            errors[key] = rest
        else:
            general.append(reason)
    target = (named or "").split(".")[0]
    if target in names and target not in errors and general:
        errors[target] = general.pop(0)
    return errors, general


# -- the timeline ---------------------------------------------------------------------------

TIMELINE_LABELS: dict[str, str] = {
    "received_on": "收到申请之日",
    "channel": "提交方式",
    "applicant_kind": "申请人类型",
    "delivery": "获取信息的方式",
    "quoted_amount": "标准金额（元）",
}
HIDDEN = frozenset({"applicant_id", "handler_id", "merged_into_case_id", "draft_seq", "ref",
                    "follow_up_of", "submitted_on", "signed_on", "confirmed_on", "request",
                    "quoted_position", "agency"})  # fmt: skip


def _text(action: str, key: str, value: Any) -> str:
    if isinstance(value, list | tuple):
        return "；".join(_text(action, key, v) for v in value)
    if isinstance(value, dict):  # a consulted party: {"name": …, "received_on": …}
        name = str(value.get("name", ""))
        received = value.get("received_on")
        return f"{name}（{received} 收到）" if received else name
    text = str(value)
    if key == "outcome":
        found = OUTCOME_BY_CODE.get(text)
        return found.full_label if found else text
    if key == "channel":
        return CHANNEL_LABELS.get(text, text)
    if key == "applicant_kind":
        try:
            return ApplicantKind(text).label
        except ValueError:
            return text
    if key == "delivery":
        return LABELS["delivery"].get(text, text)
    if key == "basis" and action != "issue_fee_notice":
        return text  # a reply's legal basis, as written
    return CHOICE_LABELS.get(key, {}).get(text, text)


def describe_payload(action: str, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The key fields of an event's payload, labelled in Chinese, in the payload's order."""
    out = []
    for key, value in payload.items():
        if key in HIDDEN or value in (None, "", [], ()):
            continue
        label = TIMELINE_LABELS.get(key) or field_label(action, key)
        if label == key:
            continue  # a field without a label is bookkeeping, not something to show
        out.append((label, _text(action, key, value)))
    return out
