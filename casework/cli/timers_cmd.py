"""`casework timers run|rebuild|list`."""

from __future__ import annotations

import typer
from rich.markup import escape

from casework.cli.common import console, fail, parse_date, reading, today, writing
from casework.models import Case
from casework.services import recompute, timers
from workflows.actions import action_spec

app = typer.Typer(no_args_is_help=True)


@app.command("run", help="执行截至某日到期的法定处理（逾期未补正、逾期未缴费、征求意见期满）")
def run(until: str | None = typer.Option(None, "--until", help="默认今日")) -> None:
    now = today()
    end = parse_date(until, "--until") if until else now
    if end > now:
        fail(f"--until {end} 晚于今日 {now}：不能预先处理未来的期限")
    with writing() as session:
        result = timers.run_due(session, end, now)
    console.print(f"已处理 {len(result.fired)} 项到期事项（截至 {end}）")
    for ref, action, on in result.fired:
        console.print(f"  {on} 案件 {ref}：{action_spec(action).label}（{action}）")
    for ref, action, on in result.held:
        console.print(
            f"  [yellow]暂缓[/] 案件 {escape(ref)}：{action_spec(action).label}（{action}）"
            f"（{on} 为暂定日期，须负责人 confirm_expiry 确认）",
            markup=True,
        )
    for ref, action, error in result.failed:
        console.print(
            f"  [red]失败[/] 案件 {escape(ref)}：{action_spec(action).label}（{action}）：{escape(error)}",
            markup=True,
        )
    if result.failed:
        raise typer.Exit(1)


@app.command("rebuild", help="按事件记录和当前日历重建所有在办案件的期限和定时器")
def rebuild() -> None:
    with writing() as session:
        moved = recompute.rebuild(session, "重建期限（casework timers rebuild）")
    console.print(f"已重建；{len(moved)} 个期限发生变化")
    for m in moved:
        console.print(f"  案件 {m.ref} {m.clock}：{m.old_due} → {m.new_due}")


@app.command("list", help="列出待执行的定时器")
def list_timers() -> None:
    with reading() as session:
        pending = timers.due_timers(session, parse_date("2099-12-31"))
        for t in pending:
            case = session.get(Case, t.case_id)
            assert case is not None
            flag = "（暂定）" if t.provisional else ""
            console.print(f"{t.fire_on}{flag} 案件 {case.ref}：{t.action}（期限 {t.due_on}）")
        if not pending:
            console.print("没有待执行的定时器")
