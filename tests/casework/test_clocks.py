"""Deadlines as a pure function of events and the working-day calendar (DESIGN §3.3).

Every expected date below is counted by hand from DESIGN §3.2–3.3 and the official 2025
holiday notice (国庆/中秋 2025-10-01…08 off; Sun 2025-09-28 and Sat 2025-10-11 make-up days).
"""

from __future__ import annotations

from datetime import date

import pytest

from casework.clocks import compute_clocks
from casework.workdays import default_calendar
from tests.workflows.builder import APPROVER, SYSTEM, CaseBuilder, d
from workflows.clocks import Clock
from workflows.outcomes import CORRECTION_NOT_SUBMITTED, FEE_NOT_PAID
from workflows.rules import ActionRefused
from workflows.snapshot import EventRecord, PartyWindow, Policy
from workflows.states import State


def reply_due(case: CaseBuilder) -> date | None:
    return case.clocks().dues.reply


def assert_reply_paused(case: CaseBuilder) -> None:
    dues = case.clocks().dues
    view = case.view(Clock.REPLY)
    assert dues.reply is None and dues.reply_paused is True
    assert view.due is None and view.paused is True and view.current is True
    assert view.as_json()["due"] is None and view.as_json()["paused"] is True


# -- the reply clock ---------------------------------------------------------------------------


def test_reply_due_is_twenty_working_days_from_receipt() -> None:
    case = CaseBuilder.registered("2025-09-01")
    # 2025-09-28 is a Sunday make-up day: the 20th working day after Mon 2025-09-01
    assert reply_due(case) == d("2025-09-28")
    view = case.view(Clock.REPLY)
    assert view.paused is False and view.provisional is False and view.met is None


def test_reply_clock_starts_on_receipt_not_on_the_registration_date() -> None:
    # received in person Mon 2025-09-01, registered two days later (Art. 31, 33)
    case = CaseBuilder.registered("2025-09-01", on="2025-09-03")
    assert reply_due(case) == d("2025-09-28")
    assert case.view(Clock.CORRECTION_NOTICE).due == d("2025-09-10")


def test_compute_clocks_is_a_pure_function_of_hand_built_events() -> None:
    events = [
        EventRecord(
            1, "register", d("2025-09-01"), {"received_on": "2025-09-01"}, None, "received"
        ),
        EventRecord(
            2,
            "start_consultation",
            d("2025-09-10"),
            {"party": "某公司"},
            "received",
            "consulting",
        ),
    ]
    first = compute_clocks(d("2025-09-01"), events, default_calendar(), Policy())
    again = compute_clocks(d("2025-09-01"), tuple(events), default_calendar(), Policy())
    assert first == again
    assert first.dues.reply is None and first.dues.reply_paused is True
    assert first.dues.parties == (PartyWindow("某公司", d("2025-09-30"), False),)


def test_worked_example_consultation_pauses_and_resumes_the_reply_clock() -> None:
    # DESIGN §3.3: receipt Mon 2025-09-01, letter Wed 2025-09-10 (7 WD used),
    # opinion Wed 2025-09-24 → 13 WD remain → due Fri 2025-10-17
    case = CaseBuilder.registered("2025-09-01")
    case.do("start_consultation", "2025-09-10", party="某公司")
    assert case.state == State.CONSULTING
    assert_reply_paused(case)
    case.do("receive_opinion", "2025-09-24", opinion="objection")
    assert case.state == State.RECEIVED
    assert reply_due(case) == d("2025-10-17")
    lines = "\n".join(case.view(Clock.REPLY).derivation)
    assert "本段已用7个工作日，剩余13个" in lines
    assert "剩余13个工作日自次日起算" in lines
    assert "不计 2025-10-01（周三）至 2025-10-08（周三）国庆节、中秋节放假" in lines
    assert "计入 2025-10-11（周六）国庆节调休上班" in lines


def test_restart_example_correction_gives_a_fresh_twenty_days() -> None:
    # DESIGN §3.3: receipt Mon 2025-09-22 → correction notice due Tue 2025-09-30;
    # corrected application Wed 2025-10-15 → reply due Wed 2025-11-12
    case = CaseBuilder.registered("2025-09-22")
    assert case.view(Clock.CORRECTION_NOTICE).due == d("2025-09-30")
    case.do("request_correction", "2025-09-25", period_wd=15)
    assert case.state == State.CORRECTION_REQUESTED
    assert_reply_paused(case)
    notice = case.view(Clock.CORRECTION_NOTICE, current=False)
    assert notice.met is True
    case.do("receive_correction", "2025-10-15")
    assert reply_due(case) == d("2025-11-12")
    assert "2025-10-15（周三）起重新计算20个工作日" in "\n".join(case.view(Clock.REPLY).derivation)


