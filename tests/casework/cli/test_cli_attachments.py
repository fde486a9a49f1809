"""`casework case attach|attachments|attachment|withdraw-attachment` round trips."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from casework import settings as settings_module
from tests.casework.attachments import samples
from tests.casework.cli.cli_support import CliRunner, assert_clean_error, show_json

REF = "2026-001"  # registered by the `office` fixture


def _objects(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "data" / "attachments").rglob("*") if p.is_file())


def test_attach_list_and_download_round_trip(office: CliRunner, tmp_path: Path) -> None:
    scan = tmp_path / "申请书扫描件.pdf"
    scan.write_bytes(samples.pdf("申请书"))
    result = office("case", "attach", REF, str(scan), "--kind", "request_scan",
                    "--note", "当面提交，原件已退回", "--as", "wang")  # fmt: skip
    assert result.code == 0, result
    assert "已上传附件 1“申请书扫描件.pdf”（申请材料扫描件，PDF 文档" in result.out

    listed = office("case", "attachments", REF, "--json")
    assert listed.code == 0, listed
    (item,) = json.loads(listed.out)
    assert (item["filename"], item["kind"], item["uploaded_by"]) == (
        "申请书扫描件.pdf", "request_scan", "wang")  # fmt: skip
    assert item["sha256"] == hashlib.sha256(samples.pdf("申请书")).hexdigest()
    assert item["scan"] == "not_scanned" and item["note"] == "当面提交，原件已退回"
    assert show_json(office, REF)["attachments"] == [item]
    assert show_json(office, REF)["version"] == 1  # the case itself did not change

    out = tmp_path / "下载的.pdf"
    got = office("case", "attachment", REF, "1", "--output", str(out), "--as", "wang")
    assert got.code == 0, got
    assert "SHA-256 核对无误" in got.out
    assert out.read_bytes() == samples.pdf("申请书")
    again = office("case", "attachment", REF, "1", "--output", str(out))
    assert_clean_error(again, "已存在", "--force")


def test_the_same_file_twice_is_stored_once(office: CliRunner, tmp_path: Path) -> None:
    receipt = tmp_path / "回执.png"
    receipt.write_bytes(samples.png())
    for kind in ("service_evidence", "other"):
        result = office("case", "attach", REF, str(receipt), "--kind", kind, "--as", "wang")
        assert result.code == 0, result
    assert len(json.loads(office("case", "attachments", REF, "--json").out)) == 2
    assert len(_objects(tmp_path)) == 1


def test_refused_files_leave_nothing(office: CliRunner, tmp_path: Path) -> None:
    fake = tmp_path / "回证.pdf"
    fake.write_bytes(samples.png())
    result = office("case", "attach", REF, str(fake), "--kind", "service_evidence", "--as", "wang")
    assert_clean_error(
        result, "案件 2026-001：附件未上传", "扩展名 .pdf 与文件内容（PNG 图片）不符"
    )
    program = tmp_path / "setup.exe"
    program.write_bytes(samples.exe())
    result = office("case", "attach", REF, str(program), "--kind", "other", "--as", "wang")
    assert_clean_error(result, "不接受此类文件（Windows 可执行程序）")
    assert _objects(tmp_path) == []
    assert json.loads(office("case", "attachments", REF, "--json").out) == []


def test_a_file_over_the_limit_is_refused_before_reading(
    office: CliRunner, tmp_path: Path, cli_env: pytest.MonkeyPatch
) -> None:
    cli_env.setenv("CASEWORK_ATTACHMENT_MAX_BYTES", "1000")
    settings_module.get_settings.cache_clear()
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1001)
    result = office("case", "attach", REF, str(big), "--kind", "other", "--as", "wang")
    assert_clean_error(result, "文件超过大小上限 1000 字节")
    assert _objects(tmp_path) == []


def test_bad_input_gets_one_clear_line(office: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("意见", encoding="utf-8")
    assert_clean_error(office("case", "attach", REF, str(doc), "--kind", "photo", "--as", "wang"),
                       "未知的附件类别“photo”")  # fmt: skip
    assert_clean_error(office("case", "attach", REF, str(tmp_path / "none.pdf"), "--kind", "other",
                              "--as", "wang"), "不存在")  # fmt: skip
    assert_clean_error(office("case", "attach", REF, str(doc), "--kind", "other"), "--as")
    assert_clean_error(office("case", "attach", "2099-9", str(doc), "--kind", "other", "--as", "wang"),
                       "没有案号为“2099-9”的案件")  # fmt: skip
    assert_clean_error(office("case", "attach", REF, str(doc), "--kind", "other", "--event", "7",
                              "--as", "wang"), "本案没有第 7 项办理记录")  # fmt: skip
    assert_clean_error(office("case", "attachment", REF, "5", "-o", str(tmp_path / "x")),
                       "本案没有编号为 5 的附件")  # fmt: skip


def test_withdrawal_keeps_the_file_listed_and_downloadable(
    office: CliRunner, tmp_path: Path
) -> None:
    wrong = tmp_path / "错传.txt"
    wrong.write_text("另一案件的材料", encoding="utf-8")
    assert office("case", "attach", REF, str(wrong), "--kind", "other", "--as", "wang").code == 0
    result = office("case", "withdraw-attachment", REF, "1", "--reason", "传错了案件", "--as", "li")
    assert result.code == 0, result
    assert "已撤回（记录和文件均保留" in result.out
    (item,) = json.loads(office("case", "attachments", REF, "--json").out)
    assert item["withdrawn"] and item["withdrawn_by"] == "li"
    assert item["withdrawal_reason"] == "传错了案件"
    text = office("case", "attachments", REF)
    assert "由 li 撤回：传错了案件" in text.out
    out = tmp_path / "still.txt"
    assert office("case", "attachment", REF, "1", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8") == "另一案件的材料"
    again = office("case", "withdraw-attachment", REF, "1", "--reason", "x", "--as", "li")
    assert_clean_error(again, "已于", "由 li 撤回")
