"""The action table, states and outcome codes against DESIGN §3.4–3.5, and their single home."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.actions import (
    ACTION_BY_NAME,
    ACTIONS,
    SAME,
    By,
    Destination,
    action_spec,
    stands_for,
)
from workflows.clocks import Clock, Effect
from workflows.outcomes import (
    GROUP_LABELS,
    OUTCOME_BY_CODE,
    OUTCOMES,
    REPLY_OUTCOMES,
    OutcomeGroup,
    outcome,
)
from workflows.payloads import Payload
from workflows.roles import Role
from workflows.states import ANSWERED_STATES, OPEN_STATES, STATE_LABELS, UNREGISTERED, State

ROOT = Path(__file__).resolve().parents[2]

# DESIGN §3.5 and the 2021 format's table 三 (official labels as published)
EXPECTED_ROWS: dict[str, tuple[str, str]] = {
    "disclosed": ("（一）予以公开", ""),
    "partially_disclosed": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    "withheld.state_secret": ("（三）不予公开", "1.属于国家秘密"),
    "withheld.prohibited_by_law": ("（三）不予公开", "2.其他法律行政法规禁止公开"),
    "withheld.security_stability": ("（三）不予公开", "3.危及“三安全一稳定”"),
    "withheld.third_party_rights": ("（三）不予公开", "4.保护第三方合法权益"),
    "withheld.internal_affairs": ("（三）不予公开", "5.属于三类内部事务信息"),
    "withheld.deliberative": ("（三）不予公开", "6.属于四类过程性信息"),
    "withheld.enforcement_file": ("（三）不予公开", "7.属于行政执法案卷"),
    "withheld.administrative_inquiry": ("（三）不予公开", "8.属于行政查询事项"),
    "unavailable.not_held": ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable.needs_creation": ("（四）无法提供", "2.没有现成信息需要另行制作"),
    "unavailable.still_unclear": ("（四）无法提供", "3.补正后申请内容仍不明确"),
    "not_processed.petition_complaint": ("（五）不予处理", "1.信访举报投诉类申请"),
    "not_processed.duplicate": ("（五）不予处理", "2.重复申请"),
    "not_processed.publication": ("（五）不予处理", "3.要求提供公开出版物"),
    "not_processed.excessive": ("（五）不予处理", "4.无正当理由大量反复申请"),
    "not_processed.confirm_or_reissue": (
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    "other.correction_not_submitted": (
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other.fee_not_paid": (
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other.other": ("（六）其他处理", "3.其他"),
}

# DESIGN §3.4
EXPECTED_STATE_LABELS = {
    "received": "办理中",
    "correction_requested": "待补正",
    "consulting": "征求意见中",
    "fee_pending": "待缴费",
    "disclosed": "已答复(公开)",
    "refused": "已答复(不予公开/无法提供/不予处理)",
    "closed": "已办结",
    "void": "已作废",
}

# DESIGN §3.4: action → (sources, destinations, who)
EXPECTED_TABLE: dict[str, tuple[set[str], set[str], set[str]]] = {
    "register": ({UNREGISTERED}, {"received"}, {"clerk"}),
    "assign": (set(OPEN_STATES), {SAME}, {"clerk", "approver"}),
    "request_correction": ({"received"}, {"correction_requested"}, {"clerk"}),
    "extend_correction_period": ({"correction_requested"}, {SAME}, {"clerk"}),
    "receive_correction": ({"correction_requested"}, {"received"}, {"clerk"}),
    "start_consultation": ({"received"}, {"consulting"}, {"clerk"}),
    "receive_opinion": ({"consulting"}, {"consulting", "received"}, {"clerk"}),
    "opinion_deadline_passed": ({"consulting"}, {"received"}, {"system"}),
    "issue_fee_notice": ({"received"}, {"fee_pending"}, {"clerk"}),
    "receive_payment": ({"fee_pending"}, {"received"}, {"clerk"}),
    "extend": ({"received"}, {SAME}, {"approver"}),
    "request_reasons": ({"received"}, {SAME}, {"clerk"}),
    "set_reasonable_deadline": ({"received"}, {SAME}, {"approver"}),
    "record_service": (
        {*OPEN_STATES, "disclosed", "refused", "closed"},
        {SAME},
        {"clerk"},
    ),
    "reply": ({"received"}, {"disclosed", "refused"}, {"clerk", "approver"}),
    "draft_reply": ({"received"}, {SAME}, {"clerk"}),
    "approve_reply": ({"received"}, {"disclosed", "refused"}, {"approver"}),
    "reject_draft": ({"received"}, {SAME}, {"approver"}),
    "correction_deadline_passed": ({"correction_requested"}, {"closed"}, {"system"}),
    "payment_deadline_passed": ({"fee_pending"}, {"closed"}, {"system"}),
    "void_expiry": ({"closed"}, {"correction_requested", "fee_pending"}, {"approver"}),
    "confirm_expiry": (
        {"correction_requested", "fee_pending", "consulting"},
        {"closed", "received"},
        {"approver"},
    ),
    "withdraw": (set(OPEN_STATES), {"closed"}, {"clerk"}),
    "deliver": ({"disclosed", "refused"}, {"closed"}, {"clerk"}),
    "amend_outcome": (
        {"disclosed", "refused", "closed"},
        {"disclosed", "refused", "closed"},
        {"approver"},
    ),
    "void": (set(OPEN_STATES), {"void"}, {"approver"}),
}


# -- outcome codes -----------------------------------------------------------------------------


def test_outcome_codes_are_exactly_the_design_table() -> None:
    assert [o.code for o in OUTCOMES] == list(EXPECTED_ROWS)
    assert set(OUTCOME_BY_CODE) == set(EXPECTED_ROWS)


@pytest.mark.parametrize("code", list(EXPECTED_ROWS))
def test_each_outcome_maps_to_its_report_row(code: str) -> None:
    group_label, leaf = EXPECTED_ROWS[code]
    o = outcome(code)
    assert o.group_label == group_label
    if leaf:
        assert o.label == leaf and o.item == int(leaf.split(".")[0])
        assert o.full_label == f"{group_label} {leaf}"
        assert o.group.value == code.split(".")[0]
    else:
        assert o.item is None and o.full_label == group_label
        assert o.group.value == code
    assert o.basis.startswith("《中华人民共和国政府信息公开条例》")


@pytest.mark.parametrize("code", list(EXPECTED_ROWS))
def test_each_outcome_leads_to_the_right_state(code: str) -> None:
    o = outcome(code)
    if code in ("disclosed", "partially_disclosed"):
        assert o.state is State.DISCLOSED and o.by_reply
    elif code.startswith("other."):
        assert o.state is State.CLOSED and not o.by_reply
    else:
        assert o.state is State.REFUSED and o.by_reply


def test_reply_outcomes_are_all_but_other() -> None:
    assert tuple(c for c in EXPECTED_ROWS if not c.startswith("other.")) == REPLY_OUTCOMES


def test_group_rows_are_numbered_in_report_order() -> None:
    assert list(GROUP_LABELS) == list(OutcomeGroup)
    numerals = "一二三四五六"
    for numeral, label in zip(numerals, GROUP_LABELS.values(), strict=True):
        assert label.startswith(f"（{numeral}）")
    for group in OutcomeGroup:
        items = [o.item for o in OUTCOMES if o.group is group]
        assert items == [None] or items == list(range(1, len(items) + 1))


def test_unknown_outcome_code_is_a_chinese_error() -> None:
    with pytest.raises(ValueError, match=r"未知的办理结果代码：withheld\.secret"):
        outcome("withheld.secret")


# -- states ------------------------------------------------------------------------------------


def test_states_and_labels_are_the_design_set() -> None:
    assert {s.value: s.label for s in State} == EXPECTED_STATE_LABELS
    assert set(STATE_LABELS) == set(State)
    assert {"received", "correction_requested", "consulting", "fee_pending"} == OPEN_STATES
    assert {"disclosed", "refused"} == ANSWERED_STATES
    assert UNREGISTERED not in set(State)


# -- the action table --------------------------------------------------------------------------


def test_table_matches_the_design_actions() -> None:
    assert [a.name for a in ACTIONS] == list(EXPECTED_TABLE)
    for spec in ACTIONS:
        sources, dests, who = EXPECTED_TABLE[spec.name]
        assert set(spec.sources) == sources, spec.name
        assert set(spec.destinations) == dests, spec.name
        actual = {"system"} if spec.by is By.SYSTEM else {r.value for r in spec.roles}
        assert actual == who, spec.name


def test_every_source_and_destination_is_a_real_state() -> None:
    states = {s.value for s in State}
    for spec in ACTIONS:
        assert spec.sources and spec.destinations, spec.name
        for source in spec.sources:
            assert source in states or (spec.name == "register" and source == UNREGISTERED)
        for dest in spec.destinations:
            assert dest in states or dest == SAME, (spec.name, dest)
        if isinstance(spec.dest, Destination):
            assert len(spec.dest.choices) == len(set(spec.dest.choices)) >= 2


def test_every_state_is_reachable_and_void_is_final() -> None:
    reached = {UNREGISTERED}
    frontier = [UNREGISTERED]
    while frontier:
        state = frontier.pop()
        for spec in ACTIONS:
            if state in spec.sources:
                for dest in spec.destinations:
                    target = state if dest == SAME else dest
                    if target not in reached:
                        reached.add(target)
                        frontier.append(target)
    assert reached == {UNREGISTERED, *State}
    assert not [a.name for a in ACTIONS if State.VOID in a.sources]


def test_names_are_unique_and_looked_up() -> None:
    assert len(ACTION_BY_NAME) == len(ACTIONS)
    assert action_spec("reply") is ACTION_BY_NAME["reply"]
    with pytest.raises(KeyError):
        action_spec("reopen")


def test_rows_are_well_formed() -> None:
    labels = [a.label for a in ACTIONS]
    assert len(set(labels)) == len(labels)
    for spec in ACTIONS:
        assert issubclass(spec.payload, Payload)
        assert spec.label and not spec.label.isascii()
        if spec.by is By.SYSTEM:
            assert spec.roles == frozenset()
        else:
            assert spec.roles and spec.roles <= {Role.CLERK, Role.APPROVER}
        assert spec.limit is None or spec.limit >= 1
        clocks = [clock for clock, _ in spec.clocks]
        assert len(clocks) == len(set(clocks)), spec.name
        assert all(isinstance(c, Clock) and isinstance(e, Effect) for c, e in spec.clocks)


def test_limits_follow_the_design() -> None:
    limited = {a.name: a.limit for a in ACTIONS if a.limit is not None}
    assert limited == {
        "request_correction": 1,
        "issue_fee_notice": 1,
        "extend": 1,
        "request_reasons": 1,
        "set_reasonable_deadline": 1,
    }


def test_clock_effects_follow_the_design() -> None:
    def effects(name: str) -> dict[Clock, Effect]:
        return dict(action_spec(name).clocks)

    assert effects("register") == {Clock.REPLY: Effect.START, Clock.CORRECTION_NOTICE: Effect.START}
    assert effects("request_correction")[Clock.REPLY] is Effect.PAUSE
    assert effects("receive_correction")[Clock.REPLY] is Effect.RESTART
    for pause in ("start_consultation", "issue_fee_notice"):
        assert effects(pause)[Clock.REPLY] is Effect.PAUSE
    for resume in ("receive_opinion", "opinion_deadline_passed", "receive_payment"):
        assert effects(resume)[Clock.REPLY] is Effect.RESUME
    assert effects("extend") == {Clock.REPLY: Effect.EXTEND}
    assert effects("set_reasonable_deadline")[Clock.REPLY] is Effect.SET
    assert effects("void_expiry")[Clock.REPLY] is Effect.RESTORE
    for conclusion in (
        "reply",
        "approve_reply",
        "withdraw",
        "void",
        "correction_deadline_passed",
        "payment_deadline_passed",
    ):
        assert effects(conclusion)[Clock.REPLY] is Effect.STOP, conclusion


def test_confirm_expiry_has_the_effects_of_the_expiry_it_confirms() -> None:
    assert action_spec("confirm_expiry").clocks == ()
    assert stands_for("confirm_expiry", "correction_requested") == "correction_deadline_passed"
    assert stands_for("confirm_expiry", "fee_pending") == "payment_deadline_passed"
    assert stands_for("confirm_expiry", "consulting") == "opinion_deadline_passed"
    assert stands_for("reply", "received") == "reply"


def test_outcome_setting_actions() -> None:
    setters = {a.name for a in ACTIONS if a.sets_outcome is not None}
    assert setters == {
        "reply",
        "approve_reply",
        "correction_deadline_passed",
        "payment_deadline_passed",
        "void_expiry",
        "confirm_expiry",
        "withdraw",
        "amend_outcome",
    }


# -- each thing defined in exactly one place ---------------------------------------------------


def _sources() -> dict[str, str]:
    files: dict[str, str] = {}
    for package in ("workflows", "casework"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".mako", ".ini", ".html", ".txt", ".json"):
                files[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8")
    assert "workflows/outcomes.py" in files and "casework/clocks.py" in files
    return files


def _homes(text: str, files: dict[str, str]) -> list[str]:
    return [name for name, content in files.items() if text in content]


def test_each_outcome_code_and_row_label_is_defined_only_in_outcomes_py() -> None:
    files = _sources()
    for o in OUTCOMES:
        if o.code != "disclosed":  # also the name of a state; checked below
            assert _homes(o.code, files) == ["workflows/outcomes.py"], o.code
        if o.item is not None:
            assert _homes(o.label, files) == ["workflows/outcomes.py"], o.label
    for label in GROUP_LABELS.values():
        assert _homes(label, files) == ["workflows/outcomes.py"], label
    assert _homes('"disclosed"', files) == ["workflows/outcomes.py", "workflows/states.py"]


def test_each_state_label_is_defined_only_in_states_py() -> None:
    files = _sources()
    for label in STATE_LABELS.values():
        assert _homes(label, files) == ["workflows/states.py"], label


def test_each_action_label_is_defined_only_in_actions_py() -> None:
    files = _sources()
    for spec in ACTIONS:
        assert _homes(f'"{spec.label}"', files) == ["workflows/actions.py"], spec.label
