"""Appeals against an agency's disclosure decisions (DESIGN §3.6 table 四, §3.3 answer clock).

The agency answers a review application within 10 days of receiving it (行政复议法 Art. 48)
and a complaint within 15 days (行政诉讼法 Art. 67) — calendar days, not working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from casework.errors import Invalid, NotFound
from casework.models import Agency, Appeal, AppealEvent, Case

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
    session: Session, appeal: Appeal, action: str, on: date, actor: str, **payload: Any
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
            actor_name=actor,
        )
    )
    session.flush()


def add_appeal(
    session: Session,
    agency: Agency,
    kind: str,
    filed_on: date,
    actor: str,
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


def answer(session: Session, appeal: Appeal, on: date, actor: str, today: date) -> None:
    _not_future(on, today, "on")
    if appeal.answered_on is not None:
        raise Invalid(f"复议/诉讼 {appeal.id} 已于 {appeal.answered_on} 答复")
    if on < appeal.received_on:
        raise Invalid(f"答复日期 {on} 早于收到日期 {appeal.received_on}", field="on")
    appeal.answered_on = on
    session.add(appeal)
    _log(session, appeal, "answered", on, actor)


def decide(
    session: Session, appeal: Appeal, result: str, on: date, actor: str, today: date
) -> None:
    _check(result, RESULTS, "result")
    _not_future(on, today, "on")
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
            )
        )
    return out


def table_four(items: list[AppealStanding], year: int) -> dict[str, dict[str, int]]:
    last = date(year, 12, 31)
    table = {
        kind: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)
        for kind in KINDS
    }
    for item in items:
        group = table[item.kind]
        if item.decided_on is not None and item.decided_on.year == year and item.result:
            group[item.result] += 1
        elif item.filed_on <= last and (item.decided_on is None or item.decided_on > last):
            group["pending"] += 1
        else:
            continue
        group["total"] += 1
    return table