def test_correction_notice_after_seven_working_days_is_flagged_late_not_refused() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-10-09", period_wd=15)
    notice = case.view(Clock.CORRECTION_NOTICE, current=False)
    assert notice.due == d("2025-09-30") and notice.met is False
    assert any("超过法定期限" in line for line in notice.derivation)


def test_reply_on_the_due_day_is_met_and_the_day_after_is_late() -> None:
    on_time = CaseBuilder.registered("2025-09-01")
    on_time.do("reply", "2025-09-28", outcome="disclosed")
    late = CaseBuilder.registered("2025-09-01")
    late.do("reply", "2025-09-29", outcome="disclosed")
    for case, met in ((on_time, True), (late, False)):
        view = case.view(Clock.REPLY, current=False)
        assert view.due == d("2025-09-28") and view.met is met
        assert case.clocks().dues.reply == d("2025-09-28")


def test_a_pause_after_the_due_day_keeps_the_missed_due_day() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("start_consultation", "2025-09-30", party="某公司")
    assert_reply_paused(case)
    case.do("receive_opinion", "2025-10-09", opinion="none")
    assert reply_due(case) == d("2025-09-28")


def test_pause_on_the_due_day_leaves_no_days_after_resuming() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("issue_fee_notice", "2025-09-28", amount=100, basis="per_item")
    case.do("receive_payment", "2025-10-13")
    assert reply_due(case) == d("2025-10-13")


# -- several consulted parties ------------------------------------------------------------------


def two_parties() -> CaseBuilder:
    case = CaseBuilder.registered("2025-09-01")
    case.do(
        "start_consultation",
        "2025-09-10",
        today="2025-09-30",  # recorded later, when the second party's receipt was known
        parties=[{"name": "甲公司"}, {"name": "乙公司", "received_on": "2025-09-12"}],
    )
    return case


def test_each_party_has_fifteen_working_days_from_its_own_receipt() -> None:
    case = two_parties()
    dues = case.clocks().dues
    assert dues.parties == (
        PartyWindow("甲公司", d("2025-09-30"), False),
        PartyWindow("乙公司", d("2025-10-10"), False),
    )
    assert case.view(Clock.OPINION, "乙公司").due == d("2025-10-10")
    assert dues.opinion_expires_on == d("2025-10-11")  # the day after the last open window


def test_reply_resumes_only_when_every_party_has_answered() -> None:
    case = two_parties()
    case.do("receive_opinion", "2025-09-19", party="甲公司", opinion="consent")
    assert case.state == State.CONSULTING
    assert_reply_paused(case)
    assert case.clocks().dues.opinion_expires_on == d("2025-10-11")
    case.do("receive_opinion", "2025-09-26", party="乙公司", opinion="objection")
    assert case.state == State.RECEIVED
    # 7 WD used; 13 remain from the day after 2025-09-26
    assert reply_due(case) == d("2025-10-21")
    assert case.view(Clock.OPINION, "甲公司", current=False).met is True


def test_expiry_of_the_last_open_window_resumes_on_its_effective_date() -> None:
    case = two_parties()
    case.do("receive_opinion", "2025-09-19", party="甲公司", opinion="consent")
    refused = case.refused("opinion_deadline_passed", "2025-10-10", SYSTEM)
    assert "期限尚未届满（最早 2025-10-11 可作逾期处理）" in refused.reasons
    case.do("opinion_deadline_passed", "2025-10-11", SYSTEM)
    assert case.state == State.RECEIVED
    # resumed on Sat 2025-10-11: 13 WD counted from Sun 2025-10-12
    assert reply_due(case) == d("2025-10-29")
    assert case.view(Clock.OPINION, "乙公司", current=False).met is False


def test_when_nobody_answers_every_window_must_run_out() -> None:
    case = two_parties()
    assert case.refused("opinion_deadline_passed", "2025-10-01", SYSTEM)
    case.do("opinion_deadline_passed", "2025-10-11", SYSTEM)
    assert reply_due(case) == d("2025-10-29")


