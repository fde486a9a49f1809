"""`casework deadline` and `casework calendar show|set|confirm`."""

from __future__ import annotations

import typer

from casework.cli.common import (
    console,
    database_exists,
    engine,
    fail,
    open_engine,
    parse_date,
    print_json,
    writing,
)
from casework.db import read_session
from casework.migrate import current_revision, head_revision
from casework.services import calendar_admin, calendars, recompute
from casework.services.directory import agency_by_code
from casework.workdays import WorkingCalendar, default_calendar, format_day

app = typer.Typer(no_args_is_help=True)

MAX_DAYS = 400  # working days `casework deadline` counts at most


def _calendar(agency: str | None) -> WorkingCalendar:
    """The database's calendar when there is an initialised database, else the seeded one."""
    if not database_exists():
        if agency:
            fail("数据库尚未初始化，不能按机关计算：请先运行 casework init")
        return default_calendar()
    eng = open_engine()
    if current_revision(eng) != head_revision():
        if agency:
            fail("数据库尚未初始化，不能按机关计算：请先运行 casework init")
        return default_calendar()
    with read_session(eng) as session:
        agency_id = agency_by_code(session, agency).id if agency else None
        return calendars.calendar_for(session, agency_id)


def deadline(
    from_date: str = typer.Argument(..., metavar="FROM_DATE", help="起算日（第0日）"),
    days: int = typer.Option(..., "--days", help=f"工作日数（0–{MAX_DAYS}）"),
    agency: str | None = typer.Option(None, "--agency", help="按该机关的日历（含本地调整）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    if not 0 <= days <= MAX_DAYS:
        fail(f"--days {days} 超出范围：工作日数须在 0 至 {MAX_DAYS} 之间", 2)
    start = parse_date(from_date, "起算日")
    result = _calendar(agency).deadline(start, days)
    if as_json:
        print_json(
            {
                "from": start.isoformat(),
                "days": days,
                "due": result.due.isoformat(),
                "provisional": result.provisional,
                "derivation": list(result.derivation),
            }
        )
        return
    flag = "（暂定）" if result.provisional else ""
    console.print(
        f"{format_day(start)} 起第{days}个工作日：[bold]{format_day(result.due)}[/]{flag}",
        markup=True,
    )
    for line in result.derivation:
        console.print(f"  {line}")


@app.command("show", help="列出某年的非标准日期（节假日、调休上班日、管理员调整）")
def show(
    year: int = typer.Argument(...),
    agency: str | None = typer.Option(None, "--agency"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    try:
        view = calendars.year_view(_calendar(agency), year)
    except ValueError as error:
        fail(str(error))
    if as_json:
        print_json(
            {
                "year": year,
                "provisional": view.provisional,
                "working_days": view.working_days,
                "days": [
                    {"date": i.day.isoformat(), "workday": i.workday, "reason": i.reason}
                    for i in view.days
                ],
            }
        )
        return
    status = "暂定（放假安排尚未公布，按临时规则推算）" if view.provisional else "已公布"
    console.print(f"{year}年：{status}；全年工作日 {view.working_days} 天")
    for info in view.days:
        kind = "上班" if info.workday else "休息"
        console.print(f"  {format_day(info.day)} {kind}  {info.reason}")


@app.command("set", help="调整某日为休息日（off）或工作日（work），并重算在办案件的期限")
def set_day(
    day: str = typer.Argument(..., metavar="DATE"),
    kind: str = typer.Argument(..., metavar="off|work"),
    source: str = typer.Option(..., "--source", help="依据（如通知文号、网址）"),
    agency: str | None = typer.Option(None, "--agency", help="仅对该机关生效（如民族地区节日）"),
) -> None:
    if kind not in ("off", "work"):
        fail("第二个参数须为 off（休息日）或 work（工作日）", 2)
    when = parse_date(day)
    engine()
    with writing() as session:
        agency_row = agency_by_code(session, agency) if agency else None
        moved = calendar_admin.set_day(session, when, kind == "work", source, "cli", agency_row)
    scope = f"机关 {agency}" if agency else "全国"
    console.print(
        f"已设定 {format_day(when)} 为{'工作日' if kind == 'work' else '休息日'}（{scope}；依据：{source}）"
    )
    _print_moved(moved)


@app.command("confirm", help="确认某年放假安排已载入（该年日期不再为暂定）")
def confirm(
    year: int = typer.Argument(...),
    source: str = typer.Option(..., "--source", help="国务院办公厅通知的文号或网址"),
) -> None:
    with writing() as session:
        moved = calendar_admin.confirm(session, year, source, "cli")
    console.print(f"{year}年放假安排已确认（依据：{source}）")
    _print_moved(moved)


def _print_moved(moved: list[recompute.Moved]) -> None:
    if not moved:
        console.print("在办案件的期限均未变化")
        return
    console.print(f"以下 {len(moved)} 个期限随之变化（已记入日历审计）：")
    for m in moved:
        party = f"（{m.party}）" if m.party else ""
        console.print(f"  案件 {m.ref} {m.clock}{party}：{m.old_due} → {m.new_due}")
