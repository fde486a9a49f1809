"""`casework report text YEAR --agency X`: sections 一, 五 and 六 of the annual report — shown
(the latest saved revision, or the starter drafted from the figures), or one section replaced
from a file (`--section … --file F`, `-` for standard input) or in $EDITOR (`--edit`). Saving
goes through the same door as the API (`casework.reports.sections`)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import typer

from casework.cli.common import console, fail, reading, writing
from casework.reports.narratives import SECTION_TITLES, SECTIONS
from casework.reports.sections import TextSections, save_section, text_sections
from casework.services.directory import agency_by_code
from casework.timeutil import CHINA, utcnow

HELP = (
    "年度报告文字部分（一、五、六）：显示初稿或已保存的文字；--section 与 --file/--edit 保存新版本"
)
MAX_FILE_BYTES = 1024 * 1024  # far above a section's limit: the limit's own message answers


def _read(source: str) -> str:
    try:
        if source == "-":
            return sys.stdin.read()
        path = Path(source)
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"文件 {source} 过大（超过 {MAX_FILE_BYTES // 1024} KB）", 2)
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{'标准输入' if source == '-' else source} 不是 UTF-8 编码的文本", 2)
    except OSError as error:
        fail(f"无法读取 {source}：{error.strerror}", 2)


def _edit(text: str) -> str:
    """The text after the user edited it in $VISUAL or $EDITOR (a temporary UTF-8 file)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        fail("未设置编辑器：请设置环境变量 EDITOR（如 EDITOR=nano），或改用 --file", 2)
    with tempfile.TemporaryDirectory(prefix="casework-") as folder:
        path = Path(folder) / "section.txt"
        path.write_text(text + "\n", encoding="utf-8")
        try:
            code = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
        except (OSError, ValueError) as error:
            fail(f"无法启动编辑器 {editor}：{error}", 2)
        if code != 0:
            fail(f"编辑器 {editor} 异常退出（{code}），未保存")
        return _read(str(path))


def _status(sections: TextSections) -> str:
    n = sections.narratives
    if n.revision == 0:
        return "初稿（尚未保存，按当前数据生成）"
    when = n.recorded_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if n.recorded_at else ""
    if n.is_starter:
        return f"第{n.revision}版：系统于 {when} 生成的初稿，尚未编辑"
    return f"第{n.revision}版（{n.recorded_by}，{when}）"


def _show(sections: TextSections, only: str | None) -> None:
    n = sections.narratives
    agency = sections.agency
    console.print(f"{agency.name}{sections.year}年政府信息公开工作年度报告：文字部分")
    console.print(_status(sections))
    left = sections.placeholders
    if left:
        console.print(f"尚有{len(left)}处待填写：")
        for item in left:
            console.print(f"  · {item}")
    for name in SECTIONS:
        if only is not None and name != only:
            continue
        typer.echo(f"\n{SECTION_TITLES[name]}\n")
        if name == "other":
            typer.echo(sections.fee_statement)
            typer.echo("（以上信息处理费情况由收费记录自动生成，不在此编辑）\n")
        typer.echo(n.section(name) or "（空）")


def text(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    section: str | None = typer.Option(
        None, "--section", help="overview（一）| problems（五）| other（六）"
    ),
    file: str | None = typer.Option(
        None, "--file", help="以此文件（UTF-8）的内容保存该部分；- 为标准输入"
    ),
    edit: bool = typer.Option(False, "--edit", help="在 $EDITOR 中编辑该部分后保存"),
    output_format: str = typer.Option("text", "--format", help="text | json"),
    as_user: str | None = typer.Option(
        None, "--as", help="记录的保存人（默认 CASEWORK_USER 或 cli）"
    ),
) -> None:
    if output_format not in ("text", "json"):
        fail("--format 须为 text 或 json", 2)
    if section is not None and section not in SECTIONS:
        fail(f"--section 须为 {'、'.join(SECTIONS)} 之一", 2)
    if (file is not None or edit) and section is None:
        fail("保存时须用 --section 指明保存哪一部分（overview、problems 或 other）", 2)
    if file is not None and edit:
        fail("--file 与 --edit 只能用其一", 2)
    now = utcnow()
    with reading() as session:
        current = text_sections(session, agency_by_code(session, agency), year, now)
    if section is not None and (file is not None or edit):
        if file is not None:
            new_text = _read(file)
        else:
            before = current.narratives.section(section)
            new_text = _edit(before)
            if new_text.strip() == before.strip():
                console.print("未作修改，未保存")
                return
        actor = as_user or os.environ.get("CASEWORK_USER") or "cli"
        with writing() as session:
            row = save_section(
                session,
                agency_by_code(session, agency),
                year,
                section,
                new_text,
                actor,
                now,
                expected_revision=current.narratives.revision,
            )
        if row.revision == current.narratives.revision:
            console.print("内容未变，未另存新版本")
        else:
            console.print(
                f"已保存{current.agency.name}{year}年报告文字"
                f"“{SECTION_TITLES[section]}”（第{row.revision}版）"
            )
        with reading() as session:
            current = text_sections(session, agency_by_code(session, agency), year, now)
    if output_format == "json":
        typer.echo(json.dumps(current.as_json(), ensure_ascii=False, indent=2))
        return
    _show(current, section)
