"""`casework report render`: the whole annual report as a file, in any registered format."""

from __future__ import annotations

from pathlib import Path

import typer

from casework.cli.common import console, fail, reading
from casework.errors import Invalid
from casework.reports.download import format_named, render_report
from casework.reports.render import FORMATS
from casework.services.directory import agency_by_code
from casework.statistics.figures import parse_as_of


def render(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    output_format: str = typer.Option(
        "html", "--format", help=f"文件格式：{' | '.join(FORMATS)}（默认 html）"
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="以此时刻已记录的数据为准（默认现在）"),
    subtree: bool = typer.Option(False, "--subtree", help="包括下级机关"),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="写入此文件（默认：当前目录下以报告标题命名）"
    ),
) -> None:
    try:
        format_named(output_format)
        instant = parse_as_of(as_of)
    except Invalid as error:
        fail(str(error).replace("as_of", "--as-of", 1), 2)
    if output is not None and output.is_dir():
        fail(f"输出路径“{output}”是目录，请给出文件名", 2)
    with reading() as session:
        found = agency_by_code(session, agency)
        rendered = render_report(session, found, year, instant, output_format, subtree)
    target = output or Path(rendered.filename)
    _write(target, rendered.content)
    console.print(f"已写入 {target}（{output_format}，{len(rendered.content):,} 字节）")


def _write(target: Path, content: bytes) -> None:
    """Written beside the target and renamed once whole: a failed write leaves no half file."""
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(content)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(f"无法写入“{target}”：{_reason(error, target)}")


def _reason(error: OSError, target: Path) -> str:
    if isinstance(error, FileNotFoundError):
        return f"目录“{target.parent}”不存在"
    if isinstance(error, PermissionError):
        return "没有写入权限"
    return error.strerror or str(error)
