"""`casework init` and `casework replay FILE [--until DATE]` (DESIGN §5), and what the replayed
cases look like through `case list` and `case show`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.casework.cli.cli_support import (
    OPEN_2026,
    SAMPLE_2023,
    CliRunner,
    HistoryWriter,
    assert_clean_error,
    count_rows,
    db_state,
    deadline_of,
    show_json,
)

SAMPLE_2023_EXPECTED = {
    "2023-001": ("closed", "other.correction_not_submitted"),
    "2023-002": ("closed", "withheld.third_party_rights"),
    "2023-003": ("closed", "unavailable.not_held"),
    "2023-004": ("closed", "other.correction_not_submitted"),
    "2023-005": ("closed", "unavailable.not_held"),
    "2023-006": ("closed", "other.correction_not_submitted"),
    "2023-007": ("closed", "other.correction_not_submitted"),
}
OPEN_2026_EXPECTED = {
    "2026-101": ("closed", "disclosed"),
    "2026-102": ("received", None),
    "2026-103": ("fee_pending", None),
    "2026-104": ("received", None),
    "2026-105": ("closed", "other.correction_not_submitted"),
    "2026-106": ("received", None),
}
DEADLINE_KEYS = {"clock", "party", "due", "paused", "provisional", "met", "derivation"}
TOP_KEYS = {
    "ref",
    "agency",
    "state",
    "outcome",
    "version",
    "actions_allowed",
    "events",
    "deadlines",
}


def _listed(cli: CliRunner) -> dict[str, tuple[str, str | None]]:
    result = cli("case", "list", "--json")
    assert result.code == 0, result
    return {row["ref"]: (row["state"], row["outcome"]) for row in json.loads(result.out)}


@pytest.fixture
def replayed(cli: CliRunner) -> CliRunner:
    """Both example files replayed (today is 2026-11-26)."""
    assert cli("init").code == 0
    for path in (SAMPLE_2023, OPEN_2026):
        result = cli("replay", str(path))
        assert result.code == 0, result
    return cli


# --- init and the example files -------------------------------------------------------------


def test_init_says_the_database_is_ready(cli: CliRunner) -> None:
    result = cli("init")
    assert result.code == 0, result
    assert "数据库已就绪" in result.out


def test_init_twice_is_harmless(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("init").code == 0


def test_sample_2023_states_and_outcomes(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE_2023)).code == 0
    assert _listed(cli) == SAMPLE_2023_EXPECTED


def test_sample_2023_reports_the_four_expiries(cli: CliRunner) -> None:
    result = cli("replay", str(SAMPLE_2023))
    assert result.code == 0, result
    assert "7 件案件" in result.out
    assert "期限届满自动处理 4 项" in result.out
    for ref in ("2023-001", "2023-004", "2023-006", "2023-007"):
        assert f"案件 {ref}：逾期未补正（视为放弃申请）（correction_deadline_passed）" in result.out


def test_sample_2023_expiry_is_the_systems_on_the_day_after_the_period(cli: CliRunner) -> None:
    assert cli("replay", str(SAMPLE_2023)).code == 0
    last = show_json(cli, "2023-001")["events"][-1]
    assert last["action"] == "correction_deadline_passed"
    assert last["actor_kind"] == "system"
    assert last["on"] == "2023-03-10"  # 15 WD from 2023-02-16 end on 2023-03-09


def test_open_cases_2026_states_and_outcomes(cli: CliRunner) -> None:
    assert cli("replay", str(OPEN_2026)).code == 0
    assert _listed(cli) == OPEN_2026_EXPECTED


def test_case_list_shows_every_replayed_case(replayed: CliRunner) -> None:
    result = replayed("case", "list")
    assert result.code == 0, result
    assert result.out.splitlines()[0] == "共 13 件"
    for ref in [*SAMPLE_2023_EXPECTED, *OPEN_2026_EXPECTED]:
        assert ref in result.out


def test_case_list_shows_open_deadlines(replayed: CliRunner) -> None:
    lines = {line.split()[1]: line for line in replayed("case", "list").out.splitlines()[1:]}
    assert "答复期限 2026-12-16" in lines["2026-104"]
    assert "答复期限 暂停" in lines["2026-103"]


def test_case_list_masks_applicant_names(replayed: CliRunner) -> None:
    out = replayed("case", "list").out
    assert "某律师事务所" not in out
    assert "申请人甲" not in out


def test_case_show_json_has_the_design_shape(replayed: CliRunner) -> None:
    detail = show_json(replayed, "2026-104")
    assert set(detail) >= TOP_KEYS
    assert (detail["ref"], detail["agency"], detail["state"]) == (
        "2026-104",
        "demo-zjj",
        "received",
    )
    assert detail["outcome"] is None
    assert detail["version"] == 2
    assert detail["deadlines"]
    for deadline in detail["deadlines"]:
        assert set(deadline) >= DEADLINE_KEYS, deadline
        assert isinstance(deadline["derivation"], list)
    reply = {"kind": "reply", "title": "政府信息公开申请答复告知书"}
    assert {"action": "reply", "label": "答复", "notice": reply} in detail["actions_allowed"]
    assert [e["action"] for e in detail["events"]] == ["register", "extend"]


def test_case_show_json_derivation_explains_the_extension(replayed: CliRunner) -> None:
    reply = deadline_of(show_json(replayed, "2026-104"))
    assert reply["due"] == "2026-12-16"
    assert reply["paused"] is False
    assert reply["provisional"] is False
    assert any("延长答复期限15个工作日" in line for line in reply["derivation"])
    assert reply["derivation"][-1] == "第35个工作日：2026-12-16（周三）"


def test_case_show_json_paused_reply_clock_has_no_due(replayed: CliRunner) -> None:
    reply = deadline_of(show_json(replayed, "2026-103"))
    assert reply["due"] is None
    assert reply["paused"] is True
    payment = deadline_of(show_json(replayed, "2026-103"), "payment")
    assert payment["due"] is not None


def test_case_show_json_met_for_a_concluded_case(replayed: CliRunner) -> None:
    detail = show_json(replayed, "2023-001")
    correction = next(d for d in detail["deadlines"] if d["clock"] == "correction")
    assert correction["due"] == "2023-03-09"
    assert correction["met"] is False


def test_case_show_text_prints_deadlines_with_derivation(replayed: CliRunner) -> None:
    result = replayed("case", "show", "2026-104")
    assert result.code == 0, result
    assert "案件 2026-104" in result.out
    assert "答复期限：2026-12-16" in result.out
    assert "第35个工作日：2026-12-16（周三）" in result.out
    assert "现在可进行的操作" in result.out


def test_case_show_unknown_ref_names_it(replayed: CliRunner) -> None:
    assert_clean_error(replayed("case", "show", "2026-999"), "2026-999")


def test_replaying_the_same_file_twice_fails_and_writes_nothing(replayed: CliRunner) -> None:
    before = db_state()
    result = replayed("replay", str(SAMPLE_2023))
    assert_clean_error(result, "2023-001", "register", "已有")
    assert db_state() == before


def test_until_stops_the_virtual_clock(cli: CliRunner) -> None:
    assert cli("replay", str(SAMPLE_2023), "--until", "2023-11-10").code == 0
    listed = _listed(cli)
    assert listed["2023-007"] == ("correction_requested", None)  # expires on 2023-12-01
    assert listed["2023-006"] == ("closed", "other.correction_not_submitted")


# --- errors: each writes nothing --------------------------------------------------------------


def _case(ref: str, received: str, actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "applicant": {"kind": "natural_person", "name": "申请人"},
        "channel": "in_person",
        "received_on": received,
        "request": "申请公开某文件",
        "actions": actions,
        **extra,
    }


VALID_FIRST = _case(
    "2025-001", "2025-03-03", [{"on": "2025-03-10", "action": "reply", "outcome": "disclosed"}]
)


def _second(**changes: Any) -> dict[str, Any]:
    base = _case(
        "2025-002", "2025-04-01", [{"on": "2025-04-03", "action": "reply", "outcome": "disclosed"}]
    )
    return base | changes


BROKEN_CASES: dict[str, dict[str, Any]] = {
    "unknown_applicant_kind": _second(applicant={"kind": "alien", "name": "乙"}),
    "unknown_action": _second(actions=[{"on": "2025-04-03", "action": "frobnicate"}]),
    "not_allowed_in_state": _second(actions=[{"on": "2025-04-03", "action": "receive_payment"}]),
    "before_previous_action": _second(
        actions=[
            {"on": "2025-04-03", "action": "request_correction", "period_wd": 15},
            {"on": "2025-04-02", "action": "receive_correction"},
        ]
    ),
    "before_receipt": _second(
        actions=[{"on": "2025-03-31", "action": "reply", "outcome": "disclosed"}]
    ),
    "after_today": _second(
        actions=[{"on": "2026-11-27", "action": "reply", "outcome": "disclosed"}]
    ),
    "unknown_outcome": _second(
        actions=[{"on": "2025-04-03", "action": "reply", "outcome": "disclosed.maybe"}]
    ),
    "system_action_in_file": _second(
        actions=[{"on": "2025-04-03", "action": "correction_deadline_passed"}]
    ),
    "unknown_field": _second(
        actions=[{"on": "2025-04-03", "action": "reply", "outcome": "disclosed", "colour": "红"}]
    ),
    "bad_received_on": _second(received_on="2025-02-30"),
    "duplicate_ref_in_file": _second(ref="2025-001"),
    "inconsistent_receipt_date": _second(channel="post", signed_on="2025-04-02"),
    "action_after_expiry": _second(
        actions=[
            {"on": "2025-04-02", "action": "request_correction", "period_wd": 5},
            {"on": "2025-04-30", "action": "receive_correction"},
        ]
    ),
}

# What the error line must name: the case, the action, and what is wrong.
NAMED: dict[str, tuple[str, ...]] = {
    "unknown_applicant_kind": ("2025-002", "register", "applicant.kind"),
    "unknown_action": ("2025-002", "frobnicate", "未知的操作"),
    "not_allowed_in_state": ("2025-002", "receive_payment", "办理中"),
    "before_previous_action": ("2025-002", "receive_correction", "2025-04-02", "早于"),
    "before_receipt": ("2025-002", "reply", "早于"),
    "after_today": ("2025-002", "reply", "2026-11-27"),
    "unknown_outcome": ("2025-002", "reply", "disclosed.maybe"),
    "system_action_in_file": ("2025-002", "correction_deadline_passed", "系统"),
    "unknown_field": ("2025-002", "reply", "colour"),
    "bad_received_on": ("2025-002", "register", "received_on"),
    "duplicate_ref_in_file": ("2025-001", "register", "已有"),
    "inconsistent_receipt_date": ("2025-002", "register", "2025-04-02", "不一致"),
    "action_after_expiry": ("2025-002", "receive_correction", "已办结"),
}


@pytest.mark.parametrize("name", list(BROKEN_CASES))
def test_broken_case_writes_nothing_even_after_valid_cases(
    cli: CliRunner, history: HistoryWriter, name: str
) -> None:
    path = history([VALID_FIRST, BROKEN_CASES[name]])
    before = db_state()
    result = cli("replay", str(path))
    assert_clean_error(result)
    assert db_state() == before
    assert count_rows("cases") == 0


@pytest.mark.parametrize("name", list(BROKEN_CASES))
def test_broken_case_error_names_the_case_and_the_action(
    cli: CliRunner, history: HistoryWriter, name: str
) -> None:
    path = history([VALID_FIRST, BROKEN_CASES[name]])
    assert_clean_error(cli("replay", str(path)), *NAMED[name])


def test_failed_replay_leaves_earlier_imports_intact(
    replayed: CliRunner, history: HistoryWriter
) -> None:
    before = db_state()
    path = history([VALID_FIRST, BROKEN_CASES["unknown_action"]])
    assert_clean_error(replayed("replay", str(path)))
    assert db_state() == before
    assert len(_listed(replayed)) == 13


def test_not_json_names_the_file_and_writes_nothing(cli: CliRunner, tmp_path: Any) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"agency": ', encoding="utf-8")
    before = db_state()
    assert_clean_error(cli("replay", str(path)), "broken.json", "JSON")
    assert db_state() == before


def test_not_utf8_names_the_file(cli: CliRunner, tmp_path: Any) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"agency": {"code": "zhz", "name": "街道"}}'.encode("gbk"))
    assert_clean_error(cli("replay", str(path)), "gbk.json", "UTF-8")


def test_missing_file_is_named(cli: CliRunner, tmp_path: Any) -> None:
    assert_clean_error(cli("replay", str(tmp_path / "nowhere.json")), "nowhere.json")


def test_missing_agency_names_the_field_and_writes_nothing(cli: CliRunner, tmp_path: Any) -> None:
    path = tmp_path / "no-agency.json"
    path.write_text(json.dumps({"cases": [VALID_FIRST]}), encoding="utf-8")
    before = db_state()
    assert_clean_error(cli("replay", str(path)), "no-agency.json", "agency", "缺少")
    assert db_state() == before


def test_case_without_ref_is_named_by_position(cli: CliRunner, history: HistoryWriter) -> None:
    broken = {k: v for k, v in _second().items() if k != "ref"}
    path = history([VALID_FIRST, broken])
    assert_clean_error(cli("replay", str(path)), "第2个案件", "ref")


def test_action_without_date_names_the_case(cli: CliRunner, history: HistoryWriter) -> None:
    path = history([VALID_FIRST, _second(actions=[{"action": "reply", "outcome": "disclosed"}])])
    assert_clean_error(cli("replay", str(path)), "2025-002", "actions.0.on")


def test_cases_not_a_list_is_refused(cli: CliRunner, tmp_path: Any) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"agency": {"code": "z", "name": "街道"}, "cases": {}}), "utf-8")
    assert_clean_error(cli("replay", str(path)), "cases", "列表")


def test_top_level_not_an_object_reads_cleanly(cli: CliRunner, tmp_path: Any) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    line = assert_clean_error(cli("replay", str(path)), "list.json", "须为对象")
    assert "：：" not in line


def test_unknown_applicant_kind_message_is_chinese(cli: CliRunner, history: HistoryWriter) -> None:
    path = history([VALID_FIRST, BROKEN_CASES["unknown_applicant_kind"]])
    line = assert_clean_error(cli("replay", str(path)), "natural_person")
    assert " or " not in line


def test_agency_name_clash_is_refused_and_writes_nothing(
    replayed: CliRunner, history: HistoryWriter
) -> None:
    before = db_state()
    path = history([VALID_FIRST], agency={"code": "zhz", "name": "另一个名称"})
    assert_clean_error(replayed("replay", str(path)), "zhz", "另一个名称")
    assert db_state() == before


# --- --until ------------------------------------------------------------------------------------


def test_until_before_the_last_action_is_refused_and_writes_nothing(cli: CliRunner) -> None:
    before = db_state()
    result = cli("replay", str(SAMPLE_2023), "--until", "2023-11-08")
    assert_clean_error(result, "--until", "2023-11-08", "2023-11-09")
    assert db_state() == before


def test_until_after_today_is_refused_and_writes_nothing(cli: CliRunner) -> None:
    before = db_state()
    result = cli("replay", str(SAMPLE_2023), "--until", "2026-11-27")
    assert_clean_error(result, "--until", "2026-11-27", "2026-11-26")
    assert db_state() == before


def test_until_not_a_date_is_refused(cli: CliRunner) -> None:
    assert_clean_error(cli("replay", str(SAMPLE_2023), "--until", "soon"), "soon", code=2)


def test_same_ref_in_two_agencies_needs_agency(cli: CliRunner, history: HistoryWriter) -> None:
    for code in ("aaa", "bbb"):
        path = history([VALID_FIRST], agency={"code": code, "name": f"机关{code}"})
        assert cli("replay", str(path)).code == 0
    assert_clean_error(cli("case", "show", "2025-001"), "2025-001", "--agency")
    assert show_json(cli, "2025-001", "--agency", "bbb")["agency"] == "bbb"


def test_directory_instead_of_a_file_is_named(cli: CliRunner, tmp_path: Any) -> None:
    assert_clean_error(cli("replay", str(tmp_path)), str(tmp_path), "目录")
