"""`casework case act … --issue-notice`, `casework notice list|issue|show|render|setup|template`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document

from casework.notices import library
from casework.notices.kinds import NoticeKind
from tests.casework.cli.cli_support import CliRunner, assert_clean_error
from tests.casework.notices.support import docx_text

REF = "2026-001"  # registered by the `office` fixture: received 2026-11-20


def _listed(cli: CliRunner) -> list[dict[str, object]]:
    result = cli("notice", "list", REF, "--json")
    assert result.code == 0, result
    return list(json.loads(result.out))


def test_an_action_with_notice_issues_it_in_the_same_step(office: CliRunner) -> None:
    assert office("notice", "setup", "zhz", "--short-name", "漳街").code == 0
    result = office("case", "act", REF, "request_correction", "--period-wd", "10",
                    "--items", "请写明文件名称", "--on", "2026-11-24", "--as", "wang", "--issue-notice")  # fmt: skip
    assert result.code == 0, result
    assert "已出具政府信息公开申请补正告知书，文号 漳街公开补〔2026〕1号" in result.out
    listed = _listed(office)
    assert [(o["kind"], o["notice"] is not None) for o in listed] == [
        ("receipt", False),
        ("correction", True),
    ]


def test_a_refused_action_takes_no_number(office: CliRunner) -> None:
    refused = office("case", "act", REF, "extend", "--days-wd", "5", "--reason", "x",
                     "--as", "wang", "--issue-notice")  # fmt: skip
    assert refused.code != 0
    issued = office("notice", "issue", REF, "receipt", "--as", "wang")
    assert issued.code == 0, issued
    assert "公开收〔2026〕1号" in issued.out  # the first number of the year went to this one


def test_issue_show_and_render(office: CliRunner, tmp_path: Path) -> None:
    assert office("notice", "setup", "zhz", "--short-name", "漳街",
                  "--review-body", "西安市雁塔区人民政府").code == 0  # fmt: skip
    assert office("case", "act", REF, "reply", "--outcome", "withheld.internal_affairs",
                  "--on", "2026-11-25", "--as", "wang").code == 0  # fmt: skip
    issued = office(
        "notice", "issue", REF, "reply", "--field", "details=内部人事安排", "--as", "wang"
    )
    assert issued.code == 0, issued
    number = "漳街公开复〔2026〕1号"
    assert number in issued.out
    shown = office("notice", "show", number, "--json")
    assert shown.code == 0, shown
    data = json.loads(shown.out)
    assert data["reproduces"] is True and data["template"] == {
        "kind": "reply",
        "version": 1,
        "override_id": None,
    }
    text = "\n".join(data["text"])
    assert (
        "第十六条" in text
        and "内部人事安排" in text
        and "向西安市雁塔区人民政府申请行政复议" in text
    )
    out = tmp_path / "reply.docx"
    rendered = office("notice", "render", number, "-o", str(out))
    assert rendered.code == 0, rendered
    assert docx_text(out.read_bytes()) == "\n".join(data["text"])
    html = tmp_path / "reply.html"
    assert (
        office("notice", "render", str(data["id"]), "--format", "html", "-o", str(html)).code == 0
    )
    assert "内部人事安排" in html.read_text("utf-8")


def test_an_agency_template_set_exported_and_reset(office: CliRunner, tmp_path: Path) -> None:
    exported = tmp_path / "receipt.docx"
    assert office("notice", "template", "export", "receipt", "-o", str(exported)).code == 0
    assert exported.read_bytes() == library.builtin(NoticeKind.RECEIPT).docx
    document = Document(io.BytesIO(exported.read_bytes()))
    document.add_paragraph("（本回执加盖本机关公章）")
    edited = tmp_path / "edited.docx"
    document.save(edited)
    result = office(
        "notice", "template", "set", "receipt", str(edited), "--agency", "zhz", "--as", "wang"
    )
    assert result.code == 0, result
    assert "本机关模板 v1" in result.out
    issued = office("notice", "issue", REF, "receipt", "--as", "wang")
    assert issued.code == 0, issued
    shown = json.loads(office("notice", "show", "1", "--json").out)
    assert shown["template"]["version"] == 1 and shown["template"]["override_id"] is not None
    assert "（本回执加盖本机关公章）" in shown["text"]
    listed = office("notice", "template", "list", "--agency", "zhz")
    assert "receipt（政府信息公开申请登记回执）：本机关模板 v1" in listed.out
    assert office("notice", "template", "reset", "receipt", "--agency", "zhz").code == 0
    assert "receipt（政府信息公开申请登记回执）：系统模板 v1" in office(
        "notice", "template", "list", "--agency", "zhz").out  # fmt: skip


def test_errors_are_one_chinese_line(office: CliRunner, tmp_path: Path) -> None:
    assert_clean_error(
        office("notice", "issue", REF, "letter", "--as", "wang"), "未知的告知书类型", code=2
    )
    assert_clean_error(office("notice", "issue", REF, "reply", "--as", "wang"), "尚无应出具")
    assert_clean_error(office("notice", "setup", "zhz", "--pattern", "{简称}〔{年}〕"), "{号}")
    assert_clean_error(office("notice", "issue", REF, "receipt", "--field", "oops", "--as", "wang"),
                       "名称=值", code=2)  # fmt: skip
    assert_clean_error(office("notice", "show", "9999"), "没有文号或编号")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a docx")
    assert_clean_error(
        office("notice", "template", "set", "reply", str(bad), "--agency", "zhz"), "DOCX"
    )
    assert office("notice", "issue", REF, "receipt", "--as", "wang").code == 0
    assert_clean_error(office("notice", "issue", REF, "receipt", "--as", "wang"), "已出具")


def test_render_takes_the_format_from_the_output_files_extension(
    office: CliRunner, tmp_path: Path
) -> None:
    assert office("notice", "issue", REF, "receipt", "--as", "wang").code == 0
    html = tmp_path / "receipt.HTML"
    assert office("notice", "render", "1", "-o", str(html)).code == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    plain = tmp_path / "receipt"  # no extension: DOCX, as before
    assert office("notice", "render", "1", "-o", str(plain)).code == 0
    assert plain.read_bytes().startswith(b"PK")
    clash = tmp_path / "receipt.pdf"
    assert_clean_error(
        office("notice", "render", "1", "--format", "docx", "-o", str(clash)), "不一致", code=2
    )
    assert not clash.exists()


def test_a_notice_issued_long_after_its_step_says_it_is_back_dated(office: CliRunner) -> None:
    assert office("case", "register", "--agency", "zhz", "--applicant", "李四", "--channel",
                  "in_person", "--received-on", "2026-09-01", "--request", "申请公开某文件",
                  "--ref", "2026-002", "--as", "wang").code == 0  # fmt: skip
    late = office("notice", "issue", "2026-002", "receipt", "--as", "wang")
    assert late.code == 0, late
    assert "2026年9月1日落款" in late.out and "倒签" in late.out
    timely = office("notice", "issue", REF, "receipt", "--as", "wang")
    assert timely.code == 0 and "倒签" not in timely.out
