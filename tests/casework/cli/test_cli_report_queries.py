"""`casework report cell|period|rollup` and `agency set --report-due`: the same services as the
API, rich tables for people, JSON for tools, clean Chinese errors for bad names and periods."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.casework.cli.cli_support import CliRunner, HistoryWriter, assert_clean_error, db_state

CASES: list[dict[str, Any]] = [
    {"ref": "2024-001", "applicant": {"kind": "natural_person", "name": "张三",
     "id_number": "110101199003070011"}, "channel": "online", "received_on": "2024-03-04",
     "request": "申请公开某文件",
     "actions": [{"on": "2024-03-15", "action": "reply", "outcome": "partially_disclosed"}],
     "appeals": [{"kind": "reconsideration", "filed_on": "2024-04-01", "result": "upheld",
                  "decided_on": "2024-06-03"}]},
    {"ref": "2024-002", "applicant": {"kind": "natural_person", "name": "李四"},
     "channel": "post", "received_on": "2024-03-11", "request": "申请公开某合同",
     "actions": [{"on": "2024-03-25", "action": "reply", "outcome": "partially_disclosed"}]},
    {"ref": "2024-003", "applicant": {"kind": "commercial_enterprise", "name": "某公司"},
     "channel": "post", "received_on": "2024-12-16", "request": "申请公开某规划"},
]  # fmt: skip


@pytest.fixture
def zhz(cli: CliRunner, history: HistoryWriter) -> CliRunner:
    assert cli("init").code == 0
    replayed = cli("replay", str(history(CASES)))
    assert replayed.code == 0, replayed
    return cli


def _json(cli: CliRunner, *args: str) -> dict[str, Any]:
    result = cli(*args)
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def test_a_cell_lists_the_cases_behind_its_number(zhz: CliRunner) -> None:
    args = ("--row", "partially_disclosed", "--column", "natural_person")
    shown = zhz("report", "cell", "2024", "--agency", "zhz", *args)
    assert shown.code == 0, shown
    assert "2 件" in shown.out and "2024-001" in shown.out and "2024-002" in shown.out
    assert "张三" not in shown.out
    figures = _json(zhz, "report", "show", "2024", "--agency", "zhz", "--format", "json")
    listed = _json(zhz, "report", "cell", "2024", "--agency", "zhz", *args, "--format", "json")
    assert listed["count"] == figures["requests"]["rows"]["partially_disclosed"][0] == 2


def test_a_cell_may_be_named_by_the_printed_labels(zhz: CliRunner) -> None:
    by_code = _json(zhz, "report", "cell", "2024", "--agency", "zhz", "--row", "carried_out",
                    "--column", "commercial_enterprise", "--format", "json")  # fmt: skip
    by_label = _json(zhz, "report", "cell", "2024", "--agency", "zhz", "--row",
                     "四、结转下年度继续办理", "--column", "商业企业", "--format", "json")  # fmt: skip
    assert [c["ref"] for c in by_label["cases"]] == [c["ref"] for c in by_code["cases"]]
    assert by_label["row"] == "carried_out" and by_label["column"] == "commercial_enterprise"
    assert [c["ref"] for c in by_code["cases"]] == ["2024-003"]


def test_an_appeal_cell_lists_the_appeals_with_their_case(zhz: CliRunner) -> None:
    shown = zhz("report", "cell", "2024", "--agency", "zhz", "--appeal-kind", "行政复议",
                "--result", "upheld")  # fmt: skip
    assert shown.code == 0, shown
    assert "1 件" in shown.out and "2024-001" in shown.out and "结果维持" in shown.out


def test_an_unknown_row_is_a_usage_error_that_lists_the_codes(zhz: CliRunner) -> None:
    result = zhz("report", "cell", "2024", "--agency", "zhz", "--row", "（八）其他")
    assert_clean_error(result, "（八）其他", "carried_out", code=2)


def test_a_cell_of_both_tables_at_once_is_refused(zhz: CliRunner) -> None:
    result = zhz("report", "cell", "2024", "--agency", "zhz", "--row", "new",
                 "--appeal-kind", "reconsideration")  # fmt: skip
    assert_clean_error(result, "--row", "--appeal-kind", code=2)


def test_a_period_prints_the_notice_first_in_every_format(zhz: CliRunner) -> None:
    notice = "本统计为内部监测用，不是法定年度报告"
    for output in ("table", "text"):
        result = zhz("report", "period", "--agency", "zhz", "--month", "2024-03",
                     "--format", output)  # fmt: skip
        assert result.code == 0, result
        assert notice in result.out.splitlines()[0]
    data = _json(zhz, "report", "period", "--agency", "zhz", "--quarter", "2024Q1",
                 "--format", "json")  # fmt: skip
    assert data["statutory"] is False and data["notice"] == notice
    assert data["requests"]["rows"]["new"][-1] == 2  # 2024-001 and 2024-002


def test_the_months_of_march_and_april_chain(zhz: CliRunner) -> None:
    march = _json(zhz, "report", "period", "--agency", "zhz", "--from", "2024-03-01",
                  "--to", "2024-03-12", "--format", "json")  # fmt: skip
    after = _json(zhz, "report", "period", "--agency", "zhz", "--from", "2024-03-13",
                  "--to", "2024-04-30", "--format", "json")  # fmt: skip
    assert march["requests"]["rows"]["carried_out"][-1] == 2  # replied 03-15 and 03-25
    assert march["requests"]["rows"]["carried_out"] == after["requests"]["rows"]["carried_in"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--month", "2024-13"), "月份“2024-13”无效"),
        (("--from", "2024-04-01", "--to", "2024-03-01"), "早于开始日期"),
        (("--from", "2019-01-01", "--to", "2024-12-31"), "不能超过 5 年"),
        (("--month", "2024-03", "--quarter", "2024Q1"), "一种方式"),
    ],
)
def test_a_bad_period_is_a_usage_error(zhz: CliRunner, args: tuple[str, ...], words: str) -> None:
    assert_clean_error(zhz("report", "period", "--agency", "zhz", *args), words, code=2)


def test_the_rollup_lists_who_has_not_published_with_the_days_late(zhz: CliRunner) -> None:
    for step in (("agency", "add", "qu", "某区人民政府", "--district"),
                 ("agency", "set", "zhz", "--parent", "qu")):  # fmt: skip
        assert zhz(*step).code == 0
    shown = zhz("report", "rollup", "2024", "--agency", "qu")
    assert shown.code == 0, shown
    assert "未按期发布年度报告的机关（2 个，截至 2026-11-26）" in shown.out
    data = _json(zhz, "report", "rollup", "2024", "--agency", "qu", "--format", "json")
    assert [(u["agency"], u["days_late"]) for u in data["unpublished"]] == [
        ("qu", 664), ("zhz", 664)
    ]  # fmt: skip
    assert data["total"]["new"] == 3 and data["agencies"][1]["new"] == 3


def test_a_report_due_day_is_set_per_agency_and_cleared_back_to_the_default(
    zhz: CliRunner,
) -> None:
    set_ = zhz("agency", "set", "zhz", "--report-due", "03-31")
    assert set_.code == 0 and "年度报告截止日：次年 03-31" in set_.out
    data = _json(zhz, "report", "rollup", "2024", "--agency", "zhz", "--format", "json")
    assert data["agencies"][0]["due"] == "2025-03-31"
    cleared = zhz("agency", "set", "zhz", "--report-due", "")
    assert cleared.code == 0 and "年度报告截止日：次年 01-31（默认）" in cleared.out


def test_a_report_due_day_that_not_every_year_has_is_refused(zhz: CliRunner) -> None:
    before = db_state()
    assert_clean_error(zhz("agency", "set", "zhz", "--report-due", "02-29"), "02-29")
    assert db_state() == before
