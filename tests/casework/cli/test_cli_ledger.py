"""`casework ledger import|export|mapping|sample`: the doors onto the ledger services."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.casework.cli.cli_support import (
    NO_DATABASE,
    SAMPLE_2023,
    CliRunner,
    assert_clean_error,
    count_rows,
    db_state,
)
from tests.casework.ledger.sheets import good_row, sheet_values, write_sheet
from tests.casework.ledger.support import SAMPLE_LEDGER


def _requests(cli: CliRunner, agency: str) -> dict[str, object]:
    result = cli("report", "show", "2023", "--agency", agency, "--format", "json")
    assert result.code == 0, result
    data: dict[str, object] = json.loads(result.out)["requests"]
    return data


def test_the_sample_ledger_imports_with_the_demos_report(cli: CliRunner) -> None:
    assert cli("replay", str(SAMPLE_2023)).code == 0
    result = cli(
        "ledger", "import", str(SAMPLE_LEDGER), "--agency", "copy", "--agency-name", "台账副本"
    )
    assert result.code == 0, result
    assert f"已导入台账 {SAMPLE_LEDGER} 到机关 copy：7 件案件" in result.out
    assert "期限届满自动处理 4 项" in result.out
    assert _requests(cli, "copy") == _requests(cli, "zhz")


def test_a_broken_ledger_prints_one_line_per_row_and_writes_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    path = write_sheet(
        tmp_path / "broken.xlsx",
        [
            good_row("2023-001"),
            good_row("2023-002", 答复日期="2023-13-01"),
            good_row("2023-003"),
            good_row("2023-004", 答复结果="同意"),
            good_row("2023-005", received=date(2023, 3, 9)),  # replied the day before
        ],
    )
    before = db_state()
    for extra in ((), ("--dry-run",)):
        result = cli(
            "ledger", "import", str(path), "--agency", "zhz", "--agency-name", "某局", *extra
        )
        assert result.code == 1, result
        lines = result.err.strip().splitlines()
        assert lines[:3] == [
            "第3行 答复日期“2023-13-01”不是有效日期",
            "第5行 答复结果“同意”无法对应到答复类型（年度报告表三的分项）",
            "第6行 答复日期“2023-03-08”：答复未执行：日期 2023-03-08 早于本案上一操作的日期（2023-03-09）",
        ]
        assert lines[3] == "错误：台账共 5 行，其中 3 行无法导入；未导入任何内容，请修改后重试"
        assert len(lines) == 4 and "Traceback" not in result.err
        assert db_state() == before


def test_a_dry_run_shows_the_mapping_and_writes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "good.xlsx", [good_row("2023-001"), good_row("2023-002")])
    before = db_state()
    result = cli(
        "ledger", "import", str(path), "--agency", "zhz", "--agency-name", "某局", "--dry-run"
    )
    assert result.code == 0, result
    assert "A列 编号 → ref  [默认]" in result.out
    assert result.out.rstrip().endswith("检查通过：2 行均可导入（试运行，未写入）")
    assert db_state() == before
    done = cli("ledger", "import", str(path), "--agency", "zhz", "--agency-name", "某局")
    assert done.code == 0, done
    assert count_rows("cases") == 2


def test_export_masks_by_default_and_round_trips(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("replay", str(SAMPLE_2023)).code == 0
    out = tmp_path / "zhz.xlsx"
    result = cli("ledger", "export", "--agency", "zhz", "--year", "2023", "--output", str(out))
    assert result.code == 0, result
    assert result.out.strip() == f"已写入 {out}：7 行；申请人个人信息已遮盖（--no-mask 可显示）"
    assert sheet_values(out)[1][3] == "申***"  # 申请人甲
    plain = tmp_path / "plain.xlsx"
    assert cli("ledger", "export", "--agency", "zhz", "-o", str(plain), "--no-mask").code == 0
    assert sheet_values(plain)[1][3] == "申请人甲"
    again = cli("ledger", "import", str(plain), "--agency", "copy", "--agency-name", "副本")
    assert again.code == 0, again
    assert _requests(cli, "copy") == _requests(cli, "zhz")


def test_an_unknown_agency_needs_a_name(cli: CliRunner, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "good.xlsx", [good_row("2023-001")])
    result = cli("ledger", "import", str(path), "--agency", "nowhere")
    assert_clean_error(result, "nowhere", "--agency-name")
    assert_clean_error(cli("ledger", "import", str(path)), "--agency")


@pytest.mark.parametrize(
    ("args", "parts"),
    [
        (("ledger", "import", "missing.xlsx", "--agency", "zhz"), ("找不到文件", "missing.xlsx")),
        (("ledger", "export", "--agency", "nowhere", "-o", "x.xlsx"), ("nowhere",)),
        (("ledger", "mapping", "ledger.txt"), ("不是有效的 XLSX 文件",)),
        (
            ("ledger", "mapping", "ledger.xlsx", "--mapping", "m.json"),
            ("映射文件", "不是有效的 JSON"),
        ),
    ],
)
def test_bad_input_is_one_chinese_line(
    cli: CliRunner, tmp_path: Path, args: tuple[str, ...], parts: tuple[str, ...]
) -> None:
    (tmp_path / "ledger.txt").write_text("编号\n", encoding="utf-8")
    write_sheet(tmp_path / "ledger.xlsx", [good_row("1")])
    (tmp_path / "m.json").write_text("{", encoding="utf-8")
    assert_clean_error(cli(*args), *parts)


@NO_DATABASE
def test_mapping_shows_the_columns_a_file_feeds(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("ledger", "mapping", str(SAMPLE_LEDGER))
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == "工作表“申请办理台账”，表头在第1行："
    assert "  AF列 答复结果 → reply.outcome  [默认]" in lines
    assert "  AJ列 备注 → notes  [默认；不写入案件]" in lines


@NO_DATABASE
def test_sample_rebuilds_the_committed_ledger(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sample.xlsx"
    result = cli("ledger", "sample", "--output", str(out))
    assert result.code == 0, result
    assert out.read_bytes() == SAMPLE_LEDGER.read_bytes()


def test_the_agency_may_come_from_the_mapping_file(cli: CliRunner, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "good.xlsx", [good_row("2023-001")])
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"agency": {"code": "zhz", "name": "漳浒寨街道"}}', encoding="utf-8")
    result = cli("ledger", "import", str(path), "--mapping", str(mapping))
    assert result.code == 0, result
    assert "到机关 zhz：1 件案件" in result.out


def test_a_terminal_sees_a_progress_bar(
    cli: CliRunner, cli_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = [good_row(f"2023-{n:03d}") for n in range(1, 4)]
    path = write_sheet(tmp_path / "three.xlsx", rows)
    cli_env.setenv("TTY_COMPATIBLE", "1")  # rich then draws as on a terminal
    result = cli("ledger", "import", str(path), "--agency", "zhz", "--agency-name", "某局")
    assert result.code == 0, result
    assert "导入台账" in result.err and "3/3" in result.err
    assert count_rows("cases") == 3
