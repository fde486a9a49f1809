"""`casework case supervise|supervisions`: a district office's 督办 of a case below it."""

from __future__ import annotations

from dataclasses import asdict

import typer

from casework.cli.common import (
    console,
    fail,
    parse_date,
    print_json,
    reading,
    today,
    username,
    writing,
)
from casework.errors import CaseworkError, NotFound
from casework.services.access import scope_of
from casework.services.directory import actor_for, user_by_name
from casework.services.snapshots import find_case
from casework.services.supervision import office_for, supervise, supervisions_of
from casework.timeutil import CHINA


def supervise_command(
    ref: str = typer.Argument(..., help="案号"),
    note: str = typer.Option(..., "--note", help="督办意见"),
    due_by: str | None = typer.Option(None, "--due-by", help="要求办理日期（YYYY-MM-DD，可不填）"),
    agency: str | None = typer.Option(None, "--agency", help="案件所属机关代码"),
    as_user: str | None = typer.Option(
        None, "--as", help="督办人（上级政务公开办的经办人或负责人）"
    ),
) -> None:
    name = username(as_user)
    day = today()
    until = parse_date(due_by, "要求办理日期") if due_by else None
    try:
        with writing() as session:
            case = find_case(session, ref, agency)
            scope = scope_of(session, user_by_name(session, name), day)
            if scope.get(case.agency_id) is None:
                raise NotFound(f"没有案号为“{ref}”的案件")
            office = office_for(session, scope, case)
            actor = actor_for(session, name, office.agency, day)
            done = supervise(session, case, office, actor, note, until, today=day)
            office_name = office.agency.name
    except CaseworkError as error:
        fail(f"案件 {ref}：未督办：{error}")
    if done.created:
        console.print(f"案件 {ref}：{office_name}已督办，已通知 {done.notified} 人")
    else:
        console.print(f"案件 {ref}：今天已有相同的督办记录，未重复通知")


def supervisions_command(
    ref: str = typer.Argument(..., help="案号"),
    agency: str | None = typer.Option(None, "--agency", help="案件所属机关代码"),
    as_user: str | None = typer.Option(None, "--as", help="按该用户的权限查看"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    try:
        with reading() as session:
            case = find_case(session, ref, agency)
            if as_user is not None:
                scope = scope_of(session, user_by_name(session, as_user), today())
                if scope.get(case.agency_id) is None:
                    raise NotFound(f"没有案号为“{ref}”的案件")
            found = supervisions_of(session, case)
    except CaseworkError as error:
        fail(f"案件 {ref}：{error}")
    if as_json:
        print_json([asdict(s) for s in found])
        return
    console.print(f"案件 {ref}：督办 {len(found)} 次")
    for s in found:
        when = s.created_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        until = f"  要求 {s.due_by.isoformat()} 前办理" if s.due_by else ""
        console.print(f"  {when}  {s.office_name} {s.by_name}：{s.note}{until}")
