"""An agency's policy (DESIGN §1, §3.3, §4): sign-off, the post grace days, the default
correction period, whether follow-up cases count, the reminder policy and its webhook, the
annual report's due day, and the notices' short name, 文号 pattern and review body.

One door for the CLI (`agency set`, `notice setup`) and the web UI's 管理 page: `problems`
checks every field at once (a form shows each message beside its field), `apply` changes the
agency — refusing the first problem — and moves the open cases' deadlines and reminders when a
field they depend on changed."""

from __future__ import annotations

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from sqlmodel import Session

from casework.errors import Invalid
from casework.models import Agency
from casework.notices.numbering import parse_pattern
from casework.reports.due import parse_month_day
from casework.services.timers import parse_before_wd, parse_remind_at

POST_GRACE_DAYS = (0, 30)  # calendar days added to a posted notice's period (DESIGN §3.3)
CORRECTION_PERIOD_WD = (1, 60)  # the default period a clerk offers for a correction
MAX_TEXT = {"short_name": 32, "review_body": 200, "webhook_url": 500}
# fields the open cases' clocks or reminders are computed from: a change recomputes them
RECOMPUTES = frozenset({"post_grace_days", "correction_period_wd", "remind_before_wd",
                        "remind_at", "escalate_overdue"})  # fmt: skip


@dataclass(frozen=True)
class PolicyChange:
    """The fields to change (None: unchanged). For the texts an empty string returns the field
    to its default (no short name, the default 文号 pattern, no webhook, the default due day)."""

    signoff_required: bool | None = None
    post_grace_days: int | None = None
    correction_period_wd: int | None = None
    count_follow_up_cases: bool | None = None
    remind_before_wd: str | None = None
    remind_at: str | None = None
    escalate_overdue: bool | None = None
    webhook_url: str | None = None
    report_due: str | None = None
    short_name: str | None = None
    notice_number_pattern: str | None = None
    review_body: str | None = None


def _range(value: int, bounds: tuple[int, int], what: str, unit: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise Invalid(f"{what}须在 {low} 至 {high} {unit}之间")


def _text(name: str, value: str, what: str) -> str | None:
    value = value.strip()
    if len(value) > MAX_TEXT[name]:
        raise Invalid(f"{what}不能超过 {MAX_TEXT[name]} 个字符")
    return value or None


def _webhook(value: str) -> str | None:
    url = _text("webhook_url", value, "webhook 地址")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise Invalid(f"webhook 地址应以 http:// 或 https:// 开头：{url}")
    return url


def _report_due(value: str) -> str | None:
    if not value.strip():
        return None
    month, day = parse_month_day(value)
    return f"{month:02d}-{day:02d}"


def _normalized(name: str, value: object) -> object:
    """The value as stored; Invalid (without a field) if it is not acceptable."""
    if value is None or isinstance(value, bool):
        return value
    if name == "post_grace_days":
        assert isinstance(value, int)
        _range(value, POST_GRACE_DAYS, "邮寄宽限", "日")
        return value
    if name == "correction_period_wd":
        assert isinstance(value, int)
        _range(value, CORRECTION_PERIOD_WD, "默认补正期限", "个工作日")
        return value
    assert isinstance(value, str)
    if name == "remind_before_wd":
        return ",".join(str(d) for d in parse_before_wd(value))
    if name == "remind_at":
        return parse_remind_at(value.strip()).strftime("%H:%M")
    if name == "webhook_url":
        return _webhook(value)
    if name == "report_due":
        return _report_due(value)
    if name == "notice_number_pattern":
        return parse_pattern(value).text if value.strip() else None
    if name == "short_name":
        return _text(name, value, "文号中的机关简称")
    if name == "review_body":
        return _text(name, value, "行政复议机关")
    raise AssertionError(name)


def _checked(change: PolicyChange) -> tuple[dict[str, object], dict[str, str]]:
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for spec in fields(change):
        value = getattr(change, spec.name)
        if value is None:
            continue
        try:
            values[spec.name] = _normalized(spec.name, value)
        except Invalid as error:
            problems[spec.name] = str(error)
    return values, problems


def problems(change: PolicyChange) -> dict[str, str]:
    """Every field's problem, in Chinese, by field name (empty: all acceptable)."""
    return _checked(change)[1]


def apply(session: Session, agency: Agency, change: PolicyChange) -> list[str]:
    """Change the agency's policy; the names of the fields that changed. The open cases'
    deadlines and reminders follow at once when one they depend on changed."""
    from casework.services import recompute  # recompute's case snapshots import directory

    values, found = _checked(change)
    if found:
        name, message = next(iter(found.items()))
        raise Invalid(message, field=name)
    changed = [name for name, value in values.items() if getattr(agency, name) != value]
    for name in changed:
        setattr(agency, name, values[name])
    session.add(agency)
    session.flush()
    if RECOMPUTES.intersection(changed):
        recompute.rebuild(session, "机关办理政策调整", agency.id)
    return changed
