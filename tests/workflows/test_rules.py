"""`decide` and `actions_allowed`: roles, guards, dates, sign-off, outcomes (DESIGN §3.3–3.5)."""

from __future__ import annotations

import pytest

from tests.workflows.builder import (
    APPROVER,
    AUDITOR,
    CLERK,
    CLERK_APPROVER,
    REPLAY,
    SYSTEM,
    CaseBuilder,
    d,
)
from workflows.actions import ACTION_BY_NAME, ACTIONS, By
from workflows.outcomes import OUTCOMES, REPLY_OUTCOMES, WITHDRAWN
from workflows.payloads import ReplyPayload
from workflows.roles import Actor, Role
from workflows.rules import ActionRefused, InvalidPayload, UnknownAction, parse_payload
from workflows.snapshot import Policy
from workflows.states import OPEN_STATES, State

SYSTEM_ACTIONS = {a.name for a in ACTIONS if a.by is By.SYSTEM}
APPROVER_ONLY = {a.name for a in ACTIONS if a.by is By.USER and CLERK.roles.isdisjoint(a.roles)}


def fresh() -> CaseBuilder:
    return CaseBuilder.registered("2025-09-01")


def reasons(refused: ActionRefused) -> str:
    return "\n".join(refused.reasons)


# -- scenarios in every state, for the listing tests -----------------------------------------------


def in_correction() -> CaseBuilder:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-09-25", period_wd=15)  # expires 2025-10-23
    return case


def in_consultation() -> CaseBuilder:
    case = fresh()
    case.do("start_consultation", "2025-09-10", party="某公司")  # expires 2025-10-01
    return case


def in_fee() -> CaseBuilder:
    case = fresh()
    case.do("issue_fee_notice", "2025-09-10", amount=100, basis="per_item")  # expires 2025-10-15
    return case


def answered() -> CaseBuilder:
    case = fresh()
    case.do("reply", "2025-09-20", outcome="withheld.state_secret")
    return case


def delivered() -> CaseBuilder:
    case = answered()
    case.do("deliver", "2025-09-22", method="post")
    return case


def voided() -> CaseBuilder:
    case = fresh()
    case.do("void", "2025-09-02", APPROVER, reason="重复登记")
    return case


SCENARIOS = {
    "received": fresh,
    "correction_requested": in_correction,
    "consulting": in_consultation,
    "fee_pending": in_fee,
    "refused": answered,
    "closed": delivered,
    "void": voided,
}
LATE = "2025-12-31"  # every period above has run out by then


# -- roles ------------------------------------------------------------------------------------


def test_actions_allowed_on_a_fresh_case_for_each_kind_of_actor() -> None:
    case = fresh()
    clerk = [
        "assign",
        "request_correction",
        "start_consultation",
        "issue_fee_notice",
        "request_reasons",
        "reply",
        "withdraw",
    ]
    assert case.allowed(CLERK, "2025-09-02") == clerk
    assert case.allowed(APPROVER, "2025-09-02") == ["assign", "extend", "reply", "void"]
    assert case.allowed(SYSTEM, "2025-09-02") == []
    assert case.allowed(AUDITOR, "2025-09-02") == []
    both = sorted({*clerk, "extend", "void"})
    assert sorted(case.allowed(REPLAY, "2025-09-02")) == both
    assert sorted(case.allowed(CLERK_APPROVER, "2025-09-02")) == both


@pytest.mark.parametrize("state", sorted(SCENARIOS))
def test_system_only_actions_are_never_listed_for_users(state: str) -> None:
    case = SCENARIOS[state]()
    assert case.state == state
    for actor in (CLERK, APPROVER, CLERK_APPROVER, REPLAY, AUDITOR):
        assert not SYSTEM_ACTIONS & set(case.allowed(actor, LATE)), actor
    assert set(case.allowed(SYSTEM, LATE)) <= SYSTEM_ACTIONS


@pytest.mark.parametrize("state", sorted(SCENARIOS))
def test_listed_actions_are_exactly_those_permitted_to_each_role(state: str) -> None:
    case = SCENARIOS[state]()
    for actor in (CLERK, APPROVER):
        for name in case.allowed(actor, LATE):
            spec = next(a for a in ACTIONS if a.name == name)
            assert spec.roles & actor.roles and state in spec.sources


