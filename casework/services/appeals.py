"""Appeals against an agency's disclosure decisions (DESIGN §3.6 table 四, §3.3 answer clock).

The agency answers a review application within 10 days of receiving it (行政复议法 Art. 48)
and a complaint within 15 days (行政诉讼法 Art. 67) — calendar days, not working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from casework.errors import Invalid, NotFound
from casework.models import Agency, Appeal, AppealEvent, Case
from casework.reports.backdating import check_appeal_event
from casework.statistics.lookup import among, not_among
from workflows.roles import Actor

KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
}
ROLES: dict[str, str] = {
    "respondent": "被申请人",
    "defendant": "被告",
    "co_defendant_review_body": "复议机关（共同被告）",
}
RESULTS: dict[str, str] = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果"}
FIRST_DAY = date(2008, 5, 1)  # the Regulations in force: no appeal about a reply before
ANSWER_DAYS = {
    "reconsideration": 10,
    "litigation_direct": 15,
    "litigation_after_reconsideration": 15,
}
# Counted for the agency whose decision is challenged, not for a review body that is only a
# co-defendant (国办公开办函〔2016〕201号).
COUNTED_ROLES = frozenset({"respondent", "defendant"})


def _check(value: str, allowed: dict[str, str], what: str) -> str:
    if value not in allowed:
        raise Invalid(f"{what}“{value}”无效；可用：{'、'.join(allowed)}", field=what)
    return value


def _not_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise Invalid(f"{what} {day} 晚于今日（{today}）", field=what)


def _log(
    session: Session, appeal: Appeal, action: str, on: date, actor: Actor | str, **payload: Any
) -> None:
    assert appeal.id is not None
    seq = session.exec(select(func.count()).where(AppealEvent.appeal_id == appeal.id)).one()
    session.add(
        AppealEvent(
            appeal_id=appeal.id,
            seq=int(seq) + 1,
            action=action,
            effective_on=on,
            payload=payload,
            actor_name=actor if isinstance(actor, str) else actor.name,
        )
    )
    session.flush()


def add_appeal(
    session: Session,
    agency: Agency,
    kind: str,
    filed_on: date,
    actor: Actor | str,  # a plain name: an import or the operator's command line
    today: date,
    received_on: date | None = None,
    role: str | None = None,
    case: Case | None = None,
) -> Appeal:
    _check(kind, KINDS, "kind")
    role = role or ("respondent" if kind == "reconsideration" else "defendant")
    _check(role, ROLES, "role")
    received = received_on or filed_on
    _not_future(filed_on, today, "filed_on")
    _not_future(received, today, "received_on")
    if received < filed_on:
        raise Invalid(f"收到日期 {received} 早于提起日期 {filed_on}", field="received_on")
    if case is not None and case.agency_id != agency.id:
        raise Invalid("案件不属于该机关", field="case")
    if filed_on < FIRST_DAY:
        raise Invalid(f"提起日期 {filed_on} 早于条例施行（{FIRST_DAY}）", field="filed_on")
    if case is not None and filed_on < case.received_on:
        raise Invalid(
            f"提起日期 {filed_on} 早于该申请的收到日期 {case.received_on}", field="filed_on"
        )
    assert agency.id is not None
    check_appeal_event(session, agency.id, filed_on, actor, today)
    appeal = Appeal(
        agency_id=agency.id,
        case_id=case.id if case else None,
        kind=kind,
        role=role,
        filed_on=filed_on,
        received_on=received,
        answer_due=received + timedelta(days=ANSWER_DAYS[kind]),
    )
    session.add(appeal)
    session.flush()
    _log(session, appeal, "filed", filed_on, actor, kind=kind, role=role, received_on=str(received))
    return appeal


def appeal_by_id(session: Session, appeal_id: int, agency: Agency | None = None) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None or (agency is not None and appeal.agency_id != agency.id):
        raise NotFound(f"没有编号为 {appeal_id} 的复议/诉讼记录")
    return appeal


def answer(session: Session, appeal: Appeal, on: date, actor: Actor | str, today: date) -> None:
    _not_future(on, today, "on")
    check_appeal_event(session, appeal.agency_id, on, actor, today)
    if appeal.answered_on is not None:
        raise Invalid(f"复议/诉讼 {appeal.id} 已于 {appeal.answered_on} 答复")
    if on < appeal.received_on:
        raise Invalid(f"答复日期 {on} 早于收到日期 {appeal.received_on}", field="on")
    appeal.answered_on = on
    session.add(appeal)
    _log(session, appeal, "answered", on, actor)


def decide(
    session: Session, appeal: Appeal, result: str, on: date, actor: Actor | str, today: date
) -> None:
    _check(result, RESULTS, "result")
    _not_future(on, today, "on")
    check_appeal_event(session, appeal.agency_id, on, actor, today)
    if appeal.decided_on is not None:
        raise Invalid(f"复议/诉讼 {appeal.id} 已于 {appeal.decided_on} 审结")
    if on < appeal.filed_on:
        raise Invalid(f"审结日期 {on} 早于提起日期 {appeal.filed_on}", field="on")
    if appeal.answered_on is not None and on < appeal.answered_on:
        raise Invalid(f"审结日期 {on} 早于答复日期 {appeal.answered_on}", field="on")
    appeal.decided_on, appeal.result = on, result
    session.add(appeal)
    _log(session, appeal, "decided", on, actor, result=result)


def list_appeals(session: Session, agency: Agency) -> list[Appeal]:
    return list(
        session.exec(
            select(Appeal).where(Appeal.agency_id == agency.id).order_by(col(Appeal.filed_on))
        ).all()
    )


@dataclass(frozen=True)
class AppealStanding:
    kind: str
    filed_on: date
    decided_on: date | None
    result: str | None
    appeal_id: int | None = None  # which appeal: for the drill-down behind a cell


def standings(session: Session, agency_ids: list[int], as_of: datetime) -> list[AppealStanding]:
    """Each counted appeal as recorded by `as_of`: when filed, and when and how decided."""
    rows = session.exec(
        select(Appeal, AppealEvent)
        .join(AppealEvent, col(AppealEvent.appeal_id) == Appeal.id)
        .where(
            col(Appeal.agency_id).in_(agency_ids),
            col(Appeal.role).in_(list(COUNTED_ROLES)),
            col(AppealEvent.recorded_at) <= as_of,
        )
    ).all()
    by_appeal: dict[int, dict[str, AppealEvent]] = {}
    kinds: dict[int, Appeal] = {}
    for appeal, event in rows:
        assert appeal.id is not None
        by_appeal.setdefault(appeal.id, {})[event.action] = event
        kinds[appeal.id] = appeal
    out = []
    for appeal_id, events in by_appeal.items():
        filed = events.get("filed")
        if filed is None:
            continue
        decided = events.get("decided")
        out.append(
            AppealStanding(
                kinds[appeal_id].kind,
                filed.effective_on,
                decided.effective_on if decided else None,
                str(decided.payload.get("result")) if decided else None,
                appeal_id,
            )
        )
    return out


RESULT_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def place(item: AppealStanding, first: date, last: date) -> str | None:
    """Where one appeal counts for the period first..last: its result where decided in the
    period, "pending" where filed by its end and undecided then, else None. The one rule
    behind table 四, its drill-down and any period's statistics."""
    if item.decided_on is not None and first <= item.decided_on <= last and item.result:
        return item.result
    if item.filed_on <= last and (item.decided_on is None or item.decided_on > last):
        return "pending"
    return None