def test_last_answer_after_the_other_window_ran_out_resumes_the_reply_clock() -> None:
    # 甲's window ended 2025-09-30 unanswered; 乙 answers on 2025-10-09 within its window:
    # every party has now answered or run out, so the reply clock resumes that day.
    case = two_parties()
    case.do("receive_opinion", "2025-10-09", party="乙公司", opinion="consent")
    assert case.state == State.RECEIVED
    assert reply_due(case) == d("2025-10-27")
    assert case.view(Clock.OPINION, "甲公司", current=False).met is False
    assert case.clocks().dues.opinion_expires_on is None


def test_a_window_still_open_keeps_the_case_consulting() -> None:
    case = two_parties()
    case.do("receive_opinion", "2025-09-30", party="乙公司", opinion="consent")
    assert case.state == State.CONSULTING  # 甲's last day is today
    assert case.clocks().dues.opinion_expires_on == d("2025-10-01")


# -- fee notice ---------------------------------------------------------------------------------


def test_fee_notice_pauses_and_payment_resumes_the_reply_clock() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do(
        "issue_fee_notice",
        "2025-09-10",
        today="2025-09-15",
        amount=200,
        basis="per_item",
        applicant_received_on="2025-09-12",
    )
    assert case.state == State.FEE_PENDING
    assert_reply_paused(case)
    dues = case.clocks().dues
    # 20 WD from the applicant's receipt of the notice
    assert dues.payment == d("2025-10-16") and dues.payment_expires_on == d("2025-10-17")
    case.do("receive_payment", "2025-09-24")
    assert reply_due(case) == d("2025-10-17")
    assert case.view(Clock.PAYMENT, current=False).met is True


def test_payment_due_defaults_to_the_notice_date() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("issue_fee_notice", "2025-09-10", amount=200, basis="per_volume")
    assert case.clocks().dues.payment == d("2025-10-14")


def test_unpaid_fee_expires_the_day_after_the_last_day() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("issue_fee_notice", "2025-09-10", amount=200, basis="per_item")
    assert case.refused("payment_deadline_passed", "2025-10-14", SYSTEM)
    decision = case.do("payment_deadline_passed", "2025-10-15", SYSTEM)
    assert decision.to_state == State.CLOSED and case.outcome == FEE_NOT_PAID
    assert case.clocks().dues.reply is None
    assert case.view(Clock.PAYMENT, current=False).met is False


# -- extension and Art. 35 ----------------------------------------------------------------------


def test_extension_adds_working_days_to_the_reply_due() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("extend", "2025-09-26", APPROVER, days_wd=10, reason="需调取档案")
    assert reply_due(case) == d("2025-10-17")
    assert "经负责人同意延长答复期限10个工作日" in "\n".join(case.view(Clock.REPLY).derivation)


def test_extension_on_the_due_day_by_the_maximum() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("extend", "2025-09-28", APPROVER, days_wd=20, reason="数量较大")
    assert reply_due(case) == d("2025-10-31")


def test_extension_survives_a_later_pause() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("extend", "2025-09-05", APPROVER, days_wd=5, reason="需会商")
    case.do("start_consultation", "2025-09-10", party="某公司")  # 7 used, 18 remain
    case.do("receive_opinion", "2025-09-24", opinion="consent")
    assert reply_due(case) == d("2025-10-24")


def test_reasonable_deadline_set_by_an_approver_replaces_the_reply_due() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("request_reasons", "2025-09-05", period_wd=10)
    assert case.view(Clock.REASONS).due == d("2025-09-19")
    case.do("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-11-14", reason="量大")
    assert reply_due(case) == d("2025-11-14")
    assert case.view(Clock.REASONS, current=False).current is False


def test_reasonable_deadline_on_a_day_off_is_that_very_day() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("request_reasons", "2025-09-05")
    case.do("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-11-15")  # a Saturday
    assert reply_due(case) == d("2025-11-15")
    case.do("reply", "2025-11-15", outcome="disclosed")
    assert case.view(Clock.REPLY, current=False).met is True


def test_extension_of_a_reasonable_deadline_counts_from_that_date() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("request_reasons", "2025-09-05")
    case.do("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-11-15")
    case.do("extend", "2025-11-14", APPROVER, days_wd=2, reason="需会商")
    assert reply_due(case) == d("2025-11-18")


