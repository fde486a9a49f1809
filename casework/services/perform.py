"""The one door for every action on a case (DESIGN §2.2): clerk, approver, system, replay.

`perform` checks the version, validates the action against the workflow table, appends the
event, updates the case projection (compare-and-set on `version`) and the timers — all in the
caller's transaction. It flushes; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from casework.clocks import ClockView, compute_clocks
from casework.errors import ActionError, Conflict, NotFound
from casework.models import Agency, Appeal, Applicant, Case, CaseConclusion, CaseEvent
from casework.reports.backdating import check_case_action
from casework.services import fee_quote, timers
from casework.services.directory import agency_by_code, roles_on, user_by_name
from casework.services.projection import deadline_columns
from casework.services.snapshots import CaseContext, context_for, event_record, load_case
from casework.timeutil import utcnow
from casework.workdays import CalendarRangeError
from workflows import payloads as p
from workflows.actions import WORKFLOW_VERSION, action_spec
from workflows.payloads import PAYLOAD_SCHEMA_VERSION
from workflows.roles import Actor, ActorKind, Role
from workflows.rules import ActionRefused, Decision, decide, parse_payload
from workflows.snapshot import CaseSnapshot
from workflows.states import UNREGISTERED, State


@dataclass(frozen=True)
class Performed:
    case: Case
    event: CaseEvent
    # what the doors show the user beside the success (e.g. a fee that differs from the quote)
    warnings: tuple[str, ...] = ()


def perform(
    session: Session,
    *,
    action: str,
    payload: Mapping[str, Any],
    actor: Actor,
    today: date,
    case_id: int | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Performed:
    """Apply one action. `case_id` is None only for `register` (the agency is in the payload)."""
    try:
        return _perform(session, action, payload, actor, today, case_id, on, expected_version)
    except CalendarRangeError as error:  # a date the working-day calendar does not cover
        raise ActionError(None, action, [str(error)]) from None


def _perform(
    session: Session,
    action: str,
    payload: Mapping[str, Any],
    actor: Actor,
    today: date,
    case_id: int | None,
    on: date | None,
    expected_version: int | None,
) -> Performed:
    if case_id is None:
        if action != "register":
            raise ActionError(None, action, ["须指明案件"])
        return _register(session, payload, actor, today, on)
    case = load_case(session, case_id, for_update=True)
    if action == "register":
        raise ActionError(case.ref, action, ["案件已经登记，不能重复登记"])
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            f"案件 {case.ref} 已被他人更新（当前版本 {case.version}，提交的版本 {expected_version}），请刷新后重试"
        )
    when = on or today
    check_case_action(session, case.agency_id, case.ref, action, when, actor, today)
    expired: list[str] = []
    if actor.kind is not ActorKind.SYSTEM:
        # An expiry the law fixed before this action's date comes first, whether or not the
        # sweeper has run yet: a correction arriving after its period is late, not accepted.
        notify = actor.kind is ActorKind.USER  # a replay imports past time: tells nobody
        run = timers.run_due(session, when, today, case_ids=[case_id], notify=notify)
        expired = [f"{on_} 已由系统作“{action_spec(name).label}”处理" for _, name, on_ in run.fired]
        if expired:
            case = load_case(session, case_id, for_update=True)
    ctx = context_for(session, case)
    if action == "confirm_expiry":
        when = _confirmed_expiry_date(ctx, on, when)
    try:
        decision = decide(ctx.snapshot, action, payload, actor, when, today)
    except ActionRefused as refused:
        reasons = (
            [*refused.reasons, f"期限已届满：{'；'.join(expired)}"] if expired else refused.reasons
        )
        raise ActionError(case.ref, action, reasons, refused.field) from None
    stored = _stored_payload(session, ctx, decision, when)
    done = _append(session, ctx, decision, stored, actor, when)
    if isinstance(decision.payload, p.IssueFeeNotice):
        done = replace(done, warnings=fee_quote.notice_warnings(stored))
    return done


def _confirmed_expiry_date(ctx: CaseContext, on: date | None, default: date) -> date:
    """An expiry an approver confirms takes effect when the law says — the day after the
    period's last day — not on the day of the confirmation (it decides the report year)."""
    dues = ctx.snapshot.dues
    fixed = {
        "correction_requested": dues.correction_expires_on,
        "fee_pending": dues.payment_expires_on,
        "consulting": dues.opinion_expires_on,
    }.get(ctx.case.state)
    if fixed is None:
        return default
    if on is not None and on != fixed:
        raise ActionError(
            ctx.case.ref,
            "confirm_expiry",
            [f"期限届满的生效日期依法为 {fixed}（期限最后一日的次日），不能另定为 {on}"],
            "on",
        )
    return fixed


