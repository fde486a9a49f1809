"""What alerts say (Simplified Chinese). No applicant's personal data: the handler opens the
case through the link when they need it (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from casework.alerts.ledger import Message
from casework.clocks import ClockView
from casework.models import Agency, Case
from casework.settings import get_settings
from casework.workdays.calendar import format_day
from workflows.clocks import Clock
from workflows.outcomes import outcome
from workflows.states import STATE_LABELS, State

PREFIX = "【政府信息公开】"


def case_link(case: Case) -> str:
    return f"{get_settings().public_url.rstrip('/')}/cases/{case.id}"


def _case_lines(case: Case, agency: Agency, handler: str | None) -> list[str]:
    return [
        f"案件：{case.ref}（{agency.name}）",
        f"收到申请：{case.received_on.isoformat()}",
        f"经办人：{handler or '未指定（已通知本机关经办人）'}",
    ]


def _due_text(view: ClockView) -> str:
    assert view.due is not None
    return format_day(view.due) + ("（暂定：该年度节假日安排尚未发布）" if view.provisional else "")


def reminder(
    case: Case,
    agency: Agency,
    view: ClockView,
    threshold: str,
    left_wd: int,
    handler: str | None,
    has_district_office: bool = False,
) -> Message:
    label = view.clock.label
    assert view.due is not None
    if threshold.startswith("before:"):
        kind, headline = "reminder", f"{label}还剩{left_wd}个工作日（{view.due.isoformat()} 到期）"
    elif threshold == "due":
        kind, headline = "reminder", f"{label}今日（{view.due.isoformat()}）到期"
    else:
        kind, headline = "overdue", f"{label}已于 {view.due.isoformat()} 届满，已逾期"
    lines = [
        f"{case.ref}：{headline}。",
        "",
        *_case_lines(case, agency, handler),
        f"{label}：{_due_text(view)}",
        "期限计算：",
        *(f"  {line}" for line in view.derivation),
        "",
        f"办理：{case_link(case)}",
    ]
    if kind == "overdue":
        lines.insert(
            1, "本提醒同时发送负责人" + ("及政务公开办" if has_district_office else "") + "。"
        )
    return Message(kind, f"{PREFIX}{case.ref} {headline}", "\n".join(lines), case_link(case))


def expired(
    case: Case, agency: Agency, clock: Clock, due: date, action: str, handler: str | None
) -> Message:
    headline = f"{clock.label}已届满，系统已作“{action}”处理"
    lines = [
        f"{case.ref}：{headline}。",
        "",
        *_case_lines(case, agency, handler),
        f"{clock.label}最后一日：{format_day(due)}",
        f"当前状态：{STATE_LABELS[State(case.state)]}"
        if case.outcome is None
        else f"办理结果：{outcome(case.outcome).full_label}",
        "如申请人实际已在期限内补正或缴费（例如邮寄在途），负责人可撤销该处理。",
        "",
        f"查看：{case_link(case)}",
    ]
    return Message("expired", f"{PREFIX}{case.ref} {headline}", "\n".join(lines), case_link(case))


def held(case: Case, agency: Agency, clock: Clock, due: date, handler: str | None) -> Message:
    headline = f"{clock.label}届满日期为暂定日期，需负责人确认"
    lines = [
        f"{case.ref}：{headline}。",
        "",
        *_case_lines(case, agency, handler),
        f"{clock.label}最后一日：{format_day(due)}（暂定）",
        f"{due.year}年节假日安排尚未载入，系统不在暂定日期自动作期限届满处理。",
        "请核实期限后由负责人执行“确认期限届满”，或在载入节假日安排后由系统自动处理。",
        "",
        f"办理：{case_link(case)}",
    ]
    return Message("held", f"{PREFIX}{case.ref} {headline}", "\n".join(lines), case_link(case))


def moved(
    case: Case,
    agency: Agency,
    clock: Clock,
    old: date | None,
    new: date | None,
    reason: str,
    handler: str | None,
) -> Message:
    old_text = old.isoformat() if old else "无"
    new_text = new.isoformat() if new else "无"
    headline = f"{clock.label}因工作日历调整由 {old_text} 改为 {new_text}"
    lines = [
        f"{case.ref}：{headline}。",
        "",
        *_case_lines(case, agency, handler),
        f"调整原因：{reason}",
        "",
        f"查看：{case_link(case)}",
    ]
    return Message("moved", f"{PREFIX}{case.ref} {headline}", "\n".join(lines), case_link(case))


@dataclass(frozen=True)
class OverdueRow:
    ref: str
    agency: str
    clock: Clock
    due: date
    overdue_wd: int
    handler: str | None


def digest(agency: Agency, day: date, rows: Sequence[OverdueRow]) -> Message:
    scope = "（含下级机关）" if agency.supervises_subtree else ""
    headline = f"{agency.name}{scope}逾期未办结案件 {len(rows)} 件（{day.isoformat()}）"
    lines = [f"{headline}：", ""]
    for row in rows:
        lines.append(
            f"· {row.ref}（{row.agency}）{row.clock.label} {row.due.isoformat()} 届满，"
            f"已逾期{row.overdue_wd}个工作日，经办人：{row.handler or '未指定'}"
        )
    lines += ["", f"查看：{get_settings().public_url.rstrip('/')}/cases?overdue=1"]
    return Message("digest", f"{PREFIX}{headline}", "\n".join(lines))


def calendar_missing(year: int, day: date) -> Message:
    headline = f"尚未载入{year}年节假日安排"
    lines = [
        f"截至 {day.isoformat()}，系统尚未载入{year}年的节假日安排（国务院办公厅通知）。",
        f"载入前，跨入{year}年的期限均按暂定日历计算并标为“暂定”，系统不会在暂定日期自动作期限届满处理。",
        "通知发布后，请管理员执行：",
        f'  casework calendar confirm {year} --source "国办发明电〔{year - 1}〕号"',
        "（如与暂定日历不同，先用 casework calendar set 逐日设定；已受影响的期限会自动重算并通知经办人。）",
    ]
    return Message("calendar", f"{PREFIX}{headline}", "\n".join(lines))


def supervision(
    case: Case,
    agency: Agency,
    office: Agency,
    by: str,
    note: str,
    due_by: date | None,
    handler: str | None,
) -> Message:
    """A district office's 督办 of a case, to the case's handler and the agency's clerks and
    approvers. The note is the office's own text."""
    headline = f"{office.name}督办" + (f"，请于 {due_by.isoformat()} 前办理" if due_by else "")
    lines = [
        f"{case.ref}：{headline}。",
        "",
        *_case_lines(case, agency, handler),
        f"当前状态：{STATE_LABELS[State(case.state)]}",
        f"答复期限：{format_day(case.reply_due)}" if case.reply_due else "答复期限：暂停计算",
        f"督办人：{by}（{office.name}）",
        f"督办意见：{note}",
        *([f"要求办理日期：{format_day(due_by)}"] if due_by else []),
        "",
        f"办理：{case_link(case)}",
    ]
    return Message(
        "supervision", f"{PREFIX}{case.ref} {headline}", "\n".join(lines), case_link(case)
    )
