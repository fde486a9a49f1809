"""`casework case file REF`: the case file as a ZIP and, with --cover, its cover list."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader

from tests.casework.attachments import samples
from tests.casework.cli.cli_support import CliRunner, assert_clean_error

REF = "2026-001"


def test_the_case_file_is_written_with_its_cover_list(office: CliRunner, tmp_path: Path) -> None:
    acted = office("case", "act", REF, "request_correction", "--items", "请明确文件名称",
                   "--on", "2026-11-24", "--as", "wang", "--issue-notice")  # fmt: skip
    assert acted.code == 0, acted
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(samples.pdf("申请书"))
    assert (
        office("case", "attach", REF, str(scan), "--kind", "request_scan", "--as", "wang").code == 0
    )
    target, cover = tmp_path / "out" / "卷.zip", tmp_path / "目录.pdf"
    target.parent.mkdir()
    done = office("case", "file", REF, "--output", str(target), "--cover", str(cover))
    assert done.code == 0 and "案卷已导出" in done.out, done
    assert not list(target.parent.glob("*.part"))
    names = zipfile.ZipFile(target).namelist()
    assert any("补正告知书" in n for n in names) and any(n.endswith("申请书.pdf") for n in names)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cover.read_bytes())).pages)
    assert "卷内目录" in text and REF in text


def test_an_unknown_case_or_a_directory_as_output_is_refused(
    office: CliRunner, tmp_path: Path
) -> None:
    assert_clean_error(office("case", "file", "2026-999"), "2026-999")
    assert_clean_error(office("case", "file", REF, "--output", str(tmp_path)), "目录")