def test_system_lists_each_expiry_once_its_date_has_come() -> None:
    assert in_correction().allowed(SYSTEM, "2025-10-22") == []
    assert in_correction().allowed(SYSTEM, "2025-10-23") == ["correction_deadline_passed"]
    assert in_consultation().allowed(SYSTEM, "2025-10-01") == ["opinion_deadline_passed"]
    assert in_fee().allowed(SYSTEM, "2025-10-14") == []
    assert in_fee().allowed(SYSTEM, "2025-10-15") == ["payment_deadline_passed"]


def test_a_user_cannot_take_a_system_action() -> None:
    case = in_correction()
    for actor in (CLERK, APPROVER, REPLAY):
        refused = case.refused("correction_deadline_passed", "2025-10-23", actor)
        assert "由系统在期限届满后自动处理，不能手工操作" in reasons(refused)


def test_the_system_cannot_take_a_user_action() -> None:
    refused = fresh().refused("reply", "2025-09-05", SYSTEM, outcome="disclosed")
    assert refused.reasons == ["系统不能进行此操作"]


@pytest.mark.parametrize("action", sorted(APPROVER_ONLY))
def test_approver_only_actions_are_refused_to_a_clerk(action: str) -> None:
    refused = fresh().refused(action, "2025-09-05", CLERK)
    assert "此操作需要负责人权限" in refused.reasons


def test_clerk_actions_are_refused_to_an_approver_alone() -> None:
    refused = fresh().refused("request_correction", "2025-09-05", APPROVER, period_wd=15)
    assert refused.reasons == ["此操作需要经办人权限"]


def test_auditor_may_do_nothing() -> None:
    refused = fresh().refused("assign", "2025-09-05", AUDITOR, handler="李四")
    assert "此操作需要经办人或负责人权限" in refused.reasons


def test_replay_acts_with_every_role() -> None:
    case = fresh()
    case.do("extend", "2025-09-05", REPLAY, days_wd=5, reason="导入")
    case.do("request_correction", "2025-09-06", REPLAY, period_wd=15)
    assert case.state == State.CORRECTION_REQUESTED


def test_every_static_problem_is_reported_at_once() -> None:
    refused = in_consultation().refused("extend", "2025-09-11", CLERK, days_wd=5, reason="x")
    assert "案件当前状态为“征求意见中”，不能进行“延期答复”" in refused.reasons
    assert "此操作需要负责人权限" in refused.reasons


def test_unknown_action() -> None:
    with pytest.raises(UnknownAction) as info:
        fresh().do("reopen", "2025-09-05")
    assert "未知的操作“reopen”" in str(info.value) and "reply" in str(info.value)


# -- dates ------------------------------------------------------------------------------------


def test_an_effective_date_after_today_is_refused() -> None:
    refused = fresh().refused("reply", "2025-09-10", today="2025-09-09", outcome="disclosed")
    assert refused.reasons == ["日期 2025-09-10 晚于今日（2025-09-09），不能预先记录"]


def test_an_effective_date_before_the_previous_event_is_refused() -> None:
    case = fresh()
    case.do("assign", "2025-09-05", handler="李四")
    refused = case.refused("reply", "2025-09-04", outcome="disclosed")
    assert refused.reasons == ["日期 2025-09-04 早于本案上一操作的日期（2025-09-05）"]
    case.do("reply", "2025-09-05", outcome="disclosed")  # the same day is fine


def test_a_past_date_up_to_today_is_accepted() -> None:
    case = fresh()
    decision = case.do("assign", "2025-09-03", today="2025-09-20", handler="李四")
    assert decision.to_state == State.RECEIVED and case.events[-1].on == d("2025-09-03")


# -- fee notice -------------------------------------------------------------------------------


def test_fee_notice_only_on_or_before_the_reply_due_day() -> None:
    late = fresh().refused("issue_fee_notice", "2025-09-29", amount=100, basis="per_item")
    assert late.reasons == ["须在答复期限届满之日（2025-09-28）或之前进行"]
    assert "issue_fee_notice" not in fresh().allowed(CLERK, "2025-09-29")
    case = fresh()
    case.do("issue_fee_notice", "2025-09-28", amount=100, basis="per_item")
    assert case.state == State.FEE_PENDING


def test_fee_notice_only_once() -> None:
    case = in_fee()
    case.do("receive_payment", "2025-09-15")
    refused = case.refused("issue_fee_notice", "2025-09-16", amount=50, basis="per_volume")
    assert refused.reasons == ["“发出收费通知”每案限1次，已经进行过"]