def test_a_pause_shifts_a_reasonable_deadline_by_the_working_days_paused() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("request_reasons", "2025-09-05")
    case.do("set_reasonable_deadline", "2025-09-10", APPROVER, due_on="2025-11-14")
    case.do("start_consultation", "2025-09-12", party="某公司")
    case.do("receive_opinion", "2025-09-19", opinion="consent")  # paused 5 WD (15–19 Sep)
    assert reply_due(case) == d("2025-11-21")


# -- record_service -----------------------------------------------------------------------------


def test_record_service_recomputes_the_correction_period() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-09-25", period_wd=15)
    assert case.clocks().dues.correction == d("2025-10-22")
    case.do("record_service", "2025-10-09", notice="correction", served_on="2025-09-29")
    dues = case.clocks().dues
    assert dues.correction == d("2025-10-27") and dues.correction_expires_on == d("2025-10-28")


def test_served_on_in_the_correction_notice_starts_the_period() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do(
        "request_correction", "2025-09-25", today="2025-10-01", period_wd=15, served_on="2025-09-29"
    )
    assert case.clocks().dues.correction == d("2025-10-27")


def test_record_service_recomputes_the_payment_period() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("issue_fee_notice", "2025-09-10", amount=200, basis="per_item")
    case.do("record_service", "2025-09-15", notice="fee", served_on="2025-09-12")
    dues = case.clocks().dues
    assert dues.payment == d("2025-10-16") and dues.payment_expires_on == d("2025-10-17")


def test_record_service_recomputes_one_partys_window() -> None:
    case = two_parties()
    case.do(
        "record_service", "2025-09-16", notice="opinion", party="乙公司", served_on="2025-09-15"
    )
    dues = case.clocks().dues
    assert dues.parties == (
        PartyWindow("甲公司", d("2025-09-30"), False),
        PartyWindow("乙公司", d("2025-10-11"), False),
    )
    assert dues.opinion_expires_on == d("2025-10-12")


# -- the applicant's correction period and its expiry -------------------------------------------


def correction_case(policy: Policy | None = None) -> CaseBuilder:
    case = CaseBuilder.registered("2025-09-22", policy=policy)
    case.do("request_correction", "2025-09-25", period_wd=15)
    return case


def test_correction_period_expires_the_day_after_its_last_day() -> None:
    case = correction_case()
    dues = case.clocks().dues
    assert dues.correction == d("2025-10-22") and dues.correction_expires_on == d("2025-10-23")
    assert dues.correction_provisional is False
    refused = case.refused("correction_deadline_passed", "2025-10-22", SYSTEM)
    assert "期限尚未届满（最早 2025-10-23 可作逾期处理）" in refused.reasons
    decision = case.do("correction_deadline_passed", "2025-10-23", SYSTEM)
    assert decision.to_state == State.CLOSED and case.outcome == CORRECTION_NOT_SUBMITTED
    view = case.view(Clock.CORRECTION, current=False)
    assert view.met is False and view.expires_on == d("2025-10-23")


def test_post_grace_moves_the_expiry_by_n_calendar_days() -> None:
    case = correction_case(Policy(post_grace_days=3))
    dues = case.clocks().dues
    assert dues.correction == d("2025-10-22") and dues.correction_expires_on == d("2025-10-26")
    assert case.refused("correction_deadline_passed", "2025-10-25", SYSTEM)
    case.do("correction_deadline_passed", "2025-10-26", SYSTEM)
    assert case.state == State.CLOSED


def test_post_grace_applies_to_the_payment_period_too() -> None:
    case = CaseBuilder.registered("2025-09-01", policy=Policy(post_grace_days=2))
    case.do("issue_fee_notice", "2025-09-10", amount=200, basis="per_item")
    assert case.clocks().dues.payment_expires_on == d("2025-10-17")  # due 2025-10-14


def test_correction_sent_in_time_is_met_even_if_received_later() -> None:
    case = correction_case()
    case.do("receive_correction", "2025-10-24", posted_on="2025-10-22")
    assert case.view(Clock.CORRECTION, current=False).met is True
    assert case.clocks().dues.correction_expires_on is None


def test_extend_correction_period_by_days() -> None:
    case = correction_case()
    case.do("extend_correction_period", "2025-10-20", days_wd=5)
    assert case.clocks().dues.correction == d("2025-10-29")


