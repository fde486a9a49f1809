"""`casework case register|act|show` with users and roles (`agency add`, `user add|grant`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.cli.cli_support import (
    CliRunner,
    assert_clean_error,
    db_state,
    deadline_of,
    show_json,
)

REF = "2026-001"  # registered by the `office` fixture: received 2026-11-20, version 1


def test_register_numbers_the_case_and_prints_the_deadline(office: CliRunner) -> None:
    detail = show_json(office, REF)
    assert (detail["agency"], detail["state"], detail["version"]) == ("zhz", "received", 1)
    assert deadline_of(detail)["due"] == "2026-12-18"


def test_clerk_reply_is_recorded(office: CliRunner) -> None:
    result = office("case", "act", REF, "reply", "--outcome", "disclosed", "--as", "wang")
    assert result.code == 0, result
    assert f"案件 {REF}：答复（reply）已记录，生效日期 2026-11-26" in result.out
    detail = show_json(office, REF)
    assert (detail["state"], detail["outcome"]) == ("disclosed", "disclosed")
    assert detail["events"][-1]["actor"] == "wang"


def test_clerk_reply_bumps_the_version(office: CliRunner) -> None:
    result = office("case", "act", REF, "reply", "--outcome", "disclosed", "--as", "wang")
    assert result.code == 0, result
    assert "版本 2" in result.out
    assert show_json(office, REF)["version"] == 2


def test_back_dated_action_takes_its_date(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "reply", "--outcome", "unavailable.not_held",
        "--on", "2026-11-24", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    assert show_json(office, REF)["events"][-1]["on"] == "2026-11-24"


def test_fields_are_passed_to_the_action(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "request_correction", "--period-wd", "15",
        "--items", "请明确文件名称", "--items", "请提供身份证明", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    payload = show_json(office, REF)["events"][-1]["payload"]
    assert payload["period_wd"] == 15
    assert payload["items"] == ["请明确文件名称", "请提供身份证明"]


def test_numbers_typed_into_text_fields_stay_text(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "extend", "--days-wd", "10", "--reason", "2024", "--as", "li"
    )
    assert result.code == 0, result
    assert show_json(office, REF)["events"][-1]["payload"] == {"days_wd": 10, "reason": "2024"}


def test_numbers_typed_into_repeated_text_fields_stay_text(office: CliRunner) -> None:
    result = office(
        "case",
        "act",
        REF,
        "request_correction",
        "--period-wd",
        "15",
        "--items",
        "2",
        "--as",
        "wang",
    )
    assert result.code == 0, result
    assert show_json(office, REF)["events"][-1]["payload"]["items"] == ["2"]


def test_a_payload_field_named_notice_reaches_the_action(office: CliRunner) -> None:
    asked = office("case", "act", REF, "request_correction", "--period-wd", "15",
                   "--items", "请明确文件名称", "--on", "2026-11-24", "--as", "wang")  # fmt: skip
    assert asked.code == 0, asked
    served = office("case", "act", REF, "record_service", "--notice", "correction",
                    "--served-on", "2026-11-25", "--as", "wang")  # fmt: skip
    assert served.code == 0, served
    event = show_json(office, REF)["events"][-1]
    assert event["action"] == "record_service"
    assert (event["payload"]["notice"], event["payload"]["served_on"]) == (
        "correction",
        "2026-11-25",
    )


def test_a_single_number_for_a_number_field_is_not_made_a_list(office: CliRunner) -> None:
    result = office("case", "act", REF, "issue_fee_notice", "--amount", "100",
                    "--basis", "per_item", "--items", "2", "--as", "wang")  # fmt: skip
    assert result.code == 0, result
    assert show_json(office, REF)["events"][-1]["payload"]["items"] == 2


def test_approver_extends_the_reply_deadline(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "extend", "--days-wd", "10", "--reason", "需调取档案", "--as", "li"
    )
    assert result.code == 0, result
    assert deadline_of(show_json(office, REF))["due"] == "2027-01-04"


def test_matching_expected_version_is_accepted(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "reply", "--outcome", "disclosed",
        "--expected-version", "1", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result


def test_show_as_a_clerk_lists_only_the_clerks_actions(office: CliRunner) -> None:
    allowed = {a["action"] for a in show_json(office, REF, "--as", "wang")["actions_allowed"]}
    assert "reply" in allowed
    assert "extend" not in allowed


# --- refusals: each names the case and the action, and writes nothing ------------------------


def _refused(cli: CliRunner, *args: str, names: tuple[str, ...], code: int | None = None) -> str:
    before = db_state()
    line = assert_clean_error(cli("case", "act", *args), *names, code=code)
    assert db_state() == before
    return line


def test_clerk_may_not_extend(office: CliRunner) -> None:
    _refused(
        office, REF, "extend", "--days-wd", "10", "--reason", "需调取档案", "--as", "wang",
        names=(REF, "extend", "负责人"),
    )  # fmt: skip


def test_user_without_a_role_in_the_agency_may_not_reply(office: CliRunner) -> None:
    assert office("user", "add", "zhao").code == 0
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--as", "zhao",
        names=(REF, "reply", "经办人"),
    )  # fmt: skip


def test_role_in_another_agency_does_not_count(office: CliRunner) -> None:
    assert office("agency", "add", "other", "另一机关").code == 0
    assert office("user", "add", "zhao").code == 0
    assert office("user", "grant", "zhao", "clerk", "--agency", "other").code == 0
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--as", "zhao",
        names=(REF, "reply", "权限"),
    )  # fmt: skip


def test_role_outside_its_period_does_not_count(office: CliRunner) -> None:
    assert office("user", "add", "zhao").code == 0
    grant = ("user", "grant", "zhao", "clerk", "--agency", "zhz", "--to", "2026-11-01")
    assert office(*grant).code == 0
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--as", "zhao",
        names=(REF, "reply", "权限"),
    )  # fmt: skip


def test_unknown_action(office: CliRunner) -> None:
    _refused(office, REF, "frobnicate", "--as", "wang", names=(REF, "frobnicate", "未知的操作"))


def test_register_is_not_an_action_on_a_case(office: CliRunner) -> None:
    _refused(office, REF, "register", "--as", "wang", names=(REF, "register", "case register"))


def test_unknown_action_lists_only_actions_a_user_can_take(office: CliRunner) -> None:
    line = assert_clean_error(office("case", "act", REF, "frobnicate", "--as", "wang"), "reply")
    assert "correction_deadline_passed" not in line


def test_system_action_cannot_be_taken_by_hand(office: CliRunner) -> None:
    _refused(
        office, REF, "correction_deadline_passed", "--as", "li",
        names=(REF, "correction_deadline_passed", "系统"),
    )  # fmt: skip


def test_action_not_allowed_in_the_state(office: CliRunner) -> None:
    _refused(
        office, REF, "receive_payment", "--as", "wang", names=(REF, "receive_payment", "办理中")
    )


def test_unknown_outcome_code(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed.maybe", "--as", "wang",
        names=(REF, "reply", "disclosed.maybe"),
    )  # fmt: skip


def test_missing_required_field(office: CliRunner) -> None:
    _refused(office, REF, "reply", "--as", "wang", names=(REF, "reply", "outcome"))


def test_on_in_the_future(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--on", "2026-11-27", "--as", "wang",
        names=(REF, "reply", "2026-11-27", "晚于今日"),
    )  # fmt: skip


def test_on_before_the_previous_event(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--on", "2026-11-19", "--as", "wang",
        names=(REF, "reply", "2026-11-19", "早于"),
    )  # fmt: skip


def test_on_not_a_date(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--on", "2026-11-31", "--as", "wang",
        names=(REF, "reply", "2026-11-31"), code=2,
    )  # fmt: skip


def test_stale_expected_version_is_a_conflict(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--expected-version", "0", "--as", "wang",
        names=(REF, "reply", "已被他人更新", "当前版本 1"),
    )  # fmt: skip


def test_missing_as(office: CliRunner) -> None:
    _refused(office, REF, "reply", "--outcome", "disclosed", names=(REF, "reply", "--as"))


def test_unknown_user(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "disclosed", "--as", "nobody",
        names=(REF, "reply", "nobody"),
    )  # fmt: skip


def test_unknown_case(office: CliRunner) -> None:
    _refused(
        office, "2026-999", "reply", "--outcome", "disclosed", "--as", "wang",
        names=("2026-999", "reply"),
    )  # fmt: skip


def test_field_without_value(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "--outcome", "--as", "wang", names=(REF, "reply", "--outcome"), code=2
    )


def test_stray_word_among_fields(office: CliRunner) -> None:
    _refused(
        office, REF, "reply", "disclosed", "--as", "wang", names=(REF, "reply", "disclosed"), code=2
    )


def test_extension_only_once(office: CliRunner) -> None:
    extend = (REF, "extend", "--days-wd", "5", "--reason", "需调取档案", "--as", "li")
    assert office("case", "act", *extend).code == 0
    _refused(office, *extend, names=(REF, "extend", "限1次"))


@pytest.mark.parametrize("days", ["0", "21"])
def test_extension_length_is_checked(office: CliRunner, days: str) -> None:
    _refused(
        office, REF, "extend", "--days-wd", days, "--reason", "需调取档案", "--as", "li",
        names=(REF, "extend", "days_wd"),
    )  # fmt: skip


# --- register refusals ----------------------------------------------------------------------


def _register(cli: CliRunner, *extra: str, request: str = "申请公开某文件") -> Any:
    return cli(
        "case", "register", "--agency", "zhz", "--applicant", "李四", "--channel", "in_person",
        "--request", request, "--as", "wang", *extra,
    )  # fmt: skip


def test_register_in_the_future_writes_nothing(office: CliRunner) -> None:
    before = db_state()
    assert_clean_error(_register(office, "--received-on", "2026-11-27"), "register", "2026-11-27")
    assert db_state() == before


def test_register_duplicate_ref_writes_nothing(office: CliRunner) -> None:
    before = db_state()
    result = _register(office, "--received-on", "2026-11-25", "--ref", REF)
    assert_clean_error(result, REF, "register")
    assert db_state() == before


def test_register_unknown_agency(office: CliRunner) -> None:
    result = office(
        "case", "register", "--agency", "nope", "--applicant", "李四", "--channel", "in_person",
        "--received-on", "2026-11-25", "--request", "x", "--as", "wang",
    )  # fmt: skip
    assert_clean_error(result, "nope")


# --- directory ------------------------------------------------------------------------------


def test_grant_unknown_role_exits_2(office: CliRunner) -> None:
    assert_clean_error(office("user", "grant", "wang", "boss", "--agency", "zhz"), "boss", code=2)


def test_user_list_shows_roles(office: CliRunner) -> None:
    result = office("user", "list")
    assert result.code == 0, result
    assert "wang（王经办）  zhz:经办人" in result.out
    assert "li（李科长）  zhz:负责人" in result.out


def test_duplicate_user_is_refused(office: CliRunner) -> None:
    before = db_state()
    assert_clean_error(office("user", "add", "wang"), "wang", "已存在")
    assert db_state() == before


def test_show_text_names_the_channel_in_chinese(office: CliRunner) -> None:
    result = office("case", "show", REF)
    assert result.code == 0, result
    assert "收到申请：2026-11-20（当面提交）" in result.out


def test_show_prints_brackets_in_case_data_as_typed(office: CliRunner) -> None:
    request = "申请公开[2023]12号文件[bold]附件[/] :smile:"
    registered = _register(office, "--received-on", "2026-11-25", request=request)
    assert registered.code == 0, registered
    result = office("case", "show", "2026-002")
    assert result.code == 0, result
    assert request in result.out


def test_error_with_brackets_in_user_input_is_clean(office: CliRunner) -> None:
    assert_clean_error(office("case", "show", "[/]"), "“[/]”")


def test_clerk_sees_the_applicant_unmasked_and_others_masked(office: CliRunner) -> None:
    assert show_json(office, REF, "--as", "wang")["applicant"]["name"] == "张三"
    assert show_json(office, REF)["applicant"]["name"] == "张*"


def test_a_user_without_a_role_in_the_agency_cannot_see_the_case(office: CliRunner) -> None:
    assert office("user", "add", "zhao").code == 0
    before = db_state()
    assert_clean_error(office("case", "show", REF, "--as", "zhao"), REF)
    assert db_state() == before


def test_parties_may_be_given_as_a_json_list(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "start_consultation",
        "--parties", '["甲公司", "乙公司"]', "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    parties = {d["party"] for d in show_json(office, REF)["deadlines"] if d["clock"] == "opinion"}
    assert parties == {"甲公司", "乙公司"}


def test_register_by_post_takes_the_signing_date(office: CliRunner) -> None:
    result = office(
        "case", "register", "--agency", "zhz", "--applicant", "某公司",
        "--kind", "commercial_enterprise", "--channel", "post", "--signed-on", "2026-11-23",
        "--request", "申请公开某文件", "--ref", "P-1", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    assert show_json(office, "P-1")["received_on"] == "2026-11-23"


def test_an_extension_into_next_year_is_provisional(office: CliRunner) -> None:
    result = office(
        "case", "act", REF, "extend", "--days-wd", "20", "--reason", "复杂", "--as", "li"
    )
    assert result.code == 0, result
    reply = deadline_of(show_json(office, REF))
    assert reply["due"].startswith("2027-") and reply["provisional"] is True


def test_register_marks_a_provisional_deadline(
    office: CliRunner, cli_env: pytest.MonkeyPatch
) -> None:
    from casework import settings as settings_module

    cli_env.setenv("CASEWORK_TODAY", "2026-12-10")
    settings_module.get_settings.cache_clear()
    result = office(
        "case", "register", "--agency", "zhz", "--applicant", "某人", "--channel", "online",
        "--confirmed-on", "2026-12-10", "--request", "x", "--ref", "Q-1", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    assert "答复期限 2027-01-08（暂定" in result.out


def test_case_list_flags_an_overdue_reply(office: CliRunner, cli_env: pytest.MonkeyPatch) -> None:
    from casework import settings as settings_module

    assert "已逾期" not in office("case", "list").out
    cli_env.setenv("CASEWORK_TODAY", "2026-12-21")  # due 2026-12-18
    settings_module.get_settings.cache_clear()
    assert "答复期限 2026-12-18（已逾期）" in office("case", "list").out
