"""`casework report publish | published | drift`, and a clerk's back-dated action refused once
the year is published (DESIGN §3.6, §2.5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from casework.db import make_engine
from casework.reports.render import FORMATS
from tests.casework.cli.cli_support import CliRunner, count_rows, database_url


@pytest.fixture
def year_2025(office: CliRunner) -> CliRunner:
    """The office with case 2025-001 received 2025-06-02 and still open."""
    result = office(
        "case", "register", "--agency", "zhz", "--applicant", "李四", "--channel", "post",
        "--received-on", "2025-06-02", "--request", "申请公开某文件", "--as", "wang",
    )  # fmt: skip
    assert result.code == 0, result
    return office


def _publish(cli: CliRunner, *extra: str) -> object:
    return cli("report", "publish", "2025", "--agency", "zhz", "--allow-starter-text", *extra)


def _stored() -> dict[str, bytes]:
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT format, content FROM report_file")).all()
    finally:
        engine.dispose()
    return {fmt: bytes(content) for fmt, content in rows}


def test_a_clerk_may_not_publish(year_2025: CliRunner) -> None:
    result = _publish(year_2025, "--as", "wang")
    assert result.code == 1 and "负责人" in result.err, result
    assert count_rows("report_publication") == 0


def test_the_approver_publishes_every_format_with_a_warning_for_the_starter_text(
    year_2025: CliRunner,
) -> None:
    result = _publish(year_2025, "--as", "li")
    assert result.code == 0, result
    assert "已公布（第1版）" in result.out
    assert all(f"  {name}" in result.out for name in FORMATS), result.out
    assert "注意：" in result.out and "系统草稿" in result.out
    assert count_rows("report_file") == len(FORMATS)


def test_starter_text_is_refused_without_the_flag(year_2025: CliRunner) -> None:
    result = year_2025("report", "publish", "2025", "--agency", "zhz", "--as", "li")
    assert result.code == 1 and "--allow-starter-text" in result.err, result
    assert count_rows("report_publication") == 0


def test_a_second_publication_needs_a_reason(year_2025: CliRunner) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    again = _publish(year_2025, "--as", "li")
    assert again.code == 1 and "更正理由" in again.err, again
    fixed = _publish(year_2025, "--as", "li", "--reason", "补录一件答复")
    assert fixed.code == 0 and "第2版" in fixed.out, fixed


def test_published_shows_the_revision_and_saves_the_stored_files(
    year_2025: CliRunner, tmp_path: Path
) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    folder = tmp_path / "saved"
    result = year_2025("report", "published", "2025", "--agency", "zhz", "--save", str(folder))
    assert result.code == 0, result
    assert "第1版（共1版）" in result.out and "校验通过" in result.out
    saved = {p.suffix: p.read_bytes() for p in folder.iterdir()}
    assert sorted(saved.values()) == sorted(_stored().values())


def test_published_as_json_names_the_hash_and_the_files(year_2025: CliRunner) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    result = year_2025("report", "published", "2025", "--agency", "zhz", "--json")
    data = json.loads(result.out)
    assert data["revision"] == 1 and data["verified"] is True and len(data["content_hash"]) == 64
    assert sorted(f["format"] for f in data["files"]) == sorted(FORMATS)


def test_published_and_drift_of_a_year_not_published_exit_2(year_2025: CliRunner) -> None:
    for command in ("published", "drift"):
        result = year_2025("report", command, "2025", "--agency", "zhz")
        assert result.code == 2 and "尚未公布" in result.err, (command, result)


def test_drift_right_after_publishing_says_nothing_changed(year_2025: CliRunner) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    result = year_2025("report", "drift", "2025", "--agency", "zhz")
    assert result.code == 0 and "没有变化" in result.out, result


def test_a_clerks_backdated_reply_into_the_published_year_is_refused(
    year_2025: CliRunner,
) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    events = count_rows("case_event")
    result = year_2025(
        "case", "act", "2025-001", "reply", "--outcome", "disclosed", "--on", "2025-12-30",
        "--as", "wang",
    )  # fmt: skip
    assert result.code == 1 and "须由负责人办理" in result.err, result
    assert count_rows("case_event") == events


def test_drift_lists_the_approvers_backdated_reply_and_its_cells(year_2025: CliRunner) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    act = year_2025(
        "case", "act", "2025-001", "reply", "--outcome", "disclosed", "--on", "2025-12-30",
        "--as", "li",
    )  # fmt: skip
    assert act.code == 0, act
    result = year_2025("report", "drift", "2025", "--agency", "zhz")
    assert result.code == 0, result
    assert "四、结转下年度继续办理 · 自然人：公布 1 → 现在 0（-1）" in result.out
    assert "案件 2025-001（自然人）：答复（reply），生效日期 2025-12-30" in result.out
    data = json.loads(year_2025("report", "drift", "2025", "--agency", "zhz", "--json").out)
    assert [c["ref"] for c in data["causes"]] == ["2025-001"] and not data["empty"]


@pytest.mark.parametrize(("who", "allowed"), [((), False), (("--as", "wang"), False),
                                              (("--as", "li"), True)])  # fmt: skip
def test_an_appeal_dated_in_the_published_year_needs_the_approver(
    year_2025: CliRunner, who: tuple[str, ...], allowed: bool
) -> None:
    assert _publish(year_2025, "--as", "li").code == 0
    before = count_rows("appeal")
    added = year_2025(
        "appeal", "add", "--agency", "zhz", "--kind", "reconsideration",
        "--filed-on", "2025-07-01", "--case", "2025-001", *who,
    )  # fmt: skip
    if allowed:
        assert added.code == 0, added
        assert count_rows("appeal") == before + 1
    else:
        assert added.code != 0 and "负责人" in added.err, added
        assert count_rows("appeal") == before  # nothing written