def test_extend_correction_period_to_a_date_then_by_days() -> None:
    case = correction_case()
    case.do("extend_correction_period", "2025-10-20", due_on="2025-10-24")
    assert case.clocks().dues.correction == d("2025-10-24")
    case.do("extend_correction_period", "2025-10-21", days_wd=2)
    assert case.clocks().dues.correction == d("2025-10-28")
    assert case.clocks().dues.correction_expires_on == d("2025-10-29")


def test_provisional_correction_due_is_held_for_an_approver() -> None:
    # served Thu 2026-12-10 with 20 WD: the 2027 notice is not loaded, so the due date
    # (provisional rule: 1 Jan off) is Fri 2027-01-08, marked provisional
    case = CaseBuilder.registered("2026-12-07")
    case.do("request_correction", "2026-12-10", period_wd=20)
    dues = case.clocks().dues
    assert dues.correction == d("2027-01-08") and dues.correction_expires_on == d("2027-01-09")
    assert dues.correction_provisional is True
    assert case.view(Clock.CORRECTION).provisional is True
    refused = case.refused("correction_deadline_passed", "2027-01-09", SYSTEM)
    assert any("暂定日期" in r for r in refused.reasons)
    assert "correction_deadline_passed" not in case.allowed(SYSTEM, "2027-01-09")
    assert case.refused("confirm_expiry", "2027-01-08", APPROVER)
    assert "confirm_expiry" in case.allowed(APPROVER, "2027-01-09")
    decision = case.do("confirm_expiry", "2027-01-09", APPROVER)
    assert decision.to_state == State.CLOSED and case.outcome == CORRECTION_NOT_SUBMITTED


def test_provisional_payment_due_is_held_for_an_approver() -> None:
    case = CaseBuilder.registered("2026-12-07")
    case.do("issue_fee_notice", "2026-12-10", amount=300, basis="per_item")
    dues = case.clocks().dues
    assert dues.payment == d("2027-01-08") and dues.payment_expires_on == d("2027-01-09")
    assert dues.payment_provisional is True
    assert case.refused("payment_deadline_passed", "2027-01-09", SYSTEM)
    case.do("confirm_expiry", "2027-01-09", APPROVER)
    assert case.state == State.CLOSED and case.outcome == FEE_NOT_PAID


def test_provisional_reply_due() -> None:
    case = CaseBuilder.registered("2026-12-10")
    view = case.view(Clock.REPLY)
    assert view.due == d("2027-01-08") and view.provisional is True
    assert any("暂定" in line for line in view.derivation)


# -- void_expiry --------------------------------------------------------------------------------


def test_void_expiry_restores_the_correction_period_as_met() -> None:
    case = correction_case()
    case.do("correction_deadline_passed", "2025-10-23", SYSTEM)
    decision = case.do("void_expiry", "2025-10-27", APPROVER, posted_on="2025-10-22")
    assert decision.to_state == State.CORRECTION_REQUESTED
    assert decision.sets_outcome and decision.outcome is None and case.outcome is None
    dues = case.clocks().dues
    assert dues.correction_expires_on is None  # no new expiry wanted
    view = case.view(Clock.CORRECTION)
    assert view.met is True and view.current is True
    assert_reply_paused(case)
    assert "correction_deadline_passed" not in case.allowed(SYSTEM, "2025-12-31")
    assert "confirm_expiry" not in case.allowed(APPROVER, "2025-12-31")


def test_after_void_expiry_the_corrected_application_restarts_the_reply_clock() -> None:
    case = correction_case()
    case.do("correction_deadline_passed", "2025-10-23", SYSTEM)
    case.do("void_expiry", "2025-10-27", APPROVER, posted_on="2025-10-22")
    case.do("receive_correction", "2025-10-28")
    assert case.state == State.RECEIVED
    assert reply_due(case) == d("2025-11-25")
    assert case.view(Clock.REPLY).current is True
    assert case.view(Clock.CORRECTION, current=False).met is True


def test_after_void_expiry_payment_resumes_the_paused_reply_clock() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("issue_fee_notice", "2025-09-10", amount=200, basis="per_item")  # 13 WD remain
    case.do("payment_deadline_passed", "2025-10-15", SYSTEM)
    decision = case.do("void_expiry", "2025-10-20", APPROVER, posted_on="2025-10-14")
    assert decision.to_state == State.FEE_PENDING
    assert_reply_paused(case)
    assert case.clocks().dues.payment_expires_on is None
    case.do("receive_payment", "2025-10-21")
    assert reply_due(case) == d("2025-11-07")
    assert case.view(Clock.PAYMENT, current=False).met is True


