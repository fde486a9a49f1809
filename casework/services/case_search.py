"""Case lists with filters, newest first, a page at a time (keyset: `before_id`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

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
    late = (
        col(Case.state).in_(OPEN)
        & col(Case.reply_due).is_not(None)
        & (col(Case.reply_due) < today)
        & col(Case.reply_paused).is_(False)
    )
    if f.overdue is True:
        where.append(late)
    elif f.overdue is False:
        where.append(~late)
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


def search_cases(
    session: Session,
    agency_ids: Sequence[int],
    f: CaseFilter,
    today: date,
    *,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Found]:
    """Cases of the given agencies matching `f`, newest registration first; `before_id`
    continues a previous page (keyset pagination: stable while cases are added)."""
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
    rows = session.exec(query.order_by(col(Case.id).desc()).limit(limit)).all()
    return [Found(c, a, p, u) for c, a, p, u in rows]


def overdue(case: Case, today: date) -> bool:
    return (
        case.state in OPEN
        and case.reply_due is not None
        and case.reply_due < today
        and not case.reply_paused
    )