def _register(
    session: Session, raw: Mapping[str, Any], actor: Actor, today: date, on: date | None
) -> Performed:
    blank = CaseSnapshot(state=UNREGISTERED, received_on=None)
    ref = str(raw.get("ref") or "") or None
    try:
        parsed = parse_payload(action_spec("register"), raw)
        assert isinstance(parsed, p.Register)
        when = on or parsed.receipt
        decision = decide(blank, "register", raw, actor, when, today)
    except ActionRefused as refused:
        raise ActionError(ref, "register", refused.reasons, refused.field) from None
    data = decision.payload
    assert isinstance(data, p.Register)
    if data.receipt > when:
        raise ActionError(ref, "register", [f"收到申请之日 {data.receipt} 晚于登记日期 {when}"])
    agency = agency_by_code(session, data.agency)
    if not agency.active:
        merged = session.get(Agency, agency.merged_into_id) if agency.merged_into_id else None
        target = f"，请在“{merged.code}”（{merged.name}）登记" if merged else ""
        raise ActionError(ref, "register", [f"机关“{agency.code}”已撤并{target}"], field="agency")
    check_case_action(session, agency.id or 0, ref, "register", data.receipt, actor, today)
    _lock_numbering(session, agency)
    ref = data.ref or _next_ref(session, agency.id or 0, data.receipt.year)
    if session.exec(select(Case).where(Case.agency_id == agency.id, Case.ref == ref)).first():
        raise ActionError(ref, "register", [f"本机关已有案号为“{ref}”的案件"], field="ref")
    origin = _origin_appeal(session, agency, data, data.ref)  # no number is taken yet
    applicant = Applicant(**data.applicant.model_dump())
    session.add(applicant)
    session.flush()
    case = Case(
        agency_id=agency.id or 0,
        ref=ref,
        applicant_id=applicant.id or 0,
        applicant_kind=data.applicant.kind.value,
        channel=data.channel,
        submitted_on=data.submitted_on,
        signed_on=data.signed_on,
        confirmed_on=data.confirmed_on,
        received_on=data.receipt,
        request_text=data.request,
        delivery=data.delivery,
        state=UNREGISTERED,
        workflow_version=WORKFLOW_VERSION,
        version=0,
        origin_appeal_id=origin.id if origin else None,
        origin_case_id=origin.case_id if origin else None,
    )
    session.add(case)
    session.flush()
    ctx = context_for(session, case)
    stored = data.model_dump(mode="json", exclude_none=True, exclude={"applicant", "agency"})
    stored |= {
        "applicant_id": applicant.id,
        "applicant_kind": data.applicant.kind.value,
        "ref": ref,
    }
    stored["received_on"] = data.receipt.isoformat()
    return _append(session, ctx, decision, stored, actor, when)


def _origin_appeal(
    session: Session, agency: Agency, data: p.Register, ref: str | None
) -> Appeal | None:
    """A follow-up case answers a decision that corrected this agency's reply."""
    if data.follow_up_of is None:
        return None
    appeal = session.get(Appeal, data.follow_up_of)
    if appeal is None or appeal.agency_id != agency.id:
        raise ActionError(
            ref, "register", [f"本机关没有编号为 {data.follow_up_of} 的复议/诉讼"], "follow_up_of"
        )
    if appeal.result != "corrected" or appeal.decided_on is None:
        raise ActionError(
            ref,
            "register",
            ["只有结果为纠正（责令重新答复）的复议/诉讼才产生重新办理的案件"],
            "follow_up_of",
        )
    if data.receipt < appeal.decided_on:
        raise ActionError(
            ref,
            "register",
            [f"收到决定之日 {data.receipt} 早于决定作出之日 {appeal.decided_on}"],
            "received_on",
        )
    return appeal


def _lock_numbering(session: Session, agency: Agency) -> None:
    """Registrations in one agency take its row's lock (PostgreSQL), so two at once never pick
    the same case number; SQLite's write transactions are serial already."""
    if session.get_bind().dialect.name != "sqlite":
        session.exec(select(Agency.id).where(Agency.id == agency.id).with_for_update()).first()


def _next_ref(session: Session, agency_id: int, year: int) -> str:
    count = session.exec(
        select(func.count()).where(
            Case.agency_id == agency_id, col(Case.ref).startswith(f"{year}-")
        )
    ).one()
    n = int(count) + 1
    while session.exec(
        select(Case.id).where(Case.agency_id == agency_id, Case.ref == f"{year}-{n:03d}")
    ).first():
        n += 1
    return f"{year}-{n:03d}"


