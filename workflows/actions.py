"""The workflow as one declarative table (DESIGN §3.4).

Each row says, for one action: where it may start and where it leads, who may take it, how
often, what it does to each clock, the payload schema, the guards, and the outcome it fixes.
`workflows.machine` builds the `transitions` machine from this table; `casework.clocks` reads the
clock effects; the CLI, the API and the diagram read the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from workflows import guards as g
from workflows import payloads as p
from workflows.clocks import Clock, Effect
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID, WITHDRAWN, outcome
from workflows.roles import ActorKind, Role
from workflows.states import ANSWERED_STATES, OPEN_STATES, UNREGISTERED, State

WORKFLOW_VERSION = 1
SAME = "="  # the `transitions` notation for a reflexive transition


class By(StrEnum):
    """Who performs an action: users (and replays of their decisions) or the system."""

    USER = "user"
    SYSTEM = "system"


Chooser = Callable[[g.Check], str]
OutcomeRule = Callable[[g.Check], str | None]


@dataclass(frozen=True)
class Destination:
    """A destination chosen at run time among fixed candidates (for the diagram and machine)."""

    choices: tuple[str, ...]
    choose: Chooser


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    sources: tuple[str, ...]
    dest: str | Destination
    payload: type[p.Payload]
    by: By = By.USER
    roles: frozenset[Role] = frozenset({Role.CLERK})
    limit: int | None = None  # times per case
    clocks: tuple[tuple[Clock, Effect], ...] = ()
    guards: tuple[g.Guard, ...] = ()
    sets_outcome: OutcomeRule | None = None
    notes: str = ""
    destinations: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.dest, Destination):
            object.__setattr__(self, "destinations", self.dest.choices)
        else:
            object.__setattr__(self, "destinations", (self.dest,))


_OPEN = tuple(sorted(OPEN_STATES))
_CONCLUDED = (State.DISCLOSED, State.REFUSED, State.CLOSED)
_APPROVER = frozenset({Role.APPROVER})
_CLERK_OR_APPROVER = frozenset({Role.CLERK, Role.APPROVER})


def _reply_outcome(c: g.Check) -> str | None:
    if isinstance(c.payload, p.ReplyPayload):
        return c.payload.outcome
    return None


def _draft_outcome(c: g.Check) -> str | None:
    draft = c.case.pending_draft
    return None if draft is None else str(draft.payload["outcome"])


def _state_of(rule: OutcomeRule) -> Chooser:
    def choose(c: g.Check) -> str:
        code = rule(c)
        return outcome(code).state if code else State.DISCLOSED

    return choose


def _after_opinion(c: g.Check) -> str:
    """Still consulting while another party has not answered and its window is still open."""
    pending = c.case.pending_parties
    answering = None
    if isinstance(c.payload, p.ReceiveOpinion):
        answering = c.payload.party or (pending[0] if pending else None)
    still_open = [
        w
        for w in c.case.dues.parties
        if not w.answered and w.name != answering and (w.due is None or c.on <= w.due)
    ]
    return State.CONSULTING if still_open else State.RECEIVED


# The system expiry that `confirm_expiry` applies on an approver's word, per state.
CONFIRMS: dict[str, str] = {
    State.CORRECTION_REQUESTED: "correction_deadline_passed",
    State.FEE_PENDING: "payment_deadline_passed",
    State.CONSULTING: "opinion_deadline_passed",
}


def stands_for(action: str, from_state: str | None) -> str:
    """The action whose effects an event has: `confirm_expiry` has those of the expiry it
    confirms; every other action its own."""
    if action == "confirm_expiry" and from_state in CONFIRMS:
        return CONFIRMS[from_state]
    return action


def _expiry_outcome(c: g.Check) -> str | None:
    expiry = ACTION_BY_NAME[CONFIRMS[c.case.state]]
    return expiry.sets_outcome(c) if expiry.sets_outcome else None


def _confirmed_state(c: g.Check) -> str:
    return str(ACTION_BY_NAME[CONFIRMS[c.case.state]].dest)


def _amended_state(c: g.Check) -> str:
    if not isinstance(c.payload, p.AmendOutcome):
        return c.case.state
    new_state = outcome(c.payload.outcome).state
    if c.case.count("deliver") and new_state in ANSWERED_STATES:
        return State.CLOSED  # already served: the correction does not undo the delivery
    return new_state


def _amended_outcome(c: g.Check) -> str | None:
    return c.payload.outcome if isinstance(c.payload, p.AmendOutcome) else None


def _restored_state(c: g.Check) -> str:
    expired = c.case.last("correction_deadline_passed", "payment_deadline_passed", "confirm_expiry")
    if expired is not None and expired.from_state == State.FEE_PENDING:
        return State.FEE_PENDING
    return State.CORRECTION_REQUESTED


_ANSWER = Destination((State.DISCLOSED, State.REFUSED), _state_of(_reply_outcome))
_APPROVED = Destination((State.DISCLOSED, State.REFUSED), _state_of(_draft_outcome))
_R, _CN, _CO = Clock.REPLY, Clock.CORRECTION_NOTICE, Clock.CORRECTION
_OP, _PAY, _RS = Clock.OPINION, Clock.PAYMENT, Clock.REASONS
_STOP_ALL = tuple((clock, Effect.STOP) for clock in (_R, _CN, _CO, _OP, _PAY, _RS))

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "register",
        "登记",
        (UNREGISTERED,),
        State.RECEIVED,
        p.Register,
        clocks=((_R, Effect.START), (_CN, Effect.START)),
    ),
    ActionSpec("assign", "指定承办人", _OPEN, SAME, p.Assign, roles=_CLERK_OR_APPROVER),
    ActionSpec(
        "request_correction",
        "告知补正",
        (State.RECEIVED,),
        State.CORRECTION_REQUESTED,
        p.RequestCorrection,
        limit=1,
        clocks=((_CN, Effect.STOP), (_R, Effect.PAUSE), (_CO, Effect.START)),
        notes="一次性告知；答复期限自收到补正申请之日起重新计算（条例第三十条）",
        guards=(g.service_dates_known,),
    ),
    ActionSpec(
        "extend_correction_period",
        "延长补正期限",
        (State.CORRECTION_REQUESTED,),
        SAME,
        p.ExtendCorrectionPeriod,
        clocks=((_CO, Effect.EXTEND),),
        guards=(g.correction_period_longer,),
    ),
    ActionSpec(
        "receive_correction",
        "收到补正",
        (State.CORRECTION_REQUESTED,),
        State.RECEIVED,
        p.Posted,
        clocks=((_CO, Effect.STOP), (_R, Effect.RESTART)),
        guards=(g.posted_in_the_past,),
    ),
    ActionSpec(
        "start_consultation",
        "征求第三方意见",
        (State.RECEIVED,),
        State.CONSULTING,
        p.StartConsultation,
        clocks=((_R, Effect.PAUSE), (_OP, Effect.START)),
        notes="征求意见所需时间不计算在答复期限内（条例第三十三条）",
        guards=(g.service_dates_known,),
    ),
    ActionSpec(
        "receive_opinion",
        "收到第三方意见",
        (State.CONSULTING,),
        Destination((State.CONSULTING, State.RECEIVED), _after_opinion),
        p.ReceiveOpinion,
        clocks=((_OP, Effect.STOP), (_R, Effect.RESUME)),
        guards=(g.party_pending,),
    ),
    ActionSpec(
        "opinion_deadline_passed",
        "征求意见期满",
        (State.CONSULTING,),
        State.RECEIVED,
        p.Empty,
        by=By.SYSTEM,
        roles=frozenset(),
        clocks=((_OP, Effect.STOP), (_R, Effect.RESUME)),
        guards=(g.opinion_expired,),
    ),
    ActionSpec(
        "issue_fee_notice",
        "发出收费通知",
        (State.RECEIVED,),
        State.FEE_PENDING,
        p.IssueFeeNotice,
        limit=1,
        clocks=((_R, Effect.PAUSE), (_PAY, Effect.START)),
        guards=(
            g.service_dates_known,
            g.on_or_before_reply_due,
        ),
    ),
    ActionSpec(
        "receive_payment",
        "收到缴费",
        (State.FEE_PENDING,),
        State.RECEIVED,
        p.Posted,
        clocks=((_PAY, Effect.STOP), (_R, Effect.RESUME)),
        guards=(g.posted_in_the_past,),
    ),
    ActionSpec(
        "extend",
        "延期答复",
        (State.RECEIVED,),
        SAME,
        p.Extend,
        roles=_APPROVER,
        limit=1,
        clocks=((_R, Effect.EXTEND),),
        guards=(g.on_or_before_reply_due,),
        notes="经政府信息公开工作机构负责人同意，延长不超过20个工作日（条例第三十三条）",
    ),
    ActionSpec(
        "request_reasons",
        "要求说明理由",
        (State.RECEIVED,),
        SAME,
        p.RequestReasons,
        limit=1,
        clocks=((_RS, Effect.START),),
        notes="条例第三十五条",
    ),
    ActionSpec(
        "set_reasonable_deadline",
        "确定合理答复期限",
        (State.RECEIVED,),
        SAME,
        p.SetReasonableDeadline,
        roles=_APPROVER,
        limit=1,
        clocks=((_RS, Effect.STOP), (_R, Effect.SET)),
        guards=(g.reasons_requested,),
    ),
    ActionSpec(
        "record_service",
        "记录送达日期",
        (*_OPEN, *_CONCLUDED),
        SAME,
        p.RecordService,
        clocks=((_CO, Effect.SERVE), (_OP, Effect.SERVE), (_PAY, Effect.SERVE)),
        guards=(g.service_recordable,),
    ),
    ActionSpec(
        "reply",
        "答复",
        (State.RECEIVED,),
        _ANSWER,
        p.ReplyPayload,
        roles=_CLERK_OR_APPROVER,
        clocks=_STOP_ALL,
        guards=(g.signoff_respected,),
        sets_outcome=_reply_outcome,
    ),
    ActionSpec(
        "draft_reply",
        "提交答复草稿",
        (State.RECEIVED,),
        SAME,
        p.ReplyPayload,
        guards=(g.signoff_enabled,),
    ),
    ActionSpec(
        "approve_reply",
        "签发答复",
        (State.RECEIVED,),
        _APPROVED,
        p.Empty,
        roles=_APPROVER,
        clocks=_STOP_ALL,
        guards=(g.signoff_enabled, g.draft_pending),
        sets_outcome=_draft_outcome,
    ),
    ActionSpec(
        "reject_draft",
        "退回答复草稿",
        (State.RECEIVED,),
        SAME,
        p.RejectDraft,
        roles=_APPROVER,
        guards=(g.signoff_enabled, g.draft_pending),
    ),
    ActionSpec(
        "correction_deadline_passed",
        "逾期未补正（视为放弃申请）",
        (State.CORRECTION_REQUESTED,),
        State.CLOSED,
        p.Empty,
        by=By.SYSTEM,
        roles=frozenset(),
        clocks=_STOP_ALL,
        guards=(g.correction_expired,),
        sets_outcome=lambda c: CORRECTION_NOT_SUBMITTED,
    ),
    ActionSpec(
        "payment_deadline_passed",
        "逾期未缴费（视为放弃申请）",
        (State.FEE_PENDING,),
        State.CLOSED,
        p.Empty,
        by=By.SYSTEM,
        roles=frozenset(),
        clocks=_STOP_ALL,
        guards=(g.payment_expired,),
        sets_outcome=lambda c: FEE_NOT_PAID,
    ),
    ActionSpec(
        "void_expiry",
        "撤销逾期处理",
        (State.CLOSED,),
        Destination((State.CORRECTION_REQUESTED, State.FEE_PENDING), _restored_state),
        p.VoidExpiry,
        roles=_APPROVER,
        clocks=((_R, Effect.RESTORE), (_CO, Effect.RESTORE), (_PAY, Effect.RESTORE)),
        guards=(
            g.posted_in_the_past,
            g.expiry_voidable,
        ),
        sets_outcome=lambda c: None,
        notes="补正材料或费用经证明已在期限内交寄",
    ),
    ActionSpec(
        "confirm_expiry",
        "确认期限届满",
        (State.CORRECTION_REQUESTED, State.FEE_PENDING, State.CONSULTING),
        Destination((State.CLOSED, State.RECEIVED), _confirmed_state),
        p.Empty,
        roles=_APPROVER,
        guards=(g.expiry_confirmable,),
        sets_outcome=_expiry_outcome,
        notes="期限届满日为暂定日期时，系统不自动处理，由负责人确认；效果与相应的期满处理相同"
        "（逾期未补正、逾期未缴费视为放弃申请；征求意见期满恢复答复期限）",
    ),
    ActionSpec(
        "withdraw",
        "申请人撤回",
        _OPEN,
        State.CLOSED,
        p.Withdraw,
        clocks=_STOP_ALL,
        sets_outcome=lambda c: WITHDRAWN,
        guards=(g.posted_in_the_past,),
    ),
    ActionSpec("deliver", "送达", (State.DISCLOSED, State.REFUSED), State.CLOSED, p.Deliver),
    ActionSpec(
        "amend_outcome",
        "更正办理结果",
        _CONCLUDED,
        Destination(_CONCLUDED, _amended_state),
        p.AmendOutcome,
        roles=_APPROVER,
        guards=(g.outcome_changes,),
        sets_outcome=_amended_outcome,
        notes="以更正事件记录，不修改原记录",
    ),
    ActionSpec(
        "void",
        "作废",
        _OPEN,
        State.VOID,
        p.Void,
        roles=_APPROVER,
        clocks=_STOP_ALL,
        notes="登记错误或重复登记；不计入任何统计",
    ),
)

ACTION_BY_NAME: dict[str, ActionSpec] = {a.name: a for a in ACTIONS}


def action_spec(name: str) -> ActionSpec:
    try:
        return ACTION_BY_NAME[name]
    except KeyError:
        raise KeyError(name) from None


def allowed_actor_kinds(spec: ActionSpec) -> frozenset[ActorKind]:
    if spec.by is By.SYSTEM:
        return frozenset({ActorKind.SYSTEM})
    return frozenset({ActorKind.USER, ActorKind.REPLAY})