def test_fee_notice_payload_is_validated_in_chinese() -> None:
    with pytest.raises(InvalidPayload) as info:
        fresh().do("issue_fee_notice", "2025-09-05", amount=0, basis="per_page")
    assert info.value.field == "amount"
    amount, basis = info.value.reasons
    assert amount.startswith("amount：须大于 0")
    assert basis == "basis：须为以下之一：per_item、per_volume"


@pytest.mark.parametrize(
    ("given", "stored"),
    [("1000", "1000.00"), (12.5, "12.50"), ("12.500", "12.50"), (300, "300.00")],
)
def test_fee_amount_is_stored_to_the_fen(given: object, stored: str) -> None:
    payload = parse_payload(
        ACTION_BY_NAME["issue_fee_notice"], {"amount": given, "basis": "per_item"}
    )
    assert payload.model_dump(mode="json")["amount"] == stored


@pytest.mark.parametrize(
    ("given", "reason"),
    [("1e3", "科学计数法"), ("1E+3", "科学计数法"), ("NaN", "有限数字"), ("Infinity", "有限数字"),
     ("12.345", "最多两位小数"), (1e-7, "最多两位小数")],
)  # fmt: skip
def test_fee_amount_in_exponent_notation_or_not_finite_is_refused(
    given: object, reason: str
) -> None:
    with pytest.raises(InvalidPayload) as info:
        fresh().do("issue_fee_notice", "2025-09-05", amount=given, basis="per_item")
    assert info.value.field == "amount"
    assert info.value.reasons[0].startswith("amount：") and reason in info.value.reasons[0]


# -- extension ---------------------------------------------------------------------------------


def test_extension_is_for_an_approver_only() -> None:
    refused = fresh().refused("extend", "2025-09-05", CLERK, days_wd=5, reason="x")
    assert refused.reasons == ["此操作需要负责人权限"]
    assert "extend" not in fresh().allowed(CLERK, "2025-09-05")
    assert "extend" in fresh().allowed(APPROVER, "2025-09-05")


def test_extension_is_at_most_twenty_working_days() -> None:
    with pytest.raises(InvalidPayload) as info:
        fresh().do("extend", "2025-09-05", APPROVER, days_wd=21, reason="x")
    assert info.value.field == "days_wd" and info.value.reasons == ["days_wd：须不大于 20"]


def test_extension_only_once() -> None:
    case = fresh()
    case.do("extend", "2025-09-05", APPROVER, days_wd=5, reason="x")
    refused = case.refused("extend", "2025-09-06", APPROVER, days_wd=5, reason="y")
    assert refused.reasons == ["“延期答复”每案限1次，已经进行过"]
    assert "extend" not in case.allowed(APPROVER, "2025-09-06")


def test_extension_only_on_or_before_the_due_day() -> None:
    refused = fresh().refused("extend", "2025-09-29", APPROVER, days_wd=5, reason="x")
    assert refused.reasons == ["须在答复期限届满之日（2025-09-28）或之前进行"]
    assert "extend" not in fresh().allowed(APPROVER, "2025-09-29")


def test_extension_not_while_paused() -> None:
    refused = in_consultation().refused("extend", "2025-09-11", APPROVER, days_wd=5, reason="x")
    assert "案件当前状态为“征求意见中”，不能进行“延期答复”" in refused.reasons


# -- Art. 35 ------------------------------------------------------------------------------------


def test_reasonable_deadline_needs_reasons_requested_first() -> None:
    refused = fresh().refused(
        "set_reasonable_deadline", "2025-09-05", APPROVER, due_on="2025-11-14"
    )
    assert refused.reasons == ["尚未要求申请人说明理由（request_reasons）"]
    assert "set_reasonable_deadline" not in fresh().allowed(APPROVER, "2025-09-05")


def test_reasonable_deadline_is_set_by_an_approver_to_a_later_day() -> None:
    case = fresh()
    case.do("request_reasons", "2025-09-05", CLERK)
    assert "set_reasonable_deadline" in case.allowed(APPROVER, "2025-09-10")
    assert "set_reasonable_deadline" not in case.allowed(CLERK, "2025-09-10")
    same_day = case.refused("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-09-10")
    assert same_day.reasons == ["合理期限 2025-09-10 须晚于决定之日 2025-09-10"]
    case.do("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-11-14")
    assert case.clocks().dues.reply == d("2025-11-14")
    case.do("reply", "2025-11-14", outcome="not_processed.excessive")
    assert case.state == State.REFUSED


