"""`casework timers run|rebuild|list|sweep`."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import typer
from rich.markup import escape
from sqlmodel import col, select

from casework.cli.common import console, engine, fail, parse_date, reading, settings, today, writing
from casework.cli.inbox_cmd import STATUS_LABELS as DELIVERY_STATUSES
from casework.models import Case, Timer
from casework.services import daily, recompute, timers
from casework.services.delivery import deliver_due
from casework.services.sweep import claim_due, fire_claimed
from casework.timeutil import CHINA
from workflows.actions import action_spec
from workflows.clocks import Clock

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


THRESHOLDS = {"due": "到期当日提醒", "overdue": "逾期提醒"}
STATUSES = {"pending": "", "claimed": "（执行中）", "held": "（暂缓：待负责人确认）"}


@app.command("list", help="列出待执行的定时器（法定处理和期限提醒）")
def list_timers() -> None:
    with reading() as session:
        live = session.exec(
            select(Timer)
            .where(col(Timer.status).in_(timers.LIVE_STATUSES))
            .order_by(col(Timer.fire_at), col(Timer.id))
        ).all()
        for t in live:
            case = session.get(Case, t.case_id)
            assert case is not None
            flag = "（暂定）" if t.provisional else ""
            if t.kind == "expiry":
                what = f"{action_spec(t.action).label}（{t.action}）"
            elif t.threshold.startswith("before:"):
                what = f"提前{t.threshold.removeprefix('before:')}个工作日提醒"
            else:
                what = THRESHOLDS.get(t.threshold, t.threshold)
            when = t.fire_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
            label = Clock(t.clock).label
            console.print(
                f"{when}{flag} 案件 {case.ref}：{label} {t.due_on} — {what}{STATUSES[t.status]}"
            )
        if not live:
            console.print("没有待执行的定时器")


@app.command(
    "sweep", help="执行一轮到期处理、提醒、通知发送和每日汇总（不经任务队列，可由 cron 调用）"
)
def sweep_now() -> None:
    config = settings()
    now, day = config.instant(), config.current_day()
    stale = timedelta(seconds=config.stale_claim_seconds)
    outcomes: Counter[str] = Counter()
    seen: set[int] = set()
    while True:  # a batch at a time while full batches come (a failed timer is due again)
        with writing() as session:
            ids = claim_due(session, now, config.sweep_batch, stale)
        outcomes.update(fire_claimed(engine(), ids, day, config.fire_batch))
        fresh = set(ids) - seen
        seen |= fresh
        if len(ids) < config.sweep_batch or not fresh:
            break
    with writing() as session:
        digests, calendar, reports = daily.run_daily(session, now)
    sent = deliver_due(engine(), config, now)
    labels = {
        "error": "出错（已记录日志，稍后重试）",
        "fired": "已执行",
        "held": "暂缓",
        "skipped": "已过时跳过",
        "gone": "已失效",
        "failed": "失败",
    }
    parts = [f"{labels[k]} {v}" for k, v in sorted(outcomes.items())]
    console.print(f"定时器 {len(seen)} 个" + (f"（{'，'.join(parts)}）" if parts else ""))
    console.print(f"逾期汇总 {digests} 份；日历提醒 {calendar} 份；年度报告提醒 {reports} 份")
    sending = "；".join(f"{DELIVERY_STATUSES.get(k, k)} {v}" for k, v in sorted(sent.items()))
    console.print("通知发送：" + (sending or "无"))
    if outcomes.get("failed") or outcomes.get("error") or sent.get("failed"):
        raise typer.Exit(1)
