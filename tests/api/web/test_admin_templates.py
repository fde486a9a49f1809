"""管理 › 告知书模板 in a real browser: every kind listed with the template in use, the DOCX
downloaded, a new version uploaded (and a broken file refused), previewed, and the built-in
template taken back."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect

from casework.notices import library
from casework.notices.kinds import NoticeKind
from tests.api.conftest import World
from tests.api.web.conftest import login


def _section(page: Page, kind: NoticeKind):  # type: ignore[no-untyped-def]
    return page.locator(f"#tpl-{kind.value}")


def _text(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


def test_every_kind_is_listed_and_its_template_downloads(page: Page, world: World) -> None:
    login(page, world, "street_admin")
    page.goto("/admin/templates")
    expect(page.locator("section.tpl")).to_have_count(len(NoticeKind))
    for kind in NoticeKind:
        expect(_section(page, kind).get_by_role("heading")).to_have_text(kind.label)
        expect(_section(page, kind).locator(".tpl-current")).to_have_text("系统模板 v1")
    with page.expect_download() as download:
        _section(page, NoticeKind.REPLY).get_by_role("link", name="下载").first.click()
    data = Path(download.value.path()).read_bytes()
    assert data == library.builtin(NoticeKind.REPLY).docx
    assert download.value.suggested_filename.endswith(".docx")


def test_an_uploaded_version_is_used_previewed_and_can_be_taken_back(
    page: Page, world: World, tmp_path: Path
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    builtin = library.builtin(NoticeKind.CORRECTION).docx
    document = Document(io.BytesIO(builtin))
    document.add_paragraph("（本机关自定义：请携带身份证件原件）")
    mine = tmp_path / "correction.docx"
    document.save(mine)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a word file")

    login(page, world, "street_admin")
    page.goto("/admin/templates")
    section = _section(page, NoticeKind.CORRECTION)
    section.get_by_text("上传新版本").click()
    section.get_by_label("DOCX 文件").set_input_files(broken)
    section.get_by_role("button", name="上传为新版本").click()
    section = _section(page, NoticeKind.CORRECTION)
    expect(section.locator(".field-error")).to_contain_text("不是有效的 DOCX 文件")

    section.get_by_label("DOCX 文件").set_input_files(mine)
    section.get_by_label("说明").fill("加注携带证件")
    section.get_by_role("button", name="上传为新版本").click()
    expect(page.get_by_role("status").filter(has_text="本机关模板 v1")).to_be_visible()
    section = _section(page, NoticeKind.CORRECTION)
    expect(section.locator(".tpl-current")).to_have_text("本机关模板 v1")
    expect(section.locator("table.tpl-versions")).to_contain_text("加注携带证件")

    with page.context.expect_page() as opened:
        section.locator(".tpl-line").get_by_role("link", name="预览").click()
    preview = opened.value
    expect(preview.locator("body")).to_contain_text("模板预览")
    expect(preview.locator("body")).to_contain_text("请携带身份证件原件")
    expect(preview.locator("body")).to_contain_text("请明确所需信息的名称")  # the sample facts
    preview.close()
    answer = page.request.get(f"/admin/templates/correction/file?agency={world.code('zhz')}")
    assert "请携带身份证件原件" in _text(answer.body())

    section.get_by_role("button", name="恢复系统模板").click()
    section = _section(page, NoticeKind.CORRECTION)
    expect(section.locator(".tpl-current")).to_have_text("系统模板 v1")
    expect(section.locator("table.tpl-versions")).to_contain_text("已停用")
