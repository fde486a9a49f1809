"""管理 › 办理政策: an agency's policy — reminders (working days before, the hour, escalation
of overdue cases), sign-off, post grace days, the default correction period, follow-up cases
in the statistics, the webhook, the annual report's due day and the notices' short name, 文号
pattern and review body — checked and saved by `casework.services.agency_policy` (the door
`casework agency set` and `casework notice setup` use), each problem beside its field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.deps import Db, reading
from api.web.pages.admin import require_admin, tabs
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import Invalid
from casework.models import Agency
from casework.notices.kinds import NoticeKind
from casework.notices.numbering import DEFAULT_PATTERN, parse_pattern, short_name_of
from casework.services import agency_policy
from casework.services.agency_policy import PolicyChange
from casework.settings import get_settings

router = APIRouter(include_in_schema=False)

Code = Annotated[str | None, Query(max_length=64)]
Text = Annotated[str, Form(max_length=600)]
FLAGS = ("signoff_required", "count_follow_up_cases", "escalate_overdue")
NUMBERS = ("post_grace_days", "correction_period_wd")
TEXTS = ("remind_before_wd", "remind_at", "webhook_url", "report_due", "short_name",
         "notice_number_pattern", "review_body")  # fmt: skip
LABELS = {
    "signoff_required": "答复须经负责人审核签发",
    "post_grace_days": "邮寄宽限（日）",
    "correction_period_wd": "默认补正期限（工作日）",
    "count_follow_up_cases": "责令重新答复的案件计入年度统计",
    "remind_before_wd": "到期前提醒（工作日）",
    "remind_at": "提醒时刻",
    "escalate_overdue": "逾期后每个工作日提醒负责人",
    "webhook_url": "webhook 地址",
    "report_due": "年度报告截止日（次年）",
    "short_name": "文号中的机关简称",
    "notice_number_pattern": "文号格式",
    "review_body": "行政复议机关",
}


@dataclass
class Outcome:
    done: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def page_url(agency: Agency) -> str:
    return f"/admin/policies?agency={agency.code}"


def current_values(agency: Agency) -> dict[str, str]:
    """The agency's policy as the form shows it (every value a string; flags "1" or "")."""
    out = {name: "1" if getattr(agency, name) else "" for name in FLAGS}
    out |= {name: str(getattr(agency, name)) for name in NUMBERS}
    out |= {name: getattr(agency, name) or "" for name in TEXTS}
    return out


def _example(agency: Agency, pattern: str) -> str:
    """The 文号 a reply would get under the pattern shown (the default where it is blank)."""
    try:
        parsed = parse_pattern(pattern or DEFAULT_PATTERN)
    except Invalid:
        return ""
    return parsed.format(short_name_of(agency), 2026, 1, NoticeKind.REPLY)


def _page(
    request: Request, session: Session, me: Visitor, code: str | None,
    outcome: Outcome | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    adm = require_admin(session, me)
    agency = adm.agency(code) if code else adm.home
    outcome = outcome or Outcome()
    values = outcome.values or current_values(agency)
    agencies = sorted(adm.agencies.values(), key=lambda a: (a.id != adm.home.id, a.code))
    headers = {"HX-Replace-Url": page_url(agency)} if request.method == "POST" else None
    return render(request, session, me, "admin_policies.html", status=status, headers=headers,
                  tabs=tabs(me), agency=agency, agencies=agencies, v=values, outcome=outcome,
                  labels=LABELS, default_pattern=DEFAULT_PATTERN,
                  example=_example(agency, values.get("notice_number_pattern", "")),
                  report_due_default=get_settings().report_due_default,
                  grace=agency_policy.POST_GRACE_DAYS,
                  correction=agency_policy.CORRECTION_PERIOD_WD)  # fmt: skip


@router.get("/admin/policies", response_class=HTMLResponse)
def policies(request: Request, me: Me, session: Db, agency: Code = None) -> HTMLResponse:
    return _page(request, session, me, agency)


def _number(value: str, name: str, errors: dict[str, str]) -> int | None:
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 4:
        return int(text)
    errors[name] = "须为整数"
    return None


@router.post("/admin/policies", response_class=HTMLResponse)
def save(
    request: Request,
    me: Me,
    session: Db,
    agency: Text = "",
    signoff_required: Text = "",
    post_grace_days: Text = "",
    correction_period_wd: Text = "",
    count_follow_up_cases: Text = "",
    remind_before_wd: Text = "",
    remind_at: Text = "",
    escalate_overdue: Text = "",
    webhook_url: Text = "",
    report_due: Text = "",
    short_name: Text = "",
    notice_number_pattern: Text = "",
    review_body: Text = "",
) -> HTMLResponse:
    """The whole form: every field checked at once, then saved in one transaction (the open
    cases' deadlines and reminders follow when one they depend on changed)."""
    adm = require_admin(session, me)
    target = adm.agency(agency) if agency else adm.home
    values = {
        "signoff_required": "1" if signoff_required else "",
        "post_grace_days": post_grace_days,
        "correction_period_wd": correction_period_wd,
        "count_follow_up_cases": "1" if count_follow_up_cases else "",
        "remind_before_wd": remind_before_wd,
        "remind_at": remind_at,
        "escalate_overdue": "1" if escalate_overdue else "",
        "webhook_url": webhook_url,
        "report_due": report_due,
        "short_name": short_name,
        "notice_number_pattern": notice_number_pattern,
        "review_body": review_body,
    }
    errors: dict[str, str] = {}
    change = _change(values, errors)
    errors |= {n: m for n, m in agency_policy.problems(change).items() if n not in errors}
    if errors:
        with reading() as reader:
            return _page(request, reader, me, target.code, Outcome(values=values, errors=errors),
                         422)  # fmt: skip
    changed = agency_policy.apply(session, target, change)
    session.commit()
    done = (
        ("已保存：" + "、".join(LABELS[n].split("（")[0] for n in changed))
        if changed
        else "没有改动"
    )
    with reading() as reader:
        return _page(request, reader, me, target.code, Outcome(done))


def _change(values: dict[str, str], errors: dict[str, str]) -> PolicyChange:
    numbers = {name: _number(values[name], name, errors) for name in NUMBERS}
    change: dict[str, Any] = {name: values[name] == "1" for name in FLAGS}
    change |= {name: values[name] for name in TEXTS}
    change |= {name: n for name, n in numbers.items() if n is not None}
    return PolicyChange(**change)