def table_for_period(
    items: list[AppealStanding], first: date, last: date
) -> dict[str, dict[str, int]]:
    table = {kind: dict.fromkeys(RESULT_COLUMNS, 0) for kind in KINDS}
    for item in items:
        column = place(item, first, last)
        if column is not None:
            table[item.kind][column] += 1
            table[item.kind]["total"] += 1
    return table


def table_four(items: list[AppealStanding], year: int) -> dict[str, dict[str, int]]:
    return table_for_period(items, date(year, 1, 1), date(year, 12, 31))


def period_appeals(
    session: Session, agency_ids: list[int], first: date, last: date, as_of: datetime
) -> dict[str, dict[str, int]]:
    """table_for_period(standings(…), first, last), counted by the database in one GROUP BY.

    An appeal counts as its events recorded by T say. Its row holds what its events say (it
    is written with its "filed" event, and its decision with the "decided" one), so an
    appeal without events recorded after T (all of them when T is now) is read from its
    row; one with later events, from its events recorded by T."""

    def logged(action: str) -> Any:
        return (
            sa_select(col(AppealEvent.id))
            .where(
                col(AppealEvent.appeal_id) == Appeal.id,
                col(AppealEvent.action) == action,
                col(AppealEvent.recorded_at) <= as_of,
            )
            .exists()
        )

    later = sa_select(col(AppealEvent.appeal_id)).where(col(AppealEvent.recorded_at) > as_of)
    later_events = sa_select(col(AppealEvent.id)).where(
        col(AppealEvent.appeal_id) == Appeal.id, col(AppealEvent.recorded_at) > as_of
    )
    counted = (col(Appeal.agency_id).in_(agency_ids), col(Appeal.role).in_(list(COUNTED_ROLES)))
    standing = union_all(
        sa_select(  # no events recorded after T: the row
            col(Appeal.kind).label("kind"),
            col(Appeal.filed_on).label("filed_on"),
            col(Appeal.decided_on).label("decided_on"),
            col(Appeal.result).label("result"),
        ).where(*counted, not_among(session, col(Appeal.id), later, later_events)),
        sa_select(  # events recorded after T: those recorded by T
            col(Appeal.kind),
            col(Appeal.filed_on),
            case((logged("decided"), col(Appeal.decided_on)), else_=None),
            col(Appeal.result),
        ).where(among(session, col(Appeal.id), later), *counted, logged("filed")),
    ).subquery()
    decided_on, result = standing.c.decided_on, standing.c.result
    column = case(
        (
            and_(decided_on.between(first, last), result.is_not(None), result != ""),
            result,
        ),
        (
            and_(standing.c.filed_on <= last, or_(decided_on.is_(None), decided_on > last)),
            "pending",
        ),
        else_=None,
    ).label("place")
    rows = session.execute(
        sa_select(standing.c.kind, column, func.count()).group_by(standing.c.kind, column)
    ).all()
    table = {kind: dict.fromkeys(RESULT_COLUMNS, 0) for kind in KINDS}
    for kind, placed, n in rows:
        if placed is not None:
            table[kind][placed] += n
            table[kind]["total"] += n
    return table
