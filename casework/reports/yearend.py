"""The annual report's season (条例第四十九条). From 1 January (China time), at each agency's
reminder hour, the system drafts the report of the year just ended — the figures at that
instant and the starter texts, saved as a first revision by "system" unless someone saved one
already — and tells the agency's clerks. Then, on the agency's working days at its reminder
hour, it reminds them until a publication of that year exists: on the first working day of
each week, daily in the last WEEKLY_UNTIL_WD working days before the due day, and after the
due day daily to the approvers and the district offices (政务公开办) too.

Every alert is raised once (the ledger key holds the agency, the year and, for reminders, the
day). A season is only started by its draft, and a draft is only made up to the due day: a
year whose due day passed before the system drafted it (a new installation) was handled
outside, and nobody is reminded of it."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from casework.alerts import recipients, report_texts
from casework.alerts.ledger import Message, raise_alert
from casework.errors import Invalid
from casework.models import Agency, Alert, ReportPublication, User
from casework.reports.due import due_day
from casework.reports.narratives import (
    SYSTEM_ACTOR,
    placeholders,
    saved_narratives,
    set_narratives,
    starter,
)
from casework.services.calendars import calendar_for
from casework.services.timers import parse_remind_at
from casework.settings import get_settings
from casework.statistics.figures import report
from casework.timeutil import CHINA
from casework.workdays.calendar import WorkingCalendar
from workflows.roles import Role

log = logging.getLogger(__name__)

WEEKLY_UNTIL_WD = 10  # from this many working days before the due day on, remind daily


def draft_key(agency_id: int, year: int) -> str:
    return f"report:draft:{agency_id}:{year}"


def remind_key(agency_id: int, year: int, day: date) -> str:
    return f"report:remind:{agency_id}:{year}:{day.isoformat()}"


def overdue_key(agency_id: int, year: int, day: date) -> str:
    return f"report:overdue:{agency_id}:{year}:{day.isoformat()}"


def report_due(agency: Agency, year: int) -> date:
    """The day the agency's report of `year` is due (its own setting, else the default)."""
    default = get_settings().report_due_default
    try:
        return due_day(agency.report_due, default, year)
    except Invalid:
        log.warning("agency %s: invalid report_due %r, using %s", agency.code, agency.report_due,
                    default)  # fmt: skip
        return due_day(None, default, year)


def run(session: Session, now: datetime) -> list[Alert]:
    """One pass of the season for the year before `now`'s (China time): drafts and reminders
    due at this moment; the alerts raised."""
    local = now.astimezone(CHINA)
    day, year = local.date(), local.year - 1
    agencies = session.exec(
        select(Agency).where(col(Agency.active).is_(True)).order_by(col(Agency.id))
    ).all()
    published = set(
        session.exec(
            select(ReportPublication.agency_id).where(ReportPublication.year == year)
        ).all()
    )
    due_now = [
        a
        for a in agencies
        if a.id not in published and local.time() >= parse_remind_at(a.remind_at)
    ]
    keys = [
        key
        for a in due_now
        if a.id is not None
        for key in (
            draft_key(a.id, year),
            remind_key(a.id, year, day),
            overdue_key(a.id, year, day),
        )
    ]
    existing = (
        set(session.exec(select(Alert.key).where(col(Alert.key).in_(keys))).all())
        if keys
        else set()
    )
    raised: list[Alert] = []
    for agency in due_now:
        assert agency.id is not None
        due = report_due(agency, year)
        drafted = draft_key(agency.id, year) in existing
        if not drafted and day > due:
            continue  # never drafted by its due day: that year's report was made elsewhere
        if (
            drafted
            and {remind_key(agency.id, year, day), overdue_key(agency.id, year, day)} & existing
        ):
            continue  # told today already
        calendar = calendar_for(session, agency.id)
        if drafted:
            alert = _remind(session, agency, year, day, due, calendar)
        else:
            alert = _draft(session, agency, year, now, due, calendar)
        if alert is not None:
            raised.append(alert)
    return raised


def _draft(
    session: Session,
    agency: Agency,
    year: int,
    now: datetime,
    due: date,
    calendar: WorkingCalendar,
) -> Alert | None:
    """The figures now and the starter texts, saved unless a revision exists; the clerks told.
    The alert is raised first: a concurrent run that lost the ledger key saves nothing."""
    assert agency.id is not None
    day = now.astimezone(CHINA).date()
    figures = report(session, agency, year, now)
    saved = saved_narratives(session, agency.id, year)
    texts = saved if saved is not None else starter(figures)
    users, fallback = _clerks(session, agency, day)
    message = report_texts.drafted(
        agency, figures, due, calendar.count_between(day, due), len(placeholders(texts)), fallback
    )
    alert = _raise(session, draft_key(agency.id, year), message, agency, users)
    if alert is not None and saved is None:
        set_narratives(session, agency, year, texts.texts(), SYSTEM_ACTOR)
    return alert


def _remind(
    session: Session,
    agency: Agency,
    year: int,
    day: date,
    due: date,
    calendar: WorkingCalendar,
) -> Alert | None:
    assert agency.id is not None
    if not calendar.is_workday(day):
        return None
    if day > due:
        key = overdue_key(agency.id, year, day)
        users, _fallback = _clerks(session, agency, day)
        approvers, hooks = recipients.escalation(session, agency, day)
        message = report_texts.overdue(
            agency,
            year,
            due,
            calendar.count_between(due, day),
            _open_items(session, agency.id, year),
            bool(recipients.district_offices(session, agency)),
        )
        return _raise(session, key, message, agency, [*users, *approvers], hooks)
    left = calendar.count_between(day, due)
    if left > WEEKLY_UNTIL_WD and not _weekly_day(calendar, day):
        return None
    key = remind_key(agency.id, year, day)
    users, _fallback = _clerks(session, agency, day)
    message = report_texts.due_soon(
        agency, year, day, due, left, _open_items(session, agency.id, year)
    )
    return _raise(session, key, message, agency, users)


def _weekly_day(calendar: WorkingCalendar, day: date) -> bool:
    """The first working day of its week (Monday to Sunday), but not in the week of
    1 January: the draft was told that week."""
    monday = day - timedelta(days=day.weekday())
    if monday <= date(day.year, 1, 1):
        return False
    return not any(calendar.is_workday(monday + timedelta(days=i)) for i in range(day.weekday()))


def _clerks(session: Session, agency: Agency, day: date) -> tuple[list[User], bool]:
    """Who prepares the report: the agency's clerks; with none (True), its approvers, else
    the approvers of its district offices, else the administrators — somebody must know."""
    assert agency.id is not None
    clerks = recipients.holders(session, [agency.id], Role.CLERK, day)
    if clerks:
        return clerks, False
    offices = [o.id for o in recipients.district_offices(session, agency) if o.id is not None]
    for ids in ([agency.id], offices):
        approvers = recipients.holders(session, ids, Role.APPROVER, day)
        if approvers:
            return approvers, True
    every = [i for i in session.exec(select(Agency.id)).all() if i is not None]
    return recipients.holders(session, every, Role.ADMIN, day), True


def _open_items(session: Session, agency_id: int, year: int) -> int:
    saved = saved_narratives(session, agency_id, year)
    return len(placeholders(saved)) if saved is not None else 0


def _raise(
    session: Session,
    key: str,
    message: Message,
    agency: Agency,
    users: list[User],
    hooks: list[str] | None = None,
) -> Alert | None:
    webhooks = [*([agency.webhook_url] if agency.webhook_url else []), *(hooks or [])]
    return raise_alert(session, key, message, users, webhooks, agency_id=agency.id)