# -- conclusion ---------------------------------------------------------------------------------


def test_withdrawal_while_consulting_ends_every_clock() -> None:
    case = two_parties()
    case.do("withdraw", "2025-09-15", reason="申请人撤回")
    clocks = case.clocks()
    assert clocks.current() == []
    assert clocks.dues.reply is None and clocks.dues.reply_paused is False
    assert clocks.dues.opinion_expires_on is None
    assert all(w.answered for w in clocks.dues.parties)


def test_views_list_current_clocks_first_with_the_json_shape() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-09-25", period_wd=15)
    views = case.clocks().views
    assert [v.current for v in views] == sorted((v.current for v in views), reverse=True)
    shape = views[0].as_json()
    assert {"clock", "party", "due", "paused", "provisional", "met", "derivation"} <= set(shape)
    assert {v.clock for v in views} == {Clock.REPLY, Clock.CORRECTION, Clock.CORRECTION_NOTICE}


@pytest.mark.parametrize(
    ("received", "due"),
    [("2025-09-26", "2025-10-30"), ("2024-09-27", "2024-10-30"), ("2024-02-08", "2024-03-13")],
)
def test_reply_due_matches_the_design_working_day_examples(received: str, due: str) -> None:
    assert reply_due(CaseBuilder.registered(received)) == d(due)


def test_confirmed_opinion_expiry_resumes_the_reply_clock_on_its_date() -> None:
    events = (
        EventRecord(1, "register", date(2025, 9, 1), {}, None, "received"),
        EventRecord(
            2,
            "start_consultation",
            date(2025, 9, 10),
            {"party": "甲公司"},
            "received",
            "consulting",
        ),
        EventRecord(3, "confirm_expiry", date(2025, 10, 1), {}, "consulting", "received"),
    )
    clocks = compute_clocks(date(2025, 9, 1), events, default_calendar(), Policy())
    reply = next(v for v in clocks.views if v.clock.value == "reply")
    opinion = next(v for v in clocks.views if v.clock.value == "opinion")
    assert reply.due == date(2025, 10, 24) and not reply.paused  # 13 WD from 2025-10-01
    assert opinion.met is False and not opinion.current


def test_a_service_date_in_the_future_or_before_the_notice_is_refused() -> None:
    case = CaseBuilder.registered("2025-09-22")
    with pytest.raises(ActionRefused, match="晚于今日"):
        case.do("request_correction", "2025-09-25", period_wd=15, served_on="2030-01-01")
    with pytest.raises(ActionRefused, match="早于文书发出之日"):
        case.do("request_correction", "2025-09-25", period_wd=15, served_on="2025-09-24")


def test_a_correction_cannot_be_posted_after_it_arrived() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-09-25", period_wd=15)
    with pytest.raises(ActionRefused, match="交寄日期"):
        case.do("receive_correction", "2025-10-09", posted_on="2025-10-10")


def test_pause_on_the_due_day_and_resume_on_a_rest_day_is_due_the_next_working_day() -> None:
    case = CaseBuilder.registered("2025-10-09")  # due 2025-11-05
    case.do("issue_fee_notice", "2025-11-05", amount=100, basis="per_item")
    case.do("receive_payment", "2025-11-08")  # a Saturday
    assert reply_due(case) == d("2025-11-10")


def test_a_closed_reply_clock_keeps_its_derivation() -> None:
    case = CaseBuilder.registered("2025-09-01")
    case.do("start_consultation", "2025-09-10", party="甲公司")
    case.do("receive_opinion", "2025-09-24", opinion="consent")
    case.do("reply", "2025-10-16", outcome="disclosed")
    reply = next(v for v in case.clocks().views if v.clock is Clock.REPLY)
    assert reply.due == d("2025-10-17") and reply.met is True and not reply.current
    assert any("第13个工作日：2025-10-17" in line for line in reply.derivation)
    assert any("国庆节" in line for line in reply.derivation)


def test_a_correction_notice_says_the_reply_period_restarts() -> None:
    case = CaseBuilder.registered("2025-09-22")
    case.do("request_correction", "2025-09-25", period_wd=15)
    reply = next(v for v in case.clocks().views if v.clock is Clock.REPLY)
    assert any("重新计算" in line for line in reply.derivation)
    assert not any("剩余" in line for line in reply.derivation)