# -- consultation -----------------------------------------------------------------------------


def test_opinion_must_name_the_party_when_several_are_pending() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("start_consultation", "2025-09-10", parties=["甲公司", "乙公司"])
    refused = case.refused("receive_opinion", "2025-09-12", opinion="consent")
    assert refused.reasons == ["须指明哪一方的意见（party）：甲公司、乙公司"]
    stranger = case.refused("receive_opinion", "2025-09-12", opinion="consent", party="丙公司")
    assert stranger.reasons == ["“丙公司”不是尚未答复的被征求意见方（甲公司、乙公司）"]
    case.do("receive_opinion", "2025-09-12", opinion="consent", party="甲公司")
    again = case.refused("receive_opinion", "2025-09-13", opinion="consent", party="甲公司")
    assert again.reasons == ["“甲公司”不是尚未答复的被征求意见方（乙公司）"]
    assert case.do("receive_opinion", "2025-09-13", opinion="none").to_state == State.RECEIVED


def test_duplicate_party_names_are_refused() -> None:
    with pytest.raises(InvalidPayload) as info:
        fresh().do("start_consultation", "2025-09-10", parties=["甲公司", "甲公司"])
    assert "被征求意见的第三方名称重复" in reasons(info.value)


# -- record_service ---------------------------------------------------------------------------


def test_record_service_needs_an_issued_notice() -> None:
    case = fresh()
    assert "record_service" not in case.allowed(CLERK, "2025-09-05")
    refused = case.refused("record_service", "2025-09-05", notice="fee", served_on="2025-09-04")
    assert refused.reasons == ["本案没有发出过该文书"]
    case = in_fee()
    assert "record_service" in case.allowed(CLERK, "2025-09-15")
    refused = case.refused(
        "record_service", "2025-09-15", notice="correction", served_on="2025-09-12"
    )
    assert refused.reasons == ["本案没有发出过该文书"]


def test_service_date_lies_between_the_issue_and_today() -> None:
    case = in_fee()
    early = case.refused("record_service", "2025-09-15", notice="fee", served_on="2025-09-09")
    assert early.reasons == [
        "送达日期 2025-09-09 须在发出之日 2025-09-10 与今日记录日期 2025-09-15 之间"
    ]
    future = case.refused("record_service", "2025-09-15", notice="fee", served_on="2025-09-16")
    assert future.reasons == [
        "送达日期 2025-09-16 须在发出之日 2025-09-10 与今日记录日期 2025-09-15 之间"
    ]


def test_service_of_an_opinion_letter_names_the_party() -> None:
    case = in_consultation()
    refused = case.refused("record_service", "2025-09-15", notice="opinion", served_on="2025-09-12")
    assert refused.reasons == ["须指明被征求意见方（party）：某公司"]


# -- sign-off ---------------------------------------------------------------------------------

SIGNOFF = Policy(signoff_required=True)


def signoff_case() -> CaseBuilder:
    return CaseBuilder.registered("2025-09-01", policy=SIGNOFF)


def test_with_signoff_a_clerk_cannot_reply_directly() -> None:
    case = signoff_case()
    refused = case.refused("reply", "2025-09-05", outcome="disclosed")
    assert refused.reasons == ["本机关要求审核签发：请提交答复草稿（draft_reply），由负责人签发"]
    allowed = case.allowed(CLERK, "2025-09-05")
    assert "reply" not in allowed and "draft_reply" in allowed


def test_draft_then_approval_is_the_reply() -> None:
    case = signoff_case()
    assert "approve_reply" not in case.allowed(APPROVER, "2025-09-05")
    decision = case.do("draft_reply", "2025-09-05", outcome="unavailable.not_held")
    assert decision.to_state == State.RECEIVED and not decision.sets_outcome
    assert case.outcome is None
    assert {"approve_reply", "reject_draft"} <= set(case.allowed(APPROVER, "2025-09-08"))
    assert case.refused("approve_reply", "2025-09-08", CLERK).reasons == ["此操作需要负责人权限"]
    approved = case.do("approve_reply", "2025-09-08", APPROVER)
    assert approved.to_state == State.REFUSED and approved.outcome == "unavailable.not_held"
    assert case.outcome == "unavailable.not_held"
    assert case.clocks().dues.reply == d("2025-09-28") and case.clocks().current() == []


