"""`casework case fee|repeats`: the fee a case would cost, and the applicant's earlier
answered requests it may repeat — evidence shown to the clerk, nothing decided or stored."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import typer
from sqlmodel import Session

from casework.cli.common import acting_user, console, fail, print_json, reading, today
from casework.errors import Invalid
from casework.models import Agency, Case
from casework.services.access import REVEALING
from casework.services.fee_quote import quote_fee
from casework.services.queries import check_visible
from casework.services.repeats import DEFAULT_LIMIT, MAX_LIMIT, PossibleRepeat, repeats_of_case
from casework.services.snapshots import find_case
from workflows.roles import Actor

REPEATS_HEADING = "可能的重复申请（条例第三十六条第（六）项；仅供参考，是否重复由经办人判断）"


def fee(
    ref: str = typer.Argument(..., help="案号"),
    basis: str = typer.Option(..., "--basis", help="per_item（按件）| per_volume（按量）"),
    pages: int | None = typer.Option(None, "--pages", help="按量计收：提供的页数"),
    items: int | None = typer.Option(
        None, "--items", help="按件计收：本申请按“一事一申请”拆分计算的件数（默认1）"
    ),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="查看人（须在本机关有角色）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    now = today()
    with reading() as session:
        case = find_case(session, ref, agency)
        _reader(session, case, as_user, now)
        try:
            quote = quote_fee(session, case, basis, pages=pages, items=items)
        except Invalid as error:
            fail(f"案件 {ref}：信息处理费试算未完成：{error}", 2)
    if as_json:
        print_json(quote.as_json())
        return
    console.print(f"案件 {ref} 信息处理费试算")
    for line in quote.lines:
        console.print(f"  {line}")
    if quote.earlier:
        console.print(
            "  此前各件："
            + "、".join(
                f"{r.ref}（{r.received_on}" + (f"，计{r.items}件）" if r.items > 1 else "）")
                for r in quote.earlier
            )
        )
    console.print("按标准试算，供发出收费通知前核对；减免的，请在收费通知中写明。")


def repeats(
    ref: str = typer.Argument(..., help="案号"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(
        None, "--as", help="查看人（本机关经办人、负责人可见申请人姓名）"
    ),
    limit: int = typer.Option(DEFAULT_LIMIT, "--limit", min=1, max=MAX_LIMIT),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    now = today()
    with reading() as session:
        case = find_case(session, ref, agency)
        reader = _reader(session, case, as_user, now)
        reveal = reader is not None and bool(reader.roles & REVEALING)
        found = repeats_of_case(session, case, reveal=reveal, limit=limit)
    if as_json:
        print_json([r.as_json() for r in found])
        return
    if not found:
        console.print(f"案件 {ref}：未发现同一申请人已获答复的申请")
        return
    print_repeats(found)


def _reader(session: Session, case: Case, as_user: str | None, day: date) -> Actor | None:
    """The user named by --as (else CASEWORK_USER), None when nobody is named; as in
    `case show`, a user without a role in the case's agency is told it does not exist."""
    if not (as_user or os.environ.get("CASEWORK_USER")):
        return None
    owner = session.get(Agency, case.agency_id)
    assert owner is not None
    reader = acting_user(session, as_user, owner, day)
    check_visible(case, reader)
    return reader


def print_repeats(found: Sequence[PossibleRepeat]) -> None:
    """A short table: one line per earlier request, the most alike first."""
    console.print(f"{REPEATS_HEADING}：")
    console.print("  相似度  案号  收到申请  办结  办理结果  申请人（识别依据）")
    for r in found:
        console.print(
            f"  {r.similarity:.2f}  {r.agency_code} {r.ref}  {r.received_on}  "
            f"{r.concluded_on or '—'}  {r.outcome_label}  {r.applicant_name}（{_matched(r)}）"
        )
        console.print(f"        {r.request_excerpt}")


def _matched(r: PossibleRepeat) -> str:
    return "证件号码相同" if r.matched_on == "id_number" else "姓名及类型相同"
