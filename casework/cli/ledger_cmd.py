"""`casework ledger import|export|mapping|sample`: ledgers (台账, XLSX) in and out."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlmodel import Session, select

from casework.cli.common import console, engine, errors, fail, parse_date, reading, today
from casework.db import write_engine
from casework.ledger.exporter import export_ledger
from casework.ledger.importer import LedgerImport, import_ledger
from casework.ledger.mapping import MappingFile, load_mapping
from casework.ledger.reader import Ledger, open_ledger
from casework.ledger.sample import build_sample
from casework.models import Agency
from casework.services.directory import agency_by_code
from casework.services.replay import FileAgency
from casework.timeutil import utcnow
from workflows.actions import action_spec
from workflows.states import State

app = typer.Typer(no_args_is_help=True)

REPO_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_FILE_HELP = "台账文件（.xlsx）"
_MAPPING_HELP = "映射文件（JSON 或 TOML）：表头 → 字段、值对应、默认值"


@app.command("mapping", help="显示读取台账时各列对应的字段（导入前核对）")
def mapping(
    file: Path = typer.Argument(..., help=_FILE_HELP),
    mapping_file: Path | None = typer.Option(None, "--mapping", help=_MAPPING_HELP),
) -> None:
    with open_ledger(file, load_mapping(mapping_file)) as ledger:
        for line in ledger.plan.describe():
            console.print(line)


@app.command("import", help="导入台账：先逐行检查（含办理规则），全部无误才写入")
def import_(
    file: Path = typer.Argument(..., help=_FILE_HELP),
    mapping_file: Path | None = typer.Option(None, "--mapping", help=_MAPPING_HELP),
    agency: str | None = typer.Option(None, "--agency", help="台账所属机关的代码"),
    agency_name: str | None = typer.Option(
        None, "--agency-name", help="机关名称（机关尚未登记时新建）"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
    until: str | None = typer.Option(None, "--until", help="虚拟时钟运行到此日（默认今日）"),
) -> None:
    spec = load_mapping(mapping_file)
    now = today()
    end = parse_date(until, "--until") if until else now
    with open_ledger(file, spec) as ledger:
        if dry_run:
            for line in ledger.plan.describe():
                console.print(line)
        with _transaction() as session:
            target = _agency(session, spec, agency, agency_name)
            result = _run(session, ledger, target, end, now)
            if result.ok and result.rows and not dry_run:
                session.commit()
            # otherwise the session closes uncommitted: nothing is written
    _report(file, result, dry_run)


@app.command("export", help="导出台账（XLSX，与导入的列相同）")
def export(
    agency: str = typer.Option(..., "--agency", help="机关代码"),
    year: int | None = typer.Option(
        None, "--year", min=2008, max=2099, help="只导出该年收到的申请（默认全部）"
    ),
    output: Path = typer.Option(..., "--output", "-o", help="写入的文件（.xlsx）"),
    mask: bool = typer.Option(
        True, "--mask/--no-mask", help="遮盖申请人的姓名、证件号码、电话、地址（默认遮盖）"
    ),
) -> None:
    with reading() as session:
        try:
            count = export_ledger(
                session, agency_by_code(session, agency), year, output, mask=mask, created=utcnow()
            )
        except OSError as error:
            fail(f"无法写入 {output}：{error.strerror or error}")
    void = f"；{State.VOID.label}的 {count.void} 件未列入" if count.void else ""
    masked = "；申请人个人信息已遮盖（--no-mask 可显示）" if mask else ""
    console.print(f"已写入 {output}：{count.rows} 行{void}{masked}")


@app.command("sample", help="由示例历史重新生成示例台账（examples/ledger-sample-2023.xlsx）")
def sample(
    history: Path = typer.Option(REPO_EXAMPLES / "sample-2023.json", "--history"),
    output: Path = typer.Option(REPO_EXAMPLES / "ledger-sample-2023.xlsx", "--output", "-o"),
) -> None:
    with tempfile.TemporaryDirectory(prefix="casework-ledger-") as scratch:
        try:
            count = build_sample(history, output, today(), Path(scratch))
        except OSError as error:
            fail(f"无法写入 {output}：{error.strerror or error}")
    console.print(f"已生成示例台账 {output}：{count.rows} 行")


@contextmanager
def _transaction() -> Iterator[Session]:
    """A write transaction the command commits itself (or leaves uncommitted: rolled back)."""
    with Session(write_engine(engine()), expire_on_commit=False) as session:
        yield session


def _agency(session: Session, spec: MappingFile, code: str | None, name: str | None) -> FileAgency:
    code = code or (spec.agency.code if spec.agency else None)
    if not code:
        fail("请用 --agency 指明台账所属的机关（或在映射文件的 agency 中给出）")
    existing = session.exec(select(Agency).where(Agency.code == code)).first()
    name = name or (spec.agency.name if spec.agency else None)
    name = name or (existing.name if existing else None)
    if not name:
        fail(f"机关“{code}”尚未登记：请先 casework agency add，或用 --agency-name 给出名称以新建")
    return FileAgency(code=code, name=name)


def _run(
    session: Session, ledger: Ledger, agency: FileAgency, until: date, now: date
) -> LedgerImport:
    """The import with a progress bar on the terminal (none when the output is a file)."""
    shown = errors.is_terminal
    with Progress(
        TextColumn("导入台账"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        disable=not shown,  # the finished bar stays: how many rows, how long
    ) as bar:
        task = bar.add_task("rows", total=ledger.size() if shown else None)
        return import_ledger(session, ledger, agency, until, now, lambda n: bar.advance(task, n))


def _report(file: Path, result: LedgerImport, dry_run: bool) -> None:
    for line in result.warnings:
        console.print(f"提示：{line}")
    if not result.rows:
        fail(f"{file} 中没有数据行，未导入任何内容")
    if not result.ok:
        for line in result.problems:
            errors.print(line)
        fail(
            f"台账共 {result.rows} 行，其中 {len(result.problems)} 行无法导入；"
            "未导入任何内容，请修改后重试"
        )
    done = result.applied
    if dry_run:
        console.print(f"检查通过：{result.rows} 行均可导入（试运行，未写入）")
        return
    console.print(
        f"已导入台账 {file} 到机关 {result.agency}：{done.cases} 件案件，{done.actions} 项操作；"
        f"期限届满自动处理 {len(done.expiries)} 项（虚拟时钟至 {done.until}）"
    )
    for ref, action, on in done.held:
        console.print(
            f"  暂缓 案件 {ref}：{action_spec(action).label}（{on}，期限为暂定日期，待负责人确认）"
        )
