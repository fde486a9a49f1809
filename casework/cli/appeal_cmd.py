"""`casework appeal add|answer|decide|list`."""

from __future__ import annotations

import os
from datetime import date

import typer
from sqlmodel import Session

from casework.cli.common import acting_user, console, parse_date, reading, today, writing
from casework.models import Agency
from casework.services import appeals
from casework.services.directory import agency_by_code
from casework.services.snapshots import find_case
from workflows.roles import Actor, ActorKind

app = typer.Typer(no_args_is_help=True)

AS_HELP = "操作人（用户名；生效日期在已公布年度时须为负责人）"


def _actor(session: Session, as_user: str | None, agency: Agency, day: date) -> Actor:
    """The named user (--as, else CASEWORK_USER) with their roles; unnamed, the operator, who
    holds no role — enough for any date but a year whose report is published."""
    if as_user or os.environ.get("CASEWORK_USER"):
        return acting_user(session, as_user, agency, day)
    return Actor(ActorKind.USER, "cli")


@app.command("add", help="登记行政复议或行政诉讼（答复期限：复议10日，诉讼15日）")
def add(
    agency: str = typer.Option(..., "--agency"),
    kind: str = typer.Option(
        ..., "--kind", help="reconsideration | litigation_direct | litigation_after_reconsideration"
    ),
    filed_on: str = typer.Option(..., "--filed-on", help="提起之日"),
    received_on: str | None = typer.Option(
        None, "--received-on", help="本机关收到之日（默认同提起之日）"
    ),
    role: str | None = typer.Option(
        None, "--role", help="respondent | defendant | co_defendant_review_body"
    ),
    case: str | None = typer.Option(None, "--case", help="相关案件的案号"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    now = today()
    with writing() as session:
        agency_row = agency_by_code(session, agency)
        case_row = find_case(session, case, agency) if case else None
        appeal = appeals.add_appeal(
            session,
            agency_row,
            kind,
            parse_date(filed_on, "--filed-on"),
            _actor(session, as_user, agency_row, now),
            now,
            parse_date(received_on, "--received-on") if received_on else None,
            role,
            case_row,
        )
        number, due = appeal.id, appeal.answer_due
    console.print(f"已登记{appeals.KINDS[kind]}，编号 {number}，答复期限 {due}")


@app.command("answer", help="记录本机关已答复（提交答辩/书面答复）")
def answer(
    appeal_id: int = typer.Argument(...),
    agency: str = typer.Option(..., "--agency"),
    on: str | None = typer.Option(None, "--on"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    now = today()
    with writing() as session:
        agency_row = agency_by_code(session, agency)
        appeal = appeals.appeal_by_id(session, appeal_id, agency_row)
        actor = _actor(session, as_user, agency_row, now)
        appeals.answer(session, appeal, parse_date(on) if on else now, actor, now)
    console.print(f"复议/诉讼 {appeal_id} 已记录答复")


@app.command("decide", help="记录审结结果：upheld（维持）| corrected（纠正）| other（其他）")
def decide(
    appeal_id: int = typer.Argument(...),
    result: str = typer.Option(..., "--result"),
    agency: str = typer.Option(..., "--agency"),
    on: str | None = typer.Option(None, "--on"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    now = today()
    with writing() as session:
        agency_row = agency_by_code(session, agency)
        appeal = appeals.appeal_by_id(session, appeal_id, agency_row)
        actor = _actor(session, as_user, agency_row, now)
        appeals.decide(session, appeal, result, parse_date(on) if on else now, actor, now)
    console.print(f"复议/诉讼 {appeal_id} 已审结：{appeals.RESULTS[result]}")


@app.command("list", help="列出本机关的复议/诉讼")
def list_command(agency: str = typer.Option(..., "--agency")) -> None:
    now = today()
    with reading() as session:
        rows = appeals.list_appeals(session, agency_by_code(session, agency))
    for a in rows:
        state = f"{a.decided_on} 审结：{appeals.RESULTS[a.result]}" if a.result else "尚未审结"
        answered = f"已于 {a.answered_on} 答复" if a.answered_on else f"答复期限 {a.answer_due}"
        if not a.answered_on and a.answer_due < now and not a.result:
            answered += "（已逾期）"
        console.print(
            f"{a.id}  {appeals.KINDS[a.kind]}  {appeals.ROLES[a.role]}  提起 {a.filed_on}  "
            f"{answered}  {state}"
        )
    if not rows:
        console.print("没有复议/诉讼记录")
