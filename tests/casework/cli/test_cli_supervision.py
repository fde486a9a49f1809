"""`casework case supervise|supervisions`: the district office's 督办 from the command line."""

from __future__ import annotations

import json

from tests.casework.cli.cli_support import CliRunner, assert_clean_error


def _district(office: CliRunner) -> CliRunner:
    for step in (
        ("agency", "add", "qu", "某区政务公开办", "--district"),
        ("agency", "set", "zhz", "--parent", "qu"),
        ("user", "add", "zhao", "--name", "赵主任"),
        ("user", "grant", "zhao", "approver", "--agency", "qu"),
    ):
        result = office(*step)
        assert result.code == 0, (step, result)
    return office


def test_the_district_supervises_and_the_agency_finds_it_in_its_inbox(office: CliRunner) -> None:
    cli = _district(office)
    done = cli("case", "supervise", "2026-001", "--note", "请尽快答复", "--due-by", "2026-12-01",
               "--agency", "zhz", "--as", "zhao")  # fmt: skip
    assert done.code == 0 and "某区政务公开办已督办，已通知 2 人" in done.out, done
    again = cli("case", "supervise", "2026-001", "--note", "请尽快答复", "--due-by", "2026-12-01",
                "--agency", "zhz", "--as", "zhao")  # fmt: skip
    assert again.code == 0 and "未重复通知" in again.out, again
    for who in ("wang", "li"):
        assert "某区政务公开办督办，请于 2026-12-01 前办理" in cli("inbox", "--as", who).out
    listed = cli("case", "supervisions", "2026-001", "--agency", "zhz", "--json")
    (row,) = json.loads(listed.out)
    assert (row["by"], row["note"], row["due_by"]) == ("zhao", "请尽快答复", "2026-12-01")
    text = cli("case", "supervisions", "2026-001", "--as", "wang").out
    assert "督办 1 次" in text and "某区政务公开办 赵主任：请尽快答复" in text


def test_the_agency_itself_may_not_supervise(office: CliRunner) -> None:
    cli = _district(office)
    refused = cli("case", "supervise", "2026-001", "--note", "x", "--as", "li")
    assert_clean_error(refused, "2026-001", "政务公开办")