def test_approving_a_disclosure_draft_leads_to_disclosed() -> None:
    case = signoff_case()
    case.do("draft_reply", "2025-09-05", outcome="partially_disclosed")
    decision = case.do("approve_reply", "2025-09-08", APPROVER)
    assert decision.to_state == State.DISCLOSED and case.outcome == "partially_disclosed"


def test_a_rejected_draft_cannot_be_approved() -> None:
    case = signoff_case()
    case.do("draft_reply", "2025-09-05", outcome="disclosed")
    case.do("reject_draft", "2025-09-06", APPROVER, reason="依据不充分")
    assert case.state == State.RECEIVED
    refused = case.refused("approve_reply", "2025-09-07", APPROVER)
    assert refused.reasons == ["没有待签发的答复草稿"]
    assert case.refused("reject_draft", "2025-09-07", APPROVER, reason="x")
    case.do("draft_reply", "2025-09-08", outcome="withheld.deliberative")
    assert case.do("approve_reply", "2025-09-09", APPROVER).to_state == State.REFUSED


def test_with_signoff_an_approver_may_reply_directly() -> None:
    case = signoff_case()
    assert case.do("reply", "2025-09-05", APPROVER, outcome="disclosed").to_state == State.DISCLOSED


def test_without_signoff_drafts_are_refused() -> None:
    case = fresh()
    refused = case.refused("draft_reply", "2025-09-05", outcome="disclosed")
    assert refused.reasons == ["本机关未启用审核签发，请直接答复（reply）"]
    assert "draft_reply" not in case.allowed(CLERK, "2025-09-05")
    assert case.refused("approve_reply", "2025-09-05", APPROVER)


# -- replies and outcomes ---------------------------------------------------------------------


@pytest.mark.parametrize("code", REPLY_OUTCOMES)
def test_reply_outcome_decides_the_state(code: str) -> None:
    case = fresh()
    decision = case.do("reply", "2025-09-05", outcome=code)
    disclosed = code in ("disclosed", "partially_disclosed")
    assert decision.to_state == (State.DISCLOSED if disclosed else State.REFUSED)
    assert decision.sets_outcome and decision.outcome == code == case.outcome
    assert isinstance(decision.payload, ReplyPayload)


@pytest.mark.parametrize("code", [o.code for o in OUTCOMES if o.code.startswith("other.")])
def test_other_outcomes_cannot_be_given_by_a_reply(code: str) -> None:
    with pytest.raises(InvalidPayload) as info:
        fresh().do("reply", "2025-09-05", outcome=code)
    assert info.value.field == "outcome"
    assert f"答复不能使用办理结果代码 {code}" in reasons(info.value)


def test_withdrawal_closes_with_other_other_from_every_open_state() -> None:
    for make in (fresh, in_correction, in_consultation, in_fee):
        case = make()
        assert case.state in OPEN_STATES
        decision = case.do("withdraw", "2025-09-30", reason="申请人撤回")
        assert decision.to_state == State.CLOSED
        assert case.outcome == WITHDRAWN == "other.other"
    assert answered().refused("withdraw", "2025-09-30")


def test_deliver_closes_an_answered_case_and_keeps_its_outcome() -> None:
    case = answered()
    case.do("deliver", "2025-09-22", method="in_person")
    assert case.state == State.CLOSED and case.outcome == "withheld.state_secret"


def test_amend_outcome_moves_between_disclosed_refused_and_closed() -> None:
    case = fresh()
    case.do("reply", "2025-09-05", outcome="disclosed")
    steps = [
        ("withheld.third_party_rights", State.REFUSED),
        ("partially_disclosed", State.DISCLOSED),
        ("other.other", State.CLOSED),
        ("unavailable.not_held", State.REFUSED),
        ("disclosed", State.DISCLOSED),
    ]
    for code, state in steps:
        decision = case.do("amend_outcome", "2025-09-10", APPROVER, outcome=code, reason="更正")
        assert (decision.to_state, case.outcome) == (state, code)


def test_amend_outcome_after_delivery_keeps_the_case_closed() -> None:
    case = delivered()
    for code in ("disclosed", "not_processed.duplicate", "other.other"):
        decision = case.do("amend_outcome", "2025-09-25", APPROVER, outcome=code, reason="更正")
        assert decision.to_state == State.CLOSED and case.outcome == code