def _stored_payload(
    session: Session, ctx: CaseContext, decision: Decision, on: date
) -> dict[str, Any]:
    payload = decision.payload
    stored: dict[str, Any] = payload.model_dump(mode="json", exclude_none=True)
    if isinstance(payload, p.Assign):
        try:
            user = user_by_name(session, payload.handler)
        except NotFound:
            user = None  # told like another agency's user: names elsewhere are not revealed
        if user is None or not roles_on(session, user, ctx.agency, on) & {
            Role.CLERK,
            Role.APPROVER,
        }:
            raise ActionError(
                ctx.case.ref,
                "assign",
                [f"“{payload.handler}”不是本机关（{ctx.agency.code}）的经办人或负责人"],
                "handler",
            )
        stored["handler_id"] = user.id
    if isinstance(payload, p.RequestCorrection) and payload.period_wd is None:
        # the agency's default, written into the event so the history stays self-contained
        stored["period_wd"] = ctx.snapshot.policy.correction_period_wd
    if isinstance(payload, p.Void) and payload.merged_into is not None:
        target = session.exec(
            select(Case).where(
                Case.agency_id == ctx.case.agency_id, Case.ref == payload.merged_into
            )
        ).first()
        if target is None or target.id == ctx.case.id:
            raise ActionError(
                ctx.case.ref,
                "void",
                [f"merged_into：本机关没有其他案号为“{payload.merged_into}”的案件"],
                "merged_into",
            )
        stored["merged_into_case_id"] = target.id
    if isinstance(payload, p.ReceiveOpinion) and payload.party is None:
        pending = ctx.snapshot.pending_parties
        if pending:
            stored["party"] = pending[0]
    if isinstance(payload, p.IssueFeeNotice):  # the standard amount, kept beside the charged one
        stored |= fee_quote.quoted_for_notice(
            session, ctx.case, payload.basis, payload.pages, payload.items
        )
    if decision.spec.name == "approve_reply":
        draft = ctx.snapshot.pending_draft
        assert draft is not None
        stored = {**dict(draft.payload), "draft_seq": draft.seq}
    return stored


def _append(
    session: Session,
    ctx: CaseContext,
    decision: Decision,
    stored: dict[str, Any],
    actor: Actor,
    on: date,
) -> Performed:
    case = ctx.case
    assert case.id is not None
    seq = (ctx.rows[-1].seq if ctx.rows else 0) + 1
    now = utcnow()
    event = CaseEvent(
        case_id=case.id,
        seq=seq,
        action=decision.spec.name,
        from_state=None if case.state == UNREGISTERED else case.state,
        to_state=decision.to_state,
        effective_on=on,
        recorded_at=now,
        actor_kind=actor.kind.value,
        actor_name=actor.name,
        actor_user_id=actor.user_id,
        payload=stored,
        payload_schema=PAYLOAD_SCHEMA_VERSION,
        workflow_version=WORKFLOW_VERSION,
    )
    session.add(event)
    session.flush()
    events = (*ctx.events, event_record(event))
    clocks = compute_clocks(case.received_on, events, ctx.calendar, ctx.snapshot.policy)
    standing = (case.outcome, case.concluded_on, case.state == State.VOID)  # before the update
    values = _projection(case, decision, stored, clocks.current(), on)
    values["version"] = case.version + 1
    values["updated_at"] = now
    result = session.execute(
        update(Case)
        .where(col(Case.id) == case.id, col(Case.version) == case.version)
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"案件 {case.ref} 已被他人同时更新，请刷新后重试")
    session.refresh(case)
    if (case.outcome, case.concluded_on, case.state == State.VOID) != standing:
        _record_standing(session, case, event)
    timers.sync(session, case, events, clocks, ctx.calendar, ctx.agency)
    return Performed(case, event)


def _record_standing(session: Session, case: Case, event: CaseEvent) -> None:
    """The conclusion ledger (DESIGN §3.6 fast path), in the event's own transaction."""
    assert case.id is not None
    session.add(
        CaseConclusion(
            case_id=case.id,
            agency_id=case.agency_id,
            applicant_kind=case.applicant_kind,
            received_on=case.received_on,
            outcome=case.outcome,
            concluded_on=case.concluded_on,
            voided=case.state == State.VOID,
            event_seq=event.seq,
            recorded_at=event.recorded_at,
        )
    )
    session.flush()


def _projection(
    case: Case, decision: Decision, stored: dict[str, Any], current: list[ClockView], on: date
) -> dict[str, Any]:
    values: dict[str, Any] = {"state": decision.to_state}
    if decision.sets_outcome:
        values["outcome"] = decision.outcome
        if decision.outcome is None:
            values["concluded_on"] = None
        elif case.outcome is None:
            values["concluded_on"] = on  # the first event that fixes the outcome
    if "handler_id" in stored:
        values["handler_id"] = stored["handler_id"]
    values.update(deadline_columns(current))
    return values
