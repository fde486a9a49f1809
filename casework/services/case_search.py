"""Case lists with filters: newest first a page at a time (keyset: `before_id`), or by
urgency (the soonest next due date first; a page by its number) for the work queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, or_, select

from casework.errors import Invalid
from casework.models import Agency, Applicant, Case, User
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind
from workflows.states import OPEN_STATES, State

OPEN = [s.value for s in OPEN_STATES]


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    open_only: bool = False
    overdue: bool | None = None  # the agency's reply period passed while the case is open
    due_before: date | None = None  # open cases whose reply is due on or before
    received_from: date | None = None
    received_to: date | None = None
    applicant_kind: str | None = None
    outcome: str | None = None
    handler: str | None = None  # a user name
    text: str | None = None  # in the request, the case number and the applicant's name
    # the agencies where the applicant's name may be searched (None: all): where a user sees
    # names masked, a search must not confirm them letter by letter
    names_in: frozenset[int] | None = None


@dataclass(frozen=True)
class Found:
    case: Case
    agency: Agency
    applicant: Applicant
    handler: User | None


def late(today: date) -> ColumnElement[bool]:
    """The agency's reply period passed while the case is open (and the clock is running)."""
    return (
        col(Case.state).in_(OPEN)
        & col(Case.reply_due).is_not(None)
        & (col(Case.reply_due) < today)
        & col(Case.reply_paused).is_(False)
    )


def _conditions(session: Session, f: CaseFilter, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.state:
        try:
            where.append(col(Case.state) == State(f.state).value)
        except ValueError:
            known = "、".join(s.value for s in State)
            raise Invalid(f"没有“{f.state}”这个状态；可用：{known}", field="state") from None
    if f.open_only:
        where.append(col(Case.state).in_(OPEN))
    if f.overdue is True:
        where.append(late(today))
    elif f.overdue is False:
        where.append(~late(today))
    if f.due_before:
        where.append(col(Case.state).in_(OPEN) & (col(Case.reply_due) <= f.due_before))
    if f.received_from:
        where.append(col(Case.received_on) >= f.received_from)
    if f.received_to:
        where.append(col(Case.received_on) <= f.received_to)
    if f.received_from and f.received_to and f.received_to < f.received_from:
        raise Invalid("收到日期范围的结束早于开始", field="received_to")
    if f.applicant_kind:
        try:
            where.append(col(Case.applicant_kind) == ApplicantKind(f.applicant_kind).value)
        except ValueError:
            known = "、".join(k.value for k in ApplicantKind)
            raise Invalid(
                f"没有“{f.applicant_kind}”这种申请人类型；可用：{known}", field="applicant_kind"
            ) from None
    if f.outcome:
        if f.outcome not in OUTCOME_BY_CODE:
            raise Invalid(f"没有“{f.outcome}”这个办理结果代码", field="outcome")
        where.append(col(Case.outcome) == f.outcome)
    if f.handler:
        user = session.exec(select(User).where(User.username == f.handler)).first()
        where.append(col(Case.handler_id) == (user.id if user else -1))
    if f.text:
        needle = f.text.strip()
        by_name = col(Applicant.name).contains(needle, autoescape=True)
        if f.names_in is not None:
            by_name = by_name & col(Case.agency_id).in_(sorted(f.names_in))
        where.append(
            or_(
                col(Case.request_text).contains(needle, autoescape=True),
                by_name,
                col(Case.ref).contains(needle, autoescape=True),
            )
        )
    return where


Order = Literal["newest", "urgency"]


def search_cases(
    session: Session,
    agency_ids: Sequence[int],
    f: CaseFilter,
    today: date,
    *,
    before_id: int | None = None,
    limit: int = 50,
    order: Order = "newest",
    offset: int = 0,
) -> list[Found]:
    """Cases of the given agencies matching `f`, newest registration first; `before_id`
    continues a previous page (keyset pagination: stable while cases are added).

    `order="urgency"`: the soonest next due date first (a passed one is the most urgent;
    cases without a running deadline last), then the earliest received; `offset` skips the
    earlier pages (the work queue's page numbers)."""
    if not agency_ids:
        return []
    query = (
        select(Case, Agency, Applicant, User)
        .join(Agency, col(Agency.id) == col(Case.agency_id))
        .join(Applicant, col(Applicant.id) == col(Case.applicant_id))
        .outerjoin(User, col(User.id) == col(Case.handler_id))
        .where(col(Case.agency_id).in_(list(agency_ids)), *_conditions(session, f, today))
    )
    if before_id is not None:
        query = query.where(col(Case.id) < before_id)
    if order == "urgency":
        query = query.order_by(
            col(Case.next_due).is_(None), col(Case.next_due), col(Case.received_on), col(Case.id)
        )
    else:
        query = query.order_by(col(Case.id).desc())
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return [Found(c, a, p, u) for c, a, p, u in rows]


def count_cases(session: Session, agency_ids: Sequence[int], f: CaseFilter, today: date) -> int:
    """How many cases `search_cases` would list in all (a pager's page count)."""
    if not agency_ids:
        return 0
    query = (
        select(func.count())
        .select_from(Case)
        .join(Applicant, col(Applicant.id) == col(Case.applicant_id))
        .where(col(Case.agency_id).in_(list(agency_ids)), *_conditions(session, f, today))
    )
    return int(session.exec(query).one())


def handlers_of(session: Session, agency_ids: Sequence[int]) -> list[User]:
    """The users handling some case of these agencies (a handler filter's choices), by name."""
    if not agency_ids:
        return []
    handling = (
        select(Case.handler_id)
        .where(col(Case.agency_id).in_(list(agency_ids)), col(Case.handler_id).is_not(None))
        .distinct()
    )
    query = select(User).where(col(User.id).in_(handling)).order_by(col(User.username))
    return list(session.exec(query).all())


def overdue(case: Case, today: date) -> bool:
    return (
        case.state in OPEN
        and case.reply_due is not None
        and case.reply_due < today
        and not case.reply_paused
    )
