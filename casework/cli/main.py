"""Entry point: `casework …`. Errors a user can cause print one Chinese line and exit non-zero;
never a traceback (set CASEWORK_DEBUG=1 to see one for a bug)."""

from __future__ import annotations

import os
import sys

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from casework.cli import calendar_cmd, case_cmd, directory_cmd, replay_cmd, timers_cmd, workflow_cmd
from casework.cli.common import errors
from casework.errors import CaseworkError
from casework.workdays import CalendarRangeError

app = typer.Typer(
    name="casework",
    help="政府信息公开申请办理系统（casework）命令行",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("init", help="初始化或升级数据库（应用全部迁移）")(replay_cmd.init)
app.command("replay", help="导入案件历史文件（全部成功才写入）")(replay_cmd.replay)
app.command("deadline", help="计算工作日期限并说明推算过程")(calendar_cmd.deadline)
app.add_typer(case_cmd.app, name="case", help="案件：登记、列表、查看、办理")
app.add_typer(calendar_cmd.app, name="calendar", help="工作日历：查看、调整")
app.add_typer(timers_cmd.app, name="timers", help="期限定时器：执行到期处理、重建")
app.add_typer(workflow_cmd.app, name="workflow", help="办理流程：状态图")
app.add_typer(directory_cmd.agency_app, name="agency", help="机关")
app.add_typer(directory_cmd.user_app, name="user", help="用户与角色")


def run() -> None:
    try:
        app()
    except CaseworkError as error:
        errors.print(f"[bold red]错误：[/]{error}", markup=True)
        sys.exit(1)
    except CalendarRangeError as error:
        errors.print(f"[bold red]错误：[/]{error}", markup=True)
        sys.exit(1)
    except OperationalError as error:
        if os.environ.get("CASEWORK_DEBUG"):
            raise
        errors.print(f"[bold red]错误：[/]无法访问数据库：{error.orig}", markup=True)
        sys.exit(1)
    except SQLAlchemyError as error:
        if os.environ.get("CASEWORK_DEBUG"):
            raise
        errors.print(f"[bold red]错误：[/]数据库错误：{type(error).__name__}", markup=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
