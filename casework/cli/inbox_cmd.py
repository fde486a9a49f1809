"""`casework inbox` (a user's alerts) and `casework notify list|send` (e-mail and webhook
deliveries)."""

from __future__ import annotations

import json

import typer
from rich.markup import escape
from sqlmodel import col, select

from casework.cli.common import console, engine, fail, reading, settings, username, writing
from casework.models import Alert, Delivery
from casework.services.delivery import deliver_due
from casework.services.directory import user_by_name
from casework.services.inbox import inbox, mark_read
from casework.timeutil import CHINA

inbox_app = typer.Typer(no_args_is_help=False, invoke_without_command=True)
notify_app = typer.Typer(no_args_is_help=True)

KIND_LABELS = {
    "reminder": "期限提醒",
    "overdue": "逾期",
    "expired": "期限届满",
    "held": "待确认",
    "moved": "期限变更",
    "digest": "逾期汇总",
    "calendar": "工作日历",
    "report_draft": "年度报告草稿",
    "report_due": "年度报告提醒",
    "report_overdue": "年度报告逾期",
}
STATUS_LABELS = {
    "pending": "待发送",
    "queued": "排队中",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "失败",
}


@inbox_app.callback()
def show(
    ctx: typer.Context,
    as_user: str | None = typer.Option(None, "--as", help="用户名"),
    everything: bool = typer.Option(False, "--all", help="包括已读的通知"),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """收件箱：列出通知（默认只列未读）"""
    if ctx.invoked_subcommand is not None:
        return
    with reading() as session:
        user = user_by_name(session, username(as_user))
        items = inbox(session, user, unread_only=not everything, limit=limit)
    if as_json:
        rows = [
            {
                "id": i.id,
                "kind": i.kind,
                "subject": i.subject,
                "body": i.body,
                "link": i.link,
                "created_at": i.created_at.isoformat(),
                "read_at": i.read_at.isoformat() if i.read_at else None,
            }
            for i in items
        ]
        console.print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not items:
        console.print("没有" + ("" if everything else "未读") + "通知")
    for item in items:
        mark = "" if item.read_at else "[bold]●[/] "
        console.print(
            f"{mark}#{item.id} [{escape(KIND_LABELS.get(item.kind, item.kind))}] "
            f"{escape(item.subject)}",
            markup=True,
        )
        console.print(
            f"    {item.created_at.astimezone(CHINA).strftime('%Y-%m-%d %H:%M')}  {item.link or ''}"
        )


@inbox_app.command("read", help="标为已读")
def read(
    ids: list[int] = typer.Argument(..., help="通知编号"),
    as_user: str | None = typer.Option(None, "--as", help="用户名"),
) -> None:
    with writing() as session:
        user = user_by_name(session, username(as_user))
        changed = mark_read(session, user, ids, settings().instant())
    console.print(f"已标为已读：{changed} 条")


@notify_app.command("list", help="列出邮件和 webhook 的发送记录")
def list_deliveries(
    status: str | None = typer.Option(None, "--status", help="pending|queued|sending|sent|failed"),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
) -> None:
    if status is not None and status not in STATUS_LABELS:
        fail(f"--status 应为 {'、'.join(STATUS_LABELS)} 之一，而不是“{status}”")
    with reading() as session:
        query = (
            select(Delivery, Alert)
            .join(Alert, col(Alert.id) == col(Delivery.alert_id))
            .order_by(col(Delivery.id).desc())
            .limit(limit)
        )
        if status is not None:
            query = query.where(Delivery.status == status)
        rows = session.exec(query).all()
    if not rows:
        console.print("没有发送记录")
    for delivery, alert in rows:
        line = (
            f"#{delivery.id} {STATUS_LABELS.get(delivery.status, delivery.status)} "
            f"{delivery.channel} {delivery.target}  第{delivery.attempts}次  {alert.subject}"
        )
        console.print(line)
        if delivery.last_error:
            console.print(f"    错误：{delivery.last_error}")


@notify_app.command("send", help="立即发送到期的邮件和 webhook（不经任务队列）")
def send_now() -> None:
    counts = deliver_due(engine(), settings())
    if not counts:
        console.print("没有待发送的通知")
        return
    console.print("；".join(f"{STATUS_LABELS.get(k, k)} {v} 条" for k, v in sorted(counts.items())))
    if counts.get("failed"):
        raise typer.Exit(1)
