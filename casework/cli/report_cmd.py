"""`casework report show` and `casework demo`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer

from casework.cli import report_publish_cmd, report_text_cmd
from casework.cli.common import console, fail, reading, settings, today, writing
from casework.cli.report_check_cmd import check_report
from casework.cli.report_query_cmd import register as register_queries
from casework.cli.report_render_cmd import render as render_command
from casework.db import make_engine, unit_of_work
from casework.errors import Invalid
from casework.migrate import upgrade
from casework.reports.document import build
from casework.reports.render import FORMATS, render_all
from casework.services.demo_people import make_demo_people
from casework.services.directory import agency_by_code
from casework.services.replay import load_file, replay
from casework.services.report_inputs import set_proactive
from casework.statistics.figures import parse_as_of, proactive_for, report
from casework.statistics.text import render_tables
from casework.timeutil import utcnow

app = typer.Typer(no_args_is_help=True)
app.command("check", help="核对已发布的年度报告（文本或网页），列出各项不一致")(check_report)
app.command("render", help="生成年度报告全文文件（HTML 等格式）")(render_command)
app.command("text", help=report_text_cmd.HELP)(report_text_cmd.text)

REPO_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _as_of(value: str | None) -> datetime:
    try:
        return parse_as_of(value)
    except Invalid as error:
        fail(str(error).replace("as_of", "--as-of", 1), 2)


@app.command("show", help="显示某年度的统计（第二、三、四部分）")
def show(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    as_of: str | None = typer.Option(None, "--as-of", help="以此时刻已记录的数据为准（默认现在）"),
    output_format: str = typer.Option("text", "--format", help="text | json"),
    output: Path | None = typer.Option(None, "-o", "--output", help="写入文件"),
    subtree: bool = typer.Option(False, "--subtree", help="包括下级机关"),
) -> None:
    if output_format not in ("text", "json"):
        fail("--format 须为 text 或 json", 2)
    instant = _as_of(as_of)
    with reading() as session:
        result = report(session, agency_by_code(session, agency), year, instant, subtree)
    if output_format == "json":
        text = json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_tables(result)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"无法写入 {output}：{error.strerror}")
    console.print(f"已写入 {output}")


@app.command("inputs", help="录入某年度主动公开情况（第二部分表格）；不带数值时显示当前数据")
def inputs(
    year: int = typer.Argument(..., min=2008, max=2099),
    agency: str = typer.Option(..., "--agency"),
    regulations: tuple[int, int, int] | None = typer.Option(
        None, "--regulations", help="规章：本年制发 本年废止 现行有效"
    ),
    normative: tuple[int, int, int] | None = typer.Option(
        None, "--normative", help="行政规范性文件：本年制发 本年废止 现行有效"
    ),
    licensing: int | None = typer.Option(None, "--licensing", help="行政许可处理决定数量"),
    penalties: int | None = typer.Option(None, "--penalties", help="行政处罚处理决定数量"),
    enforcement: int | None = typer.Option(None, "--enforcement", help="行政强制处理决定数量"),
    fees: float | None = typer.Option(None, "--fees", help="行政事业性收费金额（万元）"),
) -> None:
    given = {
        "regulations": dict(zip(("issued", "repealed", "in_force"), regulations, strict=True))
        if regulations
        else None,
        "normative_documents": dict(zip(("issued", "repealed", "in_force"), normative, strict=True))
        if normative
        else None,
        "licensing": licensing,
        "penalties": penalties,
        "enforcement": enforcement,
        "admin_fees_wan_yuan": fees,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with writing() as session:
        agency_row = agency_by_code(session, agency)
        assert agency_row.id is not None
        current = proactive_for(session, agency_row.id, year, utcnow())
        if changes:
            row = set_proactive(session, agency_row, year, current | changes, "cli")
            current, revision = row.data, row.revision
        else:
            revision = 0
    if changes:
        console.print(f"{agency} {year}年主动公开数据已保存（第{revision}版）")
    typer.echo(json.dumps(current, ensure_ascii=False, indent=2))


def demo(
    file: Path = typer.Option(REPO_EXAMPLES / "sample-2023.json", "--file", help="示例历史文件"),
) -> None:
    """A fresh SQLite database, the sample history replayed, the 2023 report printed (sections
    二–四) and written whole in every format."""
    path = settings().data_dir / "demo.sqlite"
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    upgrade(engine)
    data = load_file(file)
    now = today()
    with unit_of_work(engine) as session:
        result = replay(session, data, now, now)
    with unit_of_work(engine) as session:
        document = build(session, agency_by_code(session, data.agency.code), 2023, utcnow())
    engine.dispose()
    figures = document.figures
    console.print(
        f"示例数据库：{path}（{result.cases} 件案件，{len(result.expiries)} 项期限届满由系统处理）"
    )
    folder = settings().data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in render_all(document).items():
        (folder / f"demo-2023{FORMATS[name].suffix}").write_bytes(content)
    console.print(f"年度报告全文（{'、'.join(FORMATS)}）：{folder}/demo-2023.*\n")
    typer.echo(f"{data.agency.name}2023年政府信息公开工作年度报告（第二至四部分）\n")
    typer.echo(render_tables(figures), nl=False)


register_queries(app)  # report cell | period | rollup (casework/cli/report_query_cmd.py)
# report publish | published | drift (casework/cli/report_publish_cmd.py)
app.command("publish", help="公布年度报告：冻结统计时刻，保存各格式文件（负责人）")(
    report_publish_cmd.publish
)
app.command("published", help="查看已公布的年度报告（版次、统计时刻、摘要、文件）")(
    report_publish_cmd.published
)
app.command("drift", help="已公布年度报告与现在统计的差异，及造成差异的记录")(
    report_publish_cmd.drift_command
)


def demo_users(
    agency: list[str] = typer.Option(["zhz", "demo-zjj"], "--agency", help="示例机关代码"),
) -> None:
    """A district office over the demo agencies and a clerk, an approver and a district user
    with one generated password, shown once — for trying the web UI."""
    with writing() as session:
        people, password = make_demo_people(session, agency, utcnow())
    console.print("示例用户（网页界面 http://127.0.0.1:8000/ 登录；密码仅显示这一次）：")
    for person in people:
        console.print(f"  {person.username}（{person.display_name}，{person.role.label}）")
    console.print(f"  密码：{password}")
