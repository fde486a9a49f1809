"""`casework report text`: the starter shown, a section saved from a file, standard input or
$EDITOR as a new revision, and clear refusals."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.casework.cli.cli_support import CliRunner


def _json(office: CliRunner) -> dict[str, Any]:
    result = office("report", "text", "2026", "--agency", "zhz", "--format", "json")
    assert result.code == 0, result
    return dict(json.loads(result.out))


def test_the_starter_is_shown_with_its_numbers_and_what_is_left_to_fill(office: CliRunner) -> None:
    result = office("report", "text", "2026", "--agency", "zhz")
    assert result.code == 0, result
    assert "初稿（尚未保存，按当前数据生成）" in result.out
    assert "新收政府信息公开申请1件" in result.out and "尚有8处待填写" in result.out
    titles = ["一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    places = [result.out.index(f"\n{t}\n") for t in titles]
    assert places == sorted(places)
    assert "依据《政府信息公开信息处理费管理办法》，2026年未出现" in result.out


def test_a_section_saved_from_a_file_is_a_new_revision(office: CliRunner, tmp_path: Path) -> None:
    text = "（一）存在的主要问题\n公开目录更新不及时。\n\n（二）改进情况\n每月核对一次。\n"
    source = tmp_path / "problems.txt"
    source.write_text(text, encoding="utf-8")
    saved = office("report", "text", "2026", "--agency", "zhz", "--section", "problems",
                   "--file", str(source))  # fmt: skip
    assert saved.code == 0, saved
    assert "已保存" in saved.out and "第1版" in saved.out
    data = _json(office)
    assert data["problems"] == text.strip() and data["revision"] == 1
    assert data["starter"] is False and data["recorded_by"] == "cli"
    assert "新收政府信息公开申请1件" in data["overview"]  # the other sections kept
    assert not any(p.startswith("五、") for p in data["placeholders"])


def test_a_section_is_read_from_standard_input(
    office: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("本年度无其他需要报告的事项。\n"))
    saved = office("report", "text", "2026", "--agency", "zhz", "--section", "other", "--file", "-")
    assert saved.code == 0, saved
    assert _json(office)["other"] == "本年度无其他需要报告的事项。"


def test_a_section_is_edited_in_the_editor(
    office: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, re, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(re.sub('【请填写：[^】]*】', '已填写。', p.read_text('utf-8')), 'utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    saved = office("report", "text", "2026", "--agency", "zhz", "--section", "other", "--edit")
    assert saved.code == 0, saved
    assert _json(office)["other"] == "已填写。"


def test_saving_needs_a_section(office: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_text("x", encoding="utf-8")
    result = office("report", "text", "2026", "--agency", "zhz", "--file", str(source))
    assert result.code == 2 and "--section" in result.err


def test_control_characters_in_a_file_are_refused(office: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("问题\x0c。", encoding="utf-8")
    result = office("report", "text", "2026", "--agency", "zhz", "--section", "problems",
                    "--file", str(source))  # fmt: skip
    assert result.code == 1 and "不能包含控制字符" in result.err
    assert _json(office)["revision"] == 0
