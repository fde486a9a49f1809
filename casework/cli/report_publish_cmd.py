"""`casework report publish | published | drift`: freeze a year's report, show what was
published (and save its files), and what has changed since (DESIGN §3.6)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from casework.cli.common import console, fail, print_json, reading, today, username, writing
from casework.errors import Invalid, NotFound
from casework.reports import publications
from casework.reports import publish as publishing
from casework.reports.changes import Place
from casework.reports.drift import Cause, Cell, Drift, action_label, drift
from casework.services.appeals import KINDS, RESULTS
from casework.services.directory import actor_for, agency_by_code
from casework.statistics.figures import parse_as_of
from casework.statistics.text import ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW, ROW_TOTAL
from casework.timeutil import CHINA, utcnow
from workflows.outcomes import ApplicantKind, outcome

NOT_PUBLISHED = 2  # exit code of `published` and `drift` for a year not published
TOTAL = "总计"
TABLE_NAMES = {
    "requests": "表三",
    "appeals": "表四",
    "proactive": "第二部分",
    "fees": "信息处理费",
}
REQUEST_ROWS = {
    "new": ROW_NEW,
    "carried_in": ROW_CARRIED_IN,
    "concluded_total": ROW_TOTAL,
    "carried_out": ROW_CARRIED_OUT,
}
APPEAL_COLUMNS = {**RESULTS, "pending": "尚未审结", "total": TOTAL}


def _china(instant: datetime) -> str:
    return f"{instant.astimezone(CHINA):%Y-%m-%d %H:%M:%S}（北京时间）"


def _row(code: str) -> str:
    return REQUEST_ROWS.get(code) or outcome(code).full_label


def _column(code: str) -> str:
    return TOTAL if code == "total" else ApplicantKind(code).label


def _cell(cell: Cell) -> str:
    table = TABLE_NAMES.get(cell.table, cell.table)
    if cell.table == "requests":
        where = f"{_row(cell.row)} · {_column(cell.column)}"
    elif cell.table == "appeals":
        where = f"{KINDS.get(cell.row, cell.row)} · {APPEAL_COLUMNS.get(cell.column, cell.column)}"
    else:
        where = f"{cell.row}.{cell.column}" if cell.column else cell.row
    delta = f"（{cell.delta:+d}）" if cell.delta is not None else ""
    return f"{table} {where}：公布 {cell.published} → 现在 {cell.current}{delta}"


def _place(kind: str, place: Place) -> str:
    if place is None:
        return "不计入"
    if kind == "appeal":
        return f"{KINDS.get(place[0], place[0])} {APPEAL_COLUMNS.get(place[1], place[1])}"
    return f"{_row(place[0])} / {_row(place[1])}"


def _action(name: str) -> str:
    return f"{action_label(name)}（{name}）"


def _cause(cause: Cause) -> str:
    if cause.kind == "case":
        who = f"案件 {cause.ref}（{_column(cause.column)}）"
    elif cause.kind == "input":
        who = f"第二部分 {cause.ref}"
    elif cause.kind == "fee":
        who = f"案件 {cause.ref}"
    else:
        who = cause.ref
    on = f"，生效日期 {cause.effective_on}" if cause.effective_on else ""
    line = f"{who}：{_action(cause.action)}{on}，记录于 {_china(cause.recorded_at)}，{cause.actor}"
    before, after = cause.before, cause.after
    if cause.kind == "case" and before and after and before[0] == after[0]:
        line += f"：{_row(before[1])} → {_row(after[1])}"  # received the same: only where to
    elif cause.kind in ("case", "appeal"):
        line += f"：{_place(cause.kind, before)} → {_place(cause.kind, after)}"
    return line


def publish(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="统计时刻：以此时刻已记录的数据为准（默认现在；须在年度结束之后）"
    ),
    reason: str | None = typer.Option(None, "--reason", help="更正理由（再次公布同一年度时必填）"),
    allow_starter_text: bool = typer.Option(
        False, "--allow-starter-text", help="第一、五、六部分仍是系统草稿时也公布"
    ),
    as_user: str | None = typer.Option(None, "--as", help="公布人（本机关负责人的用户名）"),
) -> None:
    instant = None
    if as_of is not None:
        try:
            instant = parse_as_of(as_of)
        except Invalid as error:
            fail(str(error).replace("as_of", "--as-of", 1), 2)
    name = username(as_user)
    with writing() as session:
        found = agency_by_code(session, agency)
        actor = actor_for(session, name, found, today())
        done = publishing.publish(
            session, found, year, actor, utcnow(), instant, reason,
            allow_starter_text=allow_starter_text,
        )  # fmt: skip
        row = done.publication
        sizes = [(f.format, f.filename, len(f.content)) for f in done.files]
    console.print(
        f"{agency} {year}年度报告已公布（第{row.revision}版），统计时刻 {_china(row.as_of)}"
    )
    console.print(f"内容摘要（SHA-256）：{row.content_hash}")
    for fmt, filename, size in sizes:
        console.print(f"  {fmt:<5} {filename}（{size:,} 字节）")
    for warning in done.warnings:
        console.print(f"注意：{warning}")


def published(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    revision: int | None = typer.Option(None, "--revision", min=1, help="第几版（默认最新）"),
    save: Path | None = typer.Option(None, "--save", help="把公布的文件保存到此目录"),
    force: bool = typer.Option(False, "--force", help="覆盖目录中的同名文件"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    with reading() as session:
        found = agency_by_code(session, agency)
        try:
            row = publishing.require_published(session, found, year, revision)
        except NotFound as error:
            fail(str(error), NOT_PUBLISHED)
        stored = publishing.files(session, row)
        intact = publishing.verify(row, stored)
        count = len(publications.revisions(session, row.agency_id, year))
    if save is not None:
        _save(save, [(f.filename, f.content) for f in stored], force)
    if as_json:
        print_json(
            {
                "agency": agency,
                "year": year,
                "revision": row.revision,
                "revisions": count,
                "as_of": row.as_of.isoformat().replace("+00:00", "Z"),
                "content_hash": row.content_hash,
                "verified": intact,
                "reason": row.reason,
                "published_by": row.published_by,
                "published_at": row.published_at.isoformat().replace("+00:00", "Z"),
                "files": [
                    {"format": f.format, "filename": f.filename, "size": len(f.content),
                     "sha256": f.sha256} for f in stored
                ],
            }
        )  # fmt: skip
        return
    console.print(f"{agency} {year}年度报告 第{row.revision}版（共{count}版）")
    console.print(f"统计时刻：{_china(row.as_of)}")
    console.print(f"公布：{_china(row.published_at)}，{row.published_by}")
    if row.reason:
        console.print(f"更正理由：{row.reason}")
    check = "校验通过" if intact else "校验不通过：存储的内容与摘要不符"
    console.print(f"内容摘要（SHA-256）：{row.content_hash}（{check}）")
    for f in stored:
        console.print(f"  {f.format:<5} {f.filename}（{len(f.content):,} 字节）")
    if save is not None:
        console.print(f"已保存 {len(stored)} 个文件到 {save}")
    if not intact:
        raise typer.Exit(1)


def _save(folder: Path, items: list[tuple[str, bytes]], force: bool) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"无法创建目录 {folder}：{error.strerror}")
    existing = [name for name, _ in items if (folder / name).exists()]
    if existing and not force:
        fail(f"{folder} 中已有 {'、'.join(existing)}（用 --force 覆盖）")
    for name, content in items:
        try:
            (folder / name).write_bytes(content)
        except OSError as error:
            fail(f"无法写入 {folder / name}：{error.strerror}")


def drift_command(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    with reading() as session:
        found = agency_by_code(session, agency)
        try:
            result = drift(session, found, year, utcnow())
        except NotFound as error:
            fail(str(error), NOT_PUBLISHED)
    if as_json:
        print_json(result.as_json())
        return
    _print_drift(agency, result)


def _print_drift(agency: str, result: Drift) -> None:
    head = f"{agency} {result.year}年度报告（第{result.revision}版，统计时刻 "
    head += f"{_china(result.published_as_of)}）"
    if result.empty:
        console.print(f"{head}公布以来没有变化：现在的统计与公布的一致")
        return
    console.print(f"{head}公布以来的变化（现在：{_china(result.as_of)}）")
    console.print(f"变化的单元格（{len(result.cells)}）：")
    for cell in result.cells:
        console.print(f"  {_cell(cell)}")
    if not result.cells:
        console.print("  无（下列记录未改变任何数字）")
    console.print(f"原因（{len(result.causes)}）：")
    for cause in result.causes:
        console.print(f"  {_cause(cause)}")
