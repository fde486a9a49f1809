"""Read models: case lists and the case detail (DESIGN §3.3 machine-readable shape)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from casework.errors import NotFound
from casework.masking import mask_name
from casework.models import Agency, Applicant, Case, User
from casework.notices.kinds import offered_by_action
from casework.services.attachments import case_attachments_json, reveals_files
from casework.services.directory import agency_by_code
from casework.services.snapshots import CaseContext, context_for
from workflows.actions import ACTION_BY_NAME
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind
from workflows.roles import Actor, ActorKind, Role
from workflows.rules import actions_allowed
from workflows.states import OPEN_STATES, State


@dataclass(frozen=True)
class CaseRow:
    case: Case
    agency: Agency
    applicant: Applicant


def list_cases(
    session: Session,
    agency_code: str | None = None,
    state: str | None = None,
    open_only: bool = False,
) -> list[CaseRow]:
    query = (
        select(Case, Agency, Applicant)
        .join(Agency, col(Agency.id) == Case.agency_id)
        .join(Applicant, col(Applicant.id) == Case.applicant_id)
    )
    if agency_code:
        query = query.where(Case.agency_id == agency_by_code(session, agency_code).id)
    if state:
        query = query.where(Case.state == State(state).value)
    if open_only:
        query = query.where(col(Case.state).in_([s.value for s in OPEN_STATES]))
    query = query.order_by(col(Agency.code), col(Case.received_on), col(Case.ref))
    return [CaseRow(c, a, p) for c, a, p in session.exec(query).all()]


def generic_user() -> Actor:
    """For listing actions when no user is named: what a clerk or an approver could do."""
    return Actor(ActorKind.USER, "经办人/负责人", frozenset({Role.CLERK, Role.APPROVER}))


def check_visible(case: Case, actor: Actor, *, supervising: bool = False) -> None:
    """A named user without a role in the case's agency (and not `supervising` it) is told
    the case does not exist."""
    named = actor.kind is ActorKind.USER and actor.user_id is not None
    if named and not actor.roles and not supervising:
        raise NotFound(f"没有案号为“{case.ref}”的案件")


def case_detail(
    session: Session,
    case: Case,
    actor: Actor,
    today: date,
    *,
    supervising: bool = False,
    ctx: CaseContext | None = None,
) -> dict[str, Any]:
    """The case as `actor` may see it: a named user without a role in the case's agency sees
    nothing (as if it did not exist) unless `supervising` (a district office above it: read
    only); personal data is shown to clerks and approvers of the agency only. `ctx`: the
    case's context if the caller has it already (it is loaded otherwise)."""
    check_visible(case, actor, supervising=supervising)
    reveal = actor.user_id is not None and bool(actor.roles & {Role.CLERK, Role.APPROVER})
    ctx = ctx or context_for(session, case)
    applicant = session.get(Applicant, case.applicant_id)
    handler = session.get(User, case.handler_id) if case.handler_id else None
    assert applicant is not None
    return {
        "id": case.id,
        "ref": case.ref,
        "agency": ctx.agency.code,
        "agency_name": ctx.agency.name,
        "state": case.state,
        "state_label": State(case.state).label,
        "outcome": case.outcome,
        "outcome_label": OUTCOME_BY_CODE[case.outcome].full_label if case.outcome else None,
        "version": case.version,
        "received_on": case.received_on.isoformat(),
        "channel": case.channel,
        "applicant": {
            "kind": case.applicant_kind,
            "kind_label": ApplicantKind(case.applicant_kind).label,
            "name": applicant.name if reveal else mask_name(applicant.name),
            **(
                {
                    "id_number": applicant.id_number,
                    "phone": applicant.phone,
                    "email": applicant.email,
                    "address": applicant.address,
                }
                if reveal
                else {}
            ),
        },
        "handler": handler.username if handler else None,
        "request": case.request_text,
        "concluded_on": case.concluded_on.isoformat() if case.concluded_on else None,
        "workflow_version": case.workflow_version,
        "masked": not reveal,
        "actions_allowed": [
            {"action": spec.name, "label": spec.label, "notice": offered_by_action(spec.name)}
            for spec in actions_allowed(ctx.snapshot, actor, today)
        ],
        "deadlines": [view.as_json() for view in ctx.clocks.views],
        "events": _events(ctx),
        "attachments": case_attachments_json(
            session, case.id or 0, reveal=reveals_files(actor, supervising=supervising)
        ),
    }


def _events(ctx: CaseContext) -> list[dict[str, Any]]:
    out = []
    for row in ctx.rows:
        spec = ACTION_BY_NAME[row.action]
        out.append(
            {
                "seq": row.seq,
                "action": row.action,
                "label": spec.label,
                "on": row.effective_on.isoformat(),
                "recorded_at": row.recorded_at.isoformat(),
                "actor": row.actor_name,
                "actor_kind": row.actor_kind,
                "from_state": row.from_state,
                "to_state": row.to_state,
                "payload": row.payload,
            }
        )
    return out
