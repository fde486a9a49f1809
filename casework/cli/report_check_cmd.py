"""`casework report check FILE [--previous FILE]`: read a published annual report (text or
HTML) and list every inconsistency. Exit 0 when clean, 1 when problems are found, 2 when the
file cannot be read as a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from casework.cli.common import fail
from casework.reports.check import ParsedReport, Problem, Unreadable, check, read_report
from casework.reports.check.formats import VERSION_NAMES


def _read(path: Path) -> ParsedReport:
    try:
        return read_report(path)
    except Unreadable as error:
        fail(str(error), 2)


def _about(report: ParsedReport) -> dict[str, Any]:
    return {
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "format_version": report.format_version,
        "source": report.source,
    }


def _text(
    path: Path, report: ParsedReport, previous: ParsedReport | None, problems: list[Problem]
) -> str:
    lines = [
        f"文件：{path}",
        f"标题：{report.title or '未找到'}",
        f"机关：{report.agency or '未找到'}",
        f"年度：{report.year or '未找到'}",
        f"格式：{VERSION_NAMES.get(report.format_version or '', '无法判断')}",
    ]
    if previous is not None:
        lines.append(f"上年报告：{previous.title or '标题未找到'}")
    if not problems:
        lines.append("未发现不一致。")
    else:
        lines.append(f"发现 {len(problems)} 处问题：")
        lines += [f"{i}. {p.message}" for i, p in enumerate(problems, 1)]
    return "\n".join(lines) + "\n"


def check_report(
    file: Path = typer.Argument(..., help="年度报告文件（纯文本或网页 HTML）"),
    previous: Path | None = typer.Option(
        None, "--previous", help="上一年度的报告文件，用于核对上年结转"
    ),
    output_format: str = typer.Option("text", "--format", help="text | json"),
) -> None:
    """核对已发布的年度报告：各行、各列之和，勾稽关系，复议诉讼合计，上年结转，正文数字。"""
    if output_format not in ("text", "json"):
        fail("--format 须为 text 或 json", 2)
    report = _read(file)
    last = _read(previous) if previous is not None else None
    problems = check(report, last)
    if output_format == "json":
        data = {
            "file": str(file),
            **_about(report),
            "previous": {"file": str(previous), **_about(last)} if last and previous else None,
            "ok": not problems,
            "problems": [p.as_json() for p in problems],
            "figures": report.figures_json(),
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(_text(file, report, last, problems), nl=False)
    raise typer.Exit(1 if problems else 0)
