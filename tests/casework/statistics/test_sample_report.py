"""The demo history reproduces the published sample report, line for line (sections 二–四)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.casework.cli.cli_support import CliRunner

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT.parent / "shared" / "fixtures" / "sample-annual-report-2023.txt"
SAMPLE = ROOT / "examples" / "sample-2023.json"


def _published_tables() -> str:
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    start = lines.index("二、主动公开政府信息情况")
    end = lines.index("五、存在的主要问题及改进情况")
    return "\n".join(lines[start : end - 1]) + "\n"


def test_report_text_equals_the_published_sample(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE)).code == 0
    result = cli("report", "show", "2023", "--agency", "zhz", "--format", "text")
    assert result.code == 0, result
    assert result.out == _published_tables()


def test_report_json_carries_the_same_numbers(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE)).code == 0
    result = cli("report", "show", "2023", "--agency", "zhz", "--format", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    rows = data["requests"]["rows"]
    assert data["requests"]["columns"][0] == "natural_person" and len(rows["new"]) == 7
    assert rows["new"] == [7, 0, 0, 0, 0, 0, 7]
    assert rows["carried_in"] == [0] * 7
    assert rows["withheld.third_party_rights"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["unavailable.not_held"] == [2, 0, 0, 0, 0, 0, 2]
    assert rows["other.correction_not_submitted"] == [4, 0, 0, 0, 0, 0, 4]
    assert rows["concluded_total"] == [7, 0, 0, 0, 0, 0, 7]
    assert rows["carried_out"] == [0] * 7
    assert data["proactive"]["regulations"]["in_force"] == 2


def test_demo_prints_the_sample_tables(cli: CliRunner) -> None:
    result = cli("demo", "--file", str(SAMPLE))
    assert result.code == 0, result
    assert result.out.endswith(_published_tables())


def test_as_of_before_the_replay_shows_nothing(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE)).code == 0
    result = cli(
        "report", "show", "2023", "--agency", "zhz", "--format", "json", "--as-of", "2020-01-01"
    )
    assert result.code == 0, result
    assert json.loads(result.out)["requests"]["rows"]["new"] == [0] * 7


def test_appeal_commands_feed_table_four(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE)).code == 0
    added = cli(
        "appeal", "add", "--agency", "zhz", "--kind", "reconsideration",
        "--filed-on", "2023-05-10", "--case", "2023-002",
    )  # fmt: skip
    assert added.code == 0 and "答复期限 2023-05-20" in added.out, added
    assert (
        cli(
            "appeal", "decide", "1", "--agency", "zhz", "--result", "upheld", "--on", "2023-07-01"
        ).code
        == 0
    )
    listed = cli("appeal", "list", "--agency", "zhz")
    assert "2023-07-01 审结：结果维持" in listed.out
    data = json.loads(cli("report", "show", "2023", "--agency", "zhz", "--format", "json").out)
    assert data["appeals"]["reconsideration"] == {
        "upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1,
    }  # fmt: skip
    bad = cli(
        "appeal", "decide", "1", "--agency", "zhz", "--result", "upheld", "--on", "2023-08-01"
    )
    assert bad.code != 0 and "已于 2023-07-01 审结" in bad.err


def test_report_inputs_are_kept_by_revision_and_shown_in_table_two(cli: CliRunner) -> None:
    assert cli("init").code == 0
    assert cli("agency", "add", "zhz", "街道").code == 0
    first = cli("report", "inputs", "2025", "--agency", "zhz", "--regulations", "1", "0", "3")
    assert first.code == 0 and "第1版" in first.out, first
    second = cli("report", "inputs", "2025", "--agency", "zhz", "--licensing", "12")
    assert "第2版" in second.out and '"in_force": 3' in second.out
    bad = cli("report", "inputs", "2025", "--agency", "zhz", "--penalties", "-1")
    assert bad.code != 0 and "penalties" in bad.err
    text = cli("report", "show", "2025", "--agency", "zhz").out.split("\n\n")
    assert text[text.index("规章") + 1 : text.index("规章") + 4] == ["1", "0", "3"]
    assert text[text.index("行政许可") + 1] == "12"


def test_subtree_report_adds_the_sub_agencies(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init").code == 0
    assert cli("agency", "add", "ytq", "雁塔区政务公开办").code == 0
    history = json.loads(SAMPLE.read_text(encoding="utf-8"))
    history["agency"]["parent"] = "ytq"
    path = tmp_path / "under-ytq.json"
    path.write_text(json.dumps(history, ensure_ascii=False), encoding="utf-8")
    assert cli("replay", str(path)).code == 0

    def new(*args: str) -> int:
        out = cli("report", "show", "2023", "--format", "json", *args).out
        return int(json.loads(out)["requests"]["rows"]["new"][-1])

    assert new("--agency", "ytq") == 0
    assert new("--agency", "ytq", "--subtree") == 7
    assert new("--agency", "zhz", "--subtree") == 7


def test_report_written_to_a_file(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init").code == 0
    assert cli("replay", str(SAMPLE)).code == 0
    target = tmp_path / "2023.txt"
    result = cli("report", "show", "2023", "--agency", "zhz", "-o", str(target))
    assert result.code == 0 and "已写入" in result.out
    assert target.read_text(encoding="utf-8") == _published_tables()
