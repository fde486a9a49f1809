"""Entry point: `casework …`. Errors a user can cause print one Chinese line and exit non-zero;
never a traceback (set CASEWORK_DEBUG=1 to see one for a bug)."""

from __future__ import annotations

import os
import re
import sys
from typing import Any, NoReturn

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from casework.cli import (
    appeal_cmd,
    attachment_cmd,
    calendar_cmd,
    case_cmd,
    casefile_cmd,
    directory_cmd,
    inbox_cmd,
    ledger_cmd,
    notice_cmd,
    replay_cmd,
    report_cmd,
    supervision_cmd,
    timers_cmd,
    worker_cmd,
    workflow_cmd,
)
from casework.cli.common import print_error
from casework.errors import CaseworkError
from casework.workdays import CalendarRangeError

try:  # typer ≥ 0.20 ships its own copy of click
    from typer._click.exceptions import (
        BadOptionUsage,
        BadParameter,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )
except ImportError:  # pragma: no cover - older typer on the real click
    from click.exceptions import (  # type: ignore[assignment]
        BadOptionUsage,
        BadParameter,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )

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
case_cmd.app.command("attach", help="上传附件（申请材料扫描件、送达凭证等）")(attachment_cmd.attach)
case_cmd.app.command("attachments", help="列出案件的附件")(attachment_cmd.attachments)
case_cmd.app.command("attachment", help="下载一个附件到文件")(attachment_cmd.attachment)
case_cmd.app.command("file", help="导出案卷（ZIP）：申请、全部告知书、附件、办理记录和卷内目录")(
    casefile_cmd.case_file
)
case_cmd.app.command("withdraw-attachment", help="撤回附件（记录和文件均保留）")(
    attachment_cmd.withdraw_attachment
)
case_cmd.app.command("supervise", help="督办（上级政务公开办）：记录督办意见并通知该机关")(
    supervision_cmd.supervise_command
)
case_cmd.app.command("supervisions", help="列出案件的督办记录")(
    supervision_cmd.supervisions_command
)
app.add_typer(calendar_cmd.app, name="calendar", help="工作日历：查看、调整")
app.add_typer(timers_cmd.app, name="timers", help="期限定时器：执行到期处理、重建")
app.add_typer(workflow_cmd.app, name="workflow", help="办理流程：状态图")
app.add_typer(inbox_cmd.inbox_app, name="inbox", help="收件箱：期限提醒、逾期和期限届满通知")
app.add_typer(inbox_cmd.notify_app, name="notify", help="邮件和 webhook 通知的发送记录")
app.add_typer(directory_cmd.agency_app, name="agency", help="机关")
app.add_typer(directory_cmd.user_app, name="user", help="用户与角色")
app.add_typer(report_cmd.app, name="report", help="年度报告统计")
app.add_typer(appeal_cmd.app, name="appeal", help="行政复议、行政诉讼")
app.add_typer(ledger_cmd.app, name="ledger", help="台账（XLSX）：导入、导出、列对应")
app.add_typer(
    notice_cmd.app, name="notice", help="告知书：出具（取文号）、列表、查看、输出文件、模板"
)
app.command("demo", help="示例：新建 SQLite 数据库，导入示例历史，输出2023年度报告")(
    report_cmd.demo
)
app.command(
    "demo-users", help="示例：建区政务公开办和示例用户（经办人、负责人、政务公开办），显示密码"
)(report_cmd.demo_users)
app.command(
    "worker",
    help="运行 Celery 工作进程，按时执行到期的定时器（未设置 CASEWORK_BROKER_URL 时为内置模式：单进程，含 beat）",
)(worker_cmd.worker)
app.command("beat", help="运行 Celery beat：定期触发扫描到期定时器（调度文件在数据目录）")(
    worker_cmd.beat
)
app.command(
    "serve",
    help="运行主服务：HTTP 接口，以及（未设置 CASEWORK_BROKER_URL 时）内置的定时任务工作进程（按 Ctrl-C 停止）",
)(worker_cmd.serve)


# typer/click's own messages about a parameter's value → Chinese.
_VALUE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"valid integer", "须为整数"),
    (r"valid number|valid float", "须为数字"),
    (r"greater than or equal to (\S+)", r"须不小于 \1"),
    (r"less than or equal to (\S+)", r"须不大于 \1"),
    (r"greater than (\S+)", r"须大于 \1"),
    (r"less than (\S+)", r"须小于 \1"),
    (r"is not one of|should be .*(?:'|\")", "不是可用的取值"),
)


def _hint(param: Any) -> str:
    return str(param.get_error_hint()).replace("'", "") if param is not None else "参数"


def _value_message(message: str) -> str:
    for pattern, chinese in _VALUE_MESSAGES:
        found = re.search(pattern, message)
        if found:
            return found.expand(chinese)
    return f"值无效（{message}）" if message else "值无效"


def _usage_message(error: UsageError) -> str:
    """One Chinese sentence for a usage error typer/click would print in English."""
    if isinstance(error, MissingParameter):
        kind = "参数" if getattr(error.param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{kind} {_hint(error.param)}"
    if isinstance(error, BadParameter):
        return f"{_hint(error.param)} 的值{_value_message(error.message).removeprefix('值')}"
    if isinstance(error, NoSuchOption):
        similar = "、".join(sorted(error.possibilities or ()))
        return f"没有选项 {error.option_name}" + (f"（是否想用：{similar}）" if similar else "")
    if isinstance(error, BadOptionUsage) and "requires an argument" in error.message:
        return f"选项 {error.option_name} 缺少值"
    command = re.match(r"No such command '(.+)'", error.message)
    if command:
        return f"没有命令“{command.group(1)}”"
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", error.message)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    return f"用法错误：{error.message}"


def _usage_error(error: UsageError) -> NoReturn:
    if type(error).__name__ == "NoArgsIsHelpError":  # the help text has been printed
        sys.exit(error.exit_code)
    path = error.ctx.command_path if error.ctx is not None else "casework"
    print_error(f"{_usage_message(error)}（查看帮助：{path} --help）")
    sys.exit(error.exit_code)


def run() -> None:
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        _usage_error(error)
    except typer.Abort:
        print_error("已中止")
        sys.exit(1)
    except CaseworkError as error:
        print_error(str(error))
        sys.exit(1)
    except CalendarRangeError as error:
        print_error(str(error))
        sys.exit(1)
    except OperationalError as error:
        if os.environ.get("CASEWORK_DEBUG"):
            raise
        print_error(f"无法访问数据库：{error.orig}")
        sys.exit(1)
    except SQLAlchemyError as error:
        if os.environ.get("CASEWORK_DEBUG"):
            raise
        print_error(f"数据库错误：{type(error).__name__}")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
