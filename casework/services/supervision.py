"""督办: a district office (政务公开办) supervises an open case of an agency below it (DESIGN §1).

A supervision is a record of its own with its own notification, never a case event: it changes
neither the case nor its version, and counts in no report. Only a clerk or an approver of an
office whose subtree holds the case may supervise it. The case's handler and the agency's
clerks and approvers are told through the alert ledger (inbox, e-mail, the agency's webhook).

The same office, case, day, note and due day twice is one supervision — a double submit
records it and notifies once (one statement decides, also against a concurrent writer)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from casework.alerts import recipients, texts
from casework.alerts.ledger import raise_alert
from casework.errors import Forbidden, Invalid
from casework.models import Agency, Case, Supervision, User
from casework.services.access import Access, Scope
from casework.timeutil import utcnow
from workflows.roles import Actor, Role
from workflows.states import OPEN_STATES, State

SUPERVISING_ROLES = frozenset({Role.CLERK, Role.APPROVER})
NOTE_MAX = 1000
REFUSED = "督办须由上级政务公开办的经办人或负责人办理"


@dataclass(frozen=True)
class Supervised:
    supervision: Supervision
    created: bool  # False: the same supervision was recorded before (nobody told again)
    notified: int  # users whose inbox got it


@dataclass(frozen=True)
class SupervisionView:
    id: int
    case_id: int
    ref: str
    agency: str  # the case's agency (code)
    agency_name: str
    office: str  # the supervising office (code)
    office_name: str
    by: str  # user name
    by_name: str
    note: str
    due_by: date | None
    created_at: datetime


def office_for(session: Session, scope: Scope, case: Case) -> Access:
    """The office from which the user may supervise the case: the nearest district office
    above the case's agency where they are a clerk or an approver (403 otherwise)."""
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    for office in recipients.district_offices(session, agency):
        access = scope.get(office.id or 0)
        if access is not None and access.roles & SUPERVISING_ROLES:
            return access
    raise Forbidden(REFUSED)


def may_supervise(session: Session, scope: Scope, case: Case) -> bool:
    try:
        office_for(session, scope, case)
    except Forbidden:
        return False
    return case.state in OPEN_STATES


def _key(case: Case, office: Agency, day: date, note: str, due_by: date | None) -> str:
    digest = hashlib.sha256(f"{note}\n{due_by or ''}".encode()).hexdigest()[:16]
    return f"supervision:{case.id}:{office.id}:{day.isoformat()}:{digest}"


def supervise(
    session: Session,
    case: Case,
    supervising_access: Access,
    actor: Actor,
    note: str,
    due_by: date | None,
    *,
    today: date,
) -> Supervised:
    """Record the office's supervision of the case and notify the agency (the caller
    commits). Refused (403) unless the office supervises a subtree holding the case and the
    actor is one of its clerks or approvers; 422 for a concluded case, an empty note or a
    due day in the past."""
    office = supervising_access.agency
    agency = session.get(Agency, case.agency_id)
    assert agency is not None and case.id is not None and office.id is not None
    above = {a.id for a in recipients.district_offices(session, agency)}
    if office.id not in above or not supervising_access.roles & SUPERVISING_ROLES:
        raise Forbidden(REFUSED)
    if actor.user_id is None:
        raise Forbidden(REFUSED)
    if case.state not in OPEN_STATES:
        label = State(case.state).label
        raise Invalid(f"案件 {case.ref} 当前状态为“{label}”，无需督办（只能督办尚未答复的案件）")
    text = note.strip()
    if not text:
        raise Invalid("请填写督办意见", field="note")
    if len(text) > NOTE_MAX:
        raise Invalid(f"督办意见不能超过 {NOTE_MAX} 字", field="note")
    if due_by is not None and due_by < today:
        raise Invalid("要求办理日期不能早于今天", field="due_by")
    key = _key(case, office, today, text, due_by)
    values = {
        "key": key,
        "case_id": case.id,
        "agency_id": case.agency_id,
        "supervising_agency_id": office.id,
        "by_user_id": actor.user_id,
        "note": text,
        "due_by": due_by,
        "created_at": utcnow(),
    }
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Supervision.__table__)  # type: ignore[attr-defined]
        .values(values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Supervision.id))
    )
    new_id = session.connection().execute(statement).scalar()
    row = session.exec(select(Supervision).where(Supervision.key == key)).one()
    if new_id is None:
        return Supervised(row, created=False, notified=0)
    user = session.get(User, actor.user_id)
    by = (user.display_name or user.username) if user is not None else actor.name
    handlers = recipients.handlers(session, case, today)
    staff = recipients.holders(session, [agency.id or 0], Role.CLERK, today)
    staff += recipients.holders(session, [agency.id or 0], Role.APPROVER, today)
    users = recipients.unique([*handlers, *staff])
    message = texts.supervision(case, agency, office, by, text, due_by,
                                recipients.handler_name(session, case))  # fmt: skip
    hooks = [agency.webhook_url] if agency.webhook_url else []
    raise_alert(session, key, message, users, hooks, agency_id=agency.id, case_id=case.id)
    return Supervised(row, created=True, notified=len(users))


def _views(session: Session, where: ColumnElement[bool]) -> list[SupervisionView]:
    office = aliased(Agency)
    query = (
        sa_select(Supervision, Case, Agency, office, User)
        .join(Case, col(Case.id) == col(Supervision.case_id))
        .join(Agency, col(Agency.id) == col(Supervision.agency_id))
        .join(office, col(office.id) == col(Supervision.supervising_agency_id))
        .join(User, col(User.id) == col(Supervision.by_user_id))
        .where(where)
        .order_by(col(Supervision.created_at).desc(), col(Supervision.id).desc())
    )
    return [
        SupervisionView(
            id=s.id or 0,
            case_id=s.case_id,
            ref=c.ref,
            agency=a.code,
            agency_name=a.name,
            office=o.code,
            office_name=o.name,
            by=u.username,
            by_name=u.display_name or u.username,
            note=s.note,
            due_by=s.due_by,
            created_at=s.created_at,
        )
        for s, c, a, o, u in session.execute(query).all()
    ]


def supervisions_of(session: Session, case: Case) -> list[SupervisionView]:
    """Every supervision of the case, newest first."""
    return _views(session, col(Supervision.case_id) == case.id)


def supervision(session: Session, supervision_id: int) -> SupervisionView | None:
    found = _views(session, col(Supervision.id) == supervision_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Tally:
    count: int
    last_at: datetime


def tallies(session: Session, case_ids: Sequence[int]) -> dict[int, Tally]:
    """How often each case was supervised, and when last (a district list's column)."""
    if not case_ids:
        return {}
    rows = session.exec(
        select(Supervision.case_id, func.count(), func.max(col(Supervision.created_at)))
        .where(col(Supervision.case_id).in_(list(case_ids)))
        .group_by(col(Supervision.case_id))
    ).all()
    return {case_id: Tally(int(n), last) for case_id, n, last in rows}
