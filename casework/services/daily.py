"""The daily jobs (DESIGN §4): the overdue digest per agency, the calendar check and the annual
report's season (casework.reports.yearend). Beat
calls them every few minutes; each raises its alert once a day (the ledger key holds the day)
and not before the agency's reminder hour, so a worker started late still sends today's."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from casework.alerts import recipients, texts
from casework.alerts.ledger import raise_alert
from casework.models import Agency, Alert, Case, User
from casework.reports import yearend
from casework.services import idempotency
from casework.services.calendars import calendar_for, notice_missing
from casework.services.timers import parse_remind_at
from casework.timeutil import CHINA
from workflows.clocks import Clock
from workflows.roles import Role
from workflows.states import OPEN_STATES


def _subtree(session: Session, agency: Agency) -> list[int]:
    ids, frontier = [agency.id], [agency.id]
    while frontier:
        children = session.exec(select(Agency.id).where(col(Agency.parent_id).in_(frontier))).all()
        frontier = [c for c in children if c not in ids]
        ids += frontier
    return [i for i in ids if i is not None]


def overdue_rows(session: Session, agency: Agency, day: date) -> list[texts.OverdueRow]:
    """Open cases of the agency (and, for a district office, of its subtree) whose reply
    deadline passed before `day`, most overdue first."""
    scope = _subtree(session, agency) if agency.supervises_subtree else [agency.id]
    cases = session.exec(
        select(Case)
        .where(
            col(Case.agency_id).in_(scope),
            col(Case.state).in_([s.value for s in OPEN_STATES]),
            col(Case.reply_due) < day,
        )
        .order_by(col(Case.reply_due), col(Case.id))
    ).all()
    calendar = calendar_for(session, agency.id)
    names = {a.id: a.name for a in session.exec(select(Agency).where(col(Agency.id).in_(scope)))}
    rows = []
    for case in cases:
        assert case.reply_due is not None
        handler = session.get(User, case.handler_id) if case.handler_id else None
        rows.append(
            texts.OverdueRow(
                ref=case.ref,
                agency=names.get(case.agency_id, ""),
                clock=Clock.REPLY,
                due=case.reply_due,
                overdue_wd=calendar.count_between(case.reply_due, day),
                handler=handler.display_name if handler else None,
            )
        )
    return rows


def overdue_digests(session: Session, now: datetime) -> list[Alert]:
    """One digest per agency with overdue cases, to its approvers, each working day."""
    local = now.astimezone(CHINA)
    day = local.date()
    raised: list[Alert] = []
    for agency in session.exec(
        select(Agency).where(col(Agency.active).is_(True)).order_by(col(Agency.id))
    ).all():
        assert agency.id is not None
        if not agency.escalate_overdue or local.time() < parse_remind_at(agency.remind_at):
            continue
        if not calendar_for(session, agency.id).is_workday(day):
            continue
        rows = overdue_rows(session, agency, day)
        users = recipients.holders(session, [agency.id], Role.APPROVER, day)
        hooks = [agency.webhook_url] if agency.webhook_url else []
        if not rows or not (users or hooks):
            continue
        message = texts.digest(agency, day, rows)
        key = f"digest:{agency.id}:{day.isoformat()}"
        alert = raise_alert(session, key, message, users, hooks, agency_id=agency.id)
        if alert is not None:
            raised.append(alert)
    return raised


def calendar_check(session: Session, now: datetime) -> Alert | None:
    """From 1 November, tell the administrators each working day until next year's holiday
    notice is loaded (until then deadlines in it are provisional and expiries wait)."""
    local = now.astimezone(CHINA)
    day = local.date()
    if local.time() < parse_remind_at("09:00"):
        return None
    next_year = notice_missing(session, day)
    if next_year is None or not calendar_for(session).is_workday(day):
        return None
    admins = recipients.administrators(session, day)
    if not admins:
        return None
    message = texts.calendar_missing(next_year, day)
    return raise_alert(session, f"calendar:{next_year}:{day.isoformat()}", message, admins)


def run_daily(session: Session, now: datetime) -> tuple[int, int, int]:
    """The daily jobs; (digests raised, calendar reminders raised, annual-report drafts and
    reminders raised). Also drops expired idempotency keys."""
    idempotency.purge_expired(session, now)
    digests = overdue_digests(session, now)
    calendar = calendar_check(session, now)
    reports = yearend.run(session, now)
    return len(digests), int(calendar is not None), len(reports)
