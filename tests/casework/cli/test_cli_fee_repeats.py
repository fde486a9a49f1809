"""`casework case fee|repeats`, the repeats `case register` prints, and the warning of a fee
notice whose amount differs from the quote."""

from __future__ import annotations

import json

import pytest

from tests.casework.cli.cli_support import CliRunner, assert_clean_error, db_state

REF = "2026-001"  # the `office` fixture: 张三, received 2026-11-20, "申请公开某文件"
HEADING = "可能的重复申请（条例第三十六条第（六）项；仅供参考，是否重复由经办人判断）："


def _answer_the_first(office: CliRunner) -> None:
    result = office("case", "act", REF, "reply", "--outcome", "disclosed", "--on", "2026-11-24",
                    "--as", "wang")  # fmt: skip
    assert result.code == 0, result


def _register(office: CliRunner, name: str, request: str = "申请公开某文件") -> str:
    result = office(
        "case", "register", "--agency", "zhz", "--applicant", name, "--channel", "in_person",
        "--received-on", "2026-11-26", "--request", request, "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    return str(result.out)


def test_register_lists_the_applicants_answered_requests_after_registering(
    office: CliRunner,
) -> None:
    _answer_the_first(office)
    out = _register(office, "张　三", "请公开：某文件。")
    lines = out.splitlines()
    assert lines[0].startswith("已登记案件 2026-002")
    assert lines[1] == HEADING
    assert (
        "1.00  zhz 2026-001  2026-11-20  2026-11-24  （一）予以公开  张三（姓名及类型相同）" in out
    )


def test_register_prints_nothing_more_when_there_is_no_earlier_answer(office: CliRunner) -> None:
    out = _register(office, "张三")  # 2026-001 is not answered yet
    assert out.strip().splitlines() == [out.strip().splitlines()[0]]
    assert HEADING not in out


def test_repeats_lists_them_for_an_existing_case_masked_without_a_user(office: CliRunner) -> None:
    _answer_the_first(office)
    _register(office, "张三")
    shown = office("case", "repeats", "2026-002", "--as", "wang", "--json")
    assert shown.code == 0, shown
    [found] = json.loads(shown.out)
    assert (found["ref"], found["outcome_label"], found["applicant_name"]) == (
        "2026-001", "（一）予以公开", "张三")  # fmt: skip
    anonymous = office("case", "repeats", "2026-002", "--json")
    assert json.loads(anonymous.out)[0]["applicant_name"] == "张*"
    none = office("case", "repeats", REF)
    assert none.code == 0 and "未发现同一申请人已获答复的申请" in none.out


def test_fee_quotes_per_item_and_per_volume(office: CliRunner) -> None:
    per_item = office("case", "fee", REF, "--basis", "per_item")
    assert per_item.code == 0, per_item
    assert "同一申请人2026年11月向本机关提出的申请中，本申请为第1件（此前0件）" in per_item.out
    assert "第1件：1件，免费" in per_item.out and "合计：0元" in per_item.out
    volume = office("case", "fee", REF, "--basis", "per_volume", "--pages", "120", "--json")
    assert volume.code == 0, volume
    data = json.loads(volume.out)
    assert (data["amount"], data["pages"], data["basis_label"]) == ("1100.00", 120, "按量计收")
    assert data["lines"][-1] == "合计：1100元"


def test_fee_with_bad_input_is_one_clear_line(office: CliRunner) -> None:
    before = db_state()
    assert_clean_error(office("case", "fee", REF, "--basis", "per_volume"), "pages", code=2)
    assert_clean_error(office("case", "fee", REF, "--basis", "per_item", "--pages", "3"), "pages")
    assert_clean_error(office("case", "fee", REF, "--basis", "by_weight"), "per_item")
    assert_clean_error(office("case", "fee", "2099-999", "--basis", "per_item"), "2099-999")
    assert db_state() == before


def test_a_fee_notice_that_differs_from_the_quote_is_recorded_with_a_warning(
    office: CliRunner,
) -> None:
    result = office("case", "act", REF, "issue_fee_notice", "--amount", "100",
                    "--basis", "per_item", "--as", "wang")  # fmt: skip
    assert result.code == 0, result
    assert "已记录" in result.out
    assert (
        "注意：收费金额 100 元与按标准试算的 0 元不一致（多 100 元）；如属减免或另有原因，请在收费通知中写明"
        in result.out
    )
    shown = office("case", "show", REF, "--json")
    assert json.loads(shown.out)["events"][-1]["payload"]["quoted_amount"] == "0.00"


@pytest.mark.parametrize(
    "command", [("repeats",), ("fee", "--basis", "per_item"), ("show",)], ids=lambda c: c[0]
)
def test_a_user_without_a_role_in_the_agency_is_told_the_case_does_not_exist(
    office: CliRunner, command: tuple[str, ...]
) -> None:
    _answer_the_first(office)
    _register(office, "张三")
    assert office("agency", "add", "other", "另一机关").code == 0
    assert office("user", "add", "zhao").code == 0
    assert office("user", "grant", "zhao", "clerk", "--agency", "other").code == 0
    name, *rest = command
    refused = office("case", name, "2026-002", *rest, "--as", "zhao", "--json")
    assert_clean_error(refused, "没有案号为“2026-002”的案件")
    allowed = office("case", name, "2026-002", *rest, "--as", "li", "--json")
    assert allowed.code == 0, allowed
