"""`casework case file REF`: the case file (案卷) as one ZIP, or its cover list as PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from casework.attachments.intake import store_for
from casework.casefile.archive import archive_root, cover_only, write_case_file
from casework.cli.common import console, fail, reading, settings, today
from casework.services.snapshots import find_case
from casework.timeutil import utcnow


def case_file(
    ref: str = typer.Argument(..., help="案号"),
    agency: str | None = typer.Option(None, "--agency", help="机关代码（案号在多个机关重复时）"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="ZIP 文件路径（默认：案卷-案号.zip）"
    ),
    cover: Path | None = typer.Option(None, "--cover", help="另存卷内目录 PDF 到此路径"),
) -> None:
    store = store_for(settings())
    with reading() as session:
        case = find_case(session, ref, agency)
        target = output or Path(f"{archive_root(case)}.zip")
        if target.exists() and target.is_dir():
            fail(f"输出路径“{target}”是目录，请给出文件名", 2)
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                written = write_case_file(session, store, case, out, utcnow())
            partial.replace(target)  # a half-written archive never takes the name
        except OSError as error:
            partial.unlink(missing_ok=True)
            fail(f"无法写入“{target}”：{error.strerror}")
        if cover is not None:
            cover.write_bytes(cover_only(session, store, case, today()))
    console.print(
        f"案卷已导出：{target}（{written.files} 个文件，内容 {written.bytes:,} 字节）"
        + (f"；卷内目录：{cover}" if cover else "")
    )
