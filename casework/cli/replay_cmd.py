"""`casework init` and `casework replay`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from casework.cli.common import console, engine, fail, parse_date, today, writing
from casework.migrate import upgrade
from casework.services.replay import load_file
from casework.services.replay import replay as replay_file
from workflows.actions import action_spec


def init() -> None:
    eng = engine(migrated=False)
    upgrade(eng)
    console.print(f"数据库已就绪：{eng.url.render_as_string(hide_password=True)}")


def replay(
    file: Path = typer.Argument(..., help="案件历史 JSON 文件（格式见 DESIGN §5）"),
    until: str | None = typer.Option(None, "--until", help="虚拟时钟运行到此日（默认今日）"),
) -> None:
    try:
        data = load_file(file)
    except IsADirectoryError:
        fail(f"{file} 是目录，不是案件历史文件")
    except PermissionError:
        fail(f"没有读取 {file} 的权限")
    except OSError as error:
        fail(f"无法读取 {file}：{error.strerror or error}")
    now = today()
    end = parse_date(until, "--until") if until else now
    with writing() as session:
        result = replay_file(session, data, end, now)
    console.print(
        f"已导入 {result.agency}：{result.cases} 件案件，{result.actions} 项操作；"
        f"期限届满自动处理 {len(result.expiries)} 项（虚拟时钟至 {result.until}）"
    )
    for ref, action, on in result.expiries:
        console.print(f"  {on} 案件 {ref}：{action_spec(action).label}（{action}）")
    for ref, action, on in result.held:
        console.print(
            f"  [yellow]暂缓[/] 案件 {escape(ref)}：{action_spec(action).label}（{action}）（{on}，期限为暂定日期，待负责人确认）",
            markup=True,
        )
    if result.appeals:
        console.print(f"  复议/诉讼记录 {result.appeals} 项")
