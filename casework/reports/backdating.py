"""Back-dating into a published year needs an approver (DESIGN §2.5).

An action whose effective date falls in a year the case's agency — or the agency it was merged
into, whose report counts its cases — has already published changes a frozen report: a clerk
may not do that; an approver may, and the change shows as drift (`casework.reports.drift`).

Who is not checked, and why:
- the system (timers) applies expiries the law defines: a deadline that passed passed,
  whether or not a report was published meanwhile; the drift then shows the late expiry;
- a replay acts with every role (an import of decisions already taken), so it passes the check
  like an approver;
- an action dated this year (China time) never touches a published year: no query at all.

A published year Y is also touched by an action dated before Y (the case no longer counts as
carried into Y), so any publication of a year on or after the effective date's year counts.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from casework.errors import ActionError, Forbidden
from casework.models import Agency, ReportPublication
from casework.timeutil import china_today
from workflows.roles import Actor, ActorKind, Role


def _exempt(actor: Actor) -> bool:
    return actor.kind is ActorKind.SYSTEM or Role.APPROVER in actor.roles


def _counting_agencies(session: Session, agency_id: int) -> list[int]:
    """The agency and every agency it was merged into (each one's report counts its cases)."""
    ids = [agency_id]
    agency = session.get(Agency, agency_id)  # the door loads it anyway: from the identity map
    while agency is not None and agency.merged_into_id is not None:
        if agency.merged_into_id in ids:
            break  # a merge cycle is a data error, not a reason to loop
        ids.append(agency.merged_into_id)
        agency = session.get(Agency, agency.merged_into_id)
    return ids


def refusal(session: Session, agency_id: int, on: date, actor: Actor, today: date) -> str | None:
    """Why `actor` may not act with effective date `on` on a case of the agency; None if they
    may. One indexed query, and only when `on` is before this year and the actor is a user
    without the approver role."""
    if on.year >= today.year or _exempt(actor):
        return None
    row = session.exec(
        select(ReportPublication.year, ReportPublication.published_at)
        .where(
            col(ReportPublication.agency_id).in_(_counting_agencies(session, agency_id)),
            col(ReportPublication.year) >= on.year,
        )
        .order_by(col(ReportPublication.year), col(ReportPublication.revision))
        .limit(1)
    ).first()
    if row is None:
        return None
    year, published_at = row
    when = china_today(published_at)
    if year == on.year:
        return f"{year}年度报告已于{when}公布；生效日期在该年度的办理须由负责人办理"
    return f"{year}年度报告已于{when}公布；生效日期 {on} 会改变该年度的上年结转，须由负责人办理"


def check_case_action(
    session: Session,
    agency_id: int,
    ref: str | None,
    action: str,
    on: date,
    actor: Actor,
    today: date,
) -> None:
    """`refusal` for an action on a case (`perform`): an ActionError naming case and action."""
    reason = refusal(session, agency_id, on, actor, today)
    if reason is not None:
        raise ActionError(ref, action, [reason], "on")


def check_appeal_event(
    session: Session, agency_id: int, on: date, actor: Actor | str, today: date
) -> None:
    """`refusal` for an appeal's event. A plain name (not an `Actor`) is an import or the
    operator's command line, which act without a user's role: not checked."""
    if isinstance(actor, str):
        return
    reason = refusal(session, agency_id, on, actor, today)
    if reason is not None:
        raise Forbidden(f"复议/诉讼记录未保存：{reason}")