def test_amend_outcome_of_a_withdrawn_case() -> None:
    case = fresh()
    case.do("withdraw", "2025-09-05")
    case.do("amend_outcome", "2025-09-10", APPROVER, outcome="disclosed", reason="实为已公开")
    assert case.state == State.DISCLOSED


def test_amend_outcome_must_change_it_and_name_a_known_code() -> None:
    case = answered()
    same = case.refused(
        "amend_outcome", "2025-09-25", APPROVER, outcome="withheld.state_secret", reason="x"
    )
    assert same.reasons == ["办理结果已是“（三）不予公开 1.属于国家秘密”"]
    with pytest.raises(InvalidPayload) as info:
        case.do("amend_outcome", "2025-09-25", APPROVER, outcome="withheld.other", reason="x")
    assert info.value.reasons == ["outcome：未知的办理结果代码：withheld.other"]
    assert fresh().refused("amend_outcome", "2025-09-25", APPROVER, outcome="disclosed", reason="x")


def test_void_from_an_open_state_and_nothing_after() -> None:
    case = in_consultation()
    decision = case.do("void", "2025-09-11", APPROVER, reason="重复登记")
    assert decision.to_state == State.VOID and case.outcome is None
    assert case.clocks().current() == []
    for actor in (CLERK, APPROVER, SYSTEM, REPLAY):
        assert case.allowed(actor, LATE) == []
    refused = case.refused("amend_outcome", "2025-09-12", APPROVER, outcome="disclosed", reason="x")
    assert "案件当前状态为“已作废”，不能进行“更正办理结果”" in refused.reasons
    assert answered().refused("void", "2025-09-25", APPROVER, reason="x")


# -- expiries -----------------------------------------------------------------------------------


def expired_correction() -> CaseBuilder:
    case = in_correction()  # due 2025-10-22
    case.do("correction_deadline_passed", "2025-10-23", SYSTEM)
    return case


def test_void_expiry_only_when_sent_within_the_period() -> None:
    case = expired_correction()
    assert "void_expiry" in case.allowed(APPROVER, "2025-10-27")
    late = case.refused("void_expiry", "2025-10-27", APPROVER, posted_on="2025-10-23")
    assert late.reasons == ["交寄日期 2025-10-23 晚于期限届满日 2025-10-22，不能视为按时提交"]
    assert case.refused("void_expiry", "2025-10-27", CLERK, posted_on="2025-10-22")
    decision = case.do("void_expiry", "2025-10-27", APPROVER, posted_on="2025-10-22")
    assert decision.to_state == State.CORRECTION_REQUESTED and case.outcome is None


def test_void_expiry_only_after_a_closure_by_expiry() -> None:
    case = fresh()
    case.do("withdraw", "2025-09-05")
    refused = case.refused("void_expiry", "2025-09-06", APPROVER, posted_on="2025-09-05")
    assert refused.reasons == ["本案不是因逾期而办结的"]
    assert "void_expiry" not in case.allowed(APPROVER, "2025-09-06")


def test_void_expiry_not_after_the_outcome_was_amended() -> None:
    case = expired_correction()
    case.do("amend_outcome", "2025-10-24", APPROVER, outcome="other.other", reason="实为撤回")
    refused = case.refused("void_expiry", "2025-10-27", APPROVER, posted_on="2025-10-20")
    assert refused.reasons == ["办结结果已被更正，不能撤销逾期处理"]


def test_confirm_expiry_not_before_the_date() -> None:
    refused = in_correction().refused("confirm_expiry", "2025-10-22", APPROVER)
    assert refused.reasons == ["期限尚未届满（最早 2025-10-23 可作逾期处理）"]
    assert in_correction().refused("confirm_expiry", "2025-10-23", CLERK)


def test_no_correction_expiry_once_the_correction_arrived() -> None:
    case = in_correction()
    case.do("receive_correction", "2025-10-01")
    refused = case.refused("correction_deadline_passed", "2025-10-23", SYSTEM)
    assert "案件当前状态为“办理中”，不能进行“逾期未补正（视为放弃申请）”" in refused.reasons


def test_actor_labels() -> None:
    assert SYSTEM.label == "系统" and REPLAY.label == "导入（history.json）"
    assert Actor.replay().roles == frozenset(Role)
