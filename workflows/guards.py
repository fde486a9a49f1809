"""Guards: each returns None when the action may go ahead, or the reason (Chinese) it may not.

A guard sees a `Check`; when the actions a user may take now are listed, there is no payload
yet, so payload-dependent guards pass on `payload is None`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workflows import payloads as p
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID, outcome
from workflows.roles import Actor, Role
from workflows.snapshot import CaseSnapshot
from workflows.states import State

EXPIRY_ACTIONS = ("correction_deadline_passed", "payment_deadline_passed", "confirm_expiry")


@dataclass(frozen=True)
class Check:
    case: CaseSnapshot
    actor: Actor
    on: date
    payload: p.Payload | None = None
    today: date | None = None  # the recording day (None: the effective date)


Guard = Callable[[Check], str | None]


def _service_dates(payload: p.Payload | None) -> list[tuple[str, date]]:
    if isinstance(payload, p.RequestCorrection) and payload.served_on:
        return [("served_on", payload.served_on)]
    if isinstance(payload, p.IssueFeeNotice) and payload.applicant_received_on:
        return [("applicant_received_on", payload.applicant_received_on)]
    if isinstance(payload, p.StartConsultation):
        return [
            (f"{party.name} 收到日期", party.received_on)
            for party in payload.all_parties
            if party.received_on
        ]
    return []


def service_dates_known(c: Check) -> str | None:
    """A notice is served on or after the day it is issued, and not after today."""
    today = c.today or c.on
    for name, served in _service_dates(c.payload):
        if served < c.on:
            return f"{name} {served} 早于文书发出之日 {c.on}"
        if served > today:
            return f"{name} {served} 晚于今日（{today}）：送达后再用 record_service 记录"
    return None


def posted_in_the_past(c: Check) -> str | None:
    posted = getattr(c.payload, "posted_on", None)
    if isinstance(posted, date) and posted > c.on:
        return f"交寄日期 {posted} 晚于本操作的日期 {c.on}"
    return None


def on_or_before_reply_due(c: Check) -> str | None:
    due = c.case.dues.reply
    if due is None:
        return "答复期限当前暂停计算，不能进行此操作"
    if c.on > due:
        return f"须在答复期限届满之日（{due}）或之前进行"
    return None


def signoff_respected(c: Check) -> str | None:
    if c.case.policy.signoff_required and Role.APPROVER not in c.actor.roles:
        return "本机关要求审核签发：请提交答复草稿（draft_reply），由负责人签发"
    return None


def signoff_enabled(c: Check) -> str | None:
    if not c.case.policy.signoff_required:
        return "本机关未启用审核签发，请直接答复（reply）"
    return None


def draft_pending(c: Check) -> str | None:
    return None if c.case.pending_draft is not None else "没有待签发的答复草稿"


def party_pending(c: Check) -> str | None:
    pending = c.case.pending_parties
    if not pending:
        return "没有尚未答复的被征求意见方"
    if not isinstance(c.payload, p.ReceiveOpinion):
        return None
    if c.payload.party is None:
        return None if len(pending) == 1 else f"须指明哪一方的意见（party）：{'、'.join(pending)}"
    if c.payload.party not in pending:
        return f"“{c.payload.party}”不是尚未答复的被征求意见方（{'、'.join(pending)}）"
    return None


def _expired(expires_on: date | None, provisional: bool, c: Check, *, system: bool) -> str | None:
    if expires_on is None:
        return "期限尚未确定"
    if c.on < expires_on:
        return f"期限尚未届满（最早 {expires_on} 可作逾期处理）"
    if system and provisional:
        return "期限届满日所在年度的放假安排尚未公布（暂定日期），系统不自动处理，须由负责人确认"
    return None


def correction_expired(c: Check) -> str | None:
    d = c.case.dues
    return _expired(d.correction_expires_on, d.correction_provisional, c, system=True)


def payment_expired(c: Check) -> str | None:
    d = c.case.dues
    return _expired(d.payment_expires_on, d.payment_provisional, c, system=True)


def opinion_expired(c: Check) -> str | None:
    if not c.case.pending_parties:
        return "没有尚未答复的被征求意见方"
    d = c.case.dues
    return _expired(d.opinion_expires_on, d.opinion_provisional, c, system=True)


def expiry_confirmable(c: Check) -> str | None:
    d = c.case.dues
    if c.case.state == State.CORRECTION_REQUESTED:
        return _expired(d.correction_expires_on, False, c, system=False)
    if c.case.state == State.CONSULTING:
        if not c.case.pending_parties:
            return "没有尚未答复的被征求意见方"
        return _expired(d.opinion_expires_on, False, c, system=False)
    return _expired(d.payment_expires_on, False, c, system=False)


def expiry_voidable(c: Check) -> str | None:
    concluding = c.case.last(*EXPIRY_ACTIONS, "reply", "approve_reply", "withdraw")
    if concluding is None or concluding.action not in EXPIRY_ACTIONS:
        return "本案不是因逾期而办结的"
    if c.case.outcome not in (CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID):
        return "办结结果已被更正，不能撤销逾期处理"
    if isinstance(c.payload, p.VoidExpiry):
        d = c.case.dues
        due = d.correction if c.case.outcome == CORRECTION_NOT_SUBMITTED else d.payment
        if due is not None and c.payload.posted_on > due:
            return f"交寄日期 {c.payload.posted_on} 晚于期限届满日 {due}，不能视为按时提交"
    return None


def reasons_requested(c: Check) -> str | None:
    if c.case.count("request_reasons") == 0:
        return "尚未要求申请人说明理由（request_reasons）"
    if isinstance(c.payload, p.SetReasonableDeadline) and c.payload.due_on <= c.on:
        return f"合理期限 {c.payload.due_on} 须晚于决定之日 {c.on}"
    return None


def correction_period_longer(c: Check) -> str | None:
    if isinstance(c.payload, p.ExtendCorrectionPeriod) and c.payload.due_on is not None:
        current = c.case.dues.correction
        if current is not None and c.payload.due_on <= current:
            return f"新的补正截止日 {c.payload.due_on} 须晚于当前截止日 {current}"
    return None


SERVED_NOTICES = {
    "correction": "request_correction",
    "opinion": "start_consultation",
    "fee": "issue_fee_notice",
}


def service_recordable(c: Check) -> str | None:
    if not isinstance(c.payload, p.RecordService):
        if c.case.last(*SERVED_NOTICES.values()) is None:
            return "本案没有发出过需要记录送达日期的文书（补正告知书、征求意见书、收费通知）"
        return None
    issued = c.case.last(SERVED_NOTICES[c.payload.notice])
    if issued is None:
        return "本案没有发出过该文书"
    if c.payload.notice == "opinion":
        names = {w.name for w in c.case.dues.parties}
        if c.payload.party is None or c.payload.party not in names:
            return f"须指明被征求意见方（party）：{'、'.join(sorted(names))}"
    if not issued.on <= c.payload.served_on <= c.on:
        return f"送达日期 {c.payload.served_on} 须在发出之日 {issued.on} 与今日记录日期 {c.on} 之间"
    return None


def outcome_changes(c: Check) -> str | None:
    if isinstance(c.payload, p.AmendOutcome) and c.payload.outcome == c.case.outcome:
        return f"办理结果已是“{outcome(c.payload.outcome).full_label}”"
    return None
