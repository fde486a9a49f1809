"""`casework case list|show|act|register`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import typer
from rich.markup import escape

from casework.cli import case_checks_cmd
from casework.cli.common import (
    acting_user,
    console,
    fail,
    print_json,
    reading,
    today,
    writing,
)
from casework.errors import ActionError, CaseworkError
from casework.masking import mask_name
from casework.models import Case
from casework.notices.kinds import NoticeKind
from casework.notices.service import Issued, issue_offered, issue_warnings
from casework.services.access import REVEALING
from casework.services.directory import agency_by_code
from casework.services.perform import perform
from casework.services.queries import case_detail, generic_user, list_cases
from casework.services.repeats import repeats_of_case
from casework.services.snapshots import find_case
from workflows.actions import ACTION_BY_NAME, action_spec
from workflows.clocks import Clock
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind
from workflows.payloads import CHANNEL_LABELS
from workflows.states import OPEN_STATES, State

app = typer.Typer(no_args_is_help=True)


def _due_text(due: Any, provisional: bool, paused: bool) -> str:
    if paused:
        return "暂停"
    if due is None:
        return "—"
    return f"{due}{'（暂定）' if provisional else ''}"


@app.command("list", help="列出案件及其期限")
def list_command(
    agency: str | None = typer.Option(None, "--agency"),
    state: str | None = typer.Option(None, "--state", help="按状态筛选，如 received"),
    open_only: bool = typer.Option(False, "--open", help="只列在办案件"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    if state is not None and state not in {s.value for s in State}:
        fail(f"未知的状态“{state}”；可用：{'、'.join(s.value for s in State)}", 2)
    now = today()
    with reading() as session:
        rows = list_cases(session, agency, state, open_only)
    if as_json:
        print_json(
            [
                {
                    "ref": r.case.ref,
                    "agency": r.agency.code,
                    "received_on": r.case.received_on.isoformat(),
                    "applicant_kind": r.case.applicant_kind,
                    "state": r.case.state,
                    "outcome": r.case.outcome,
                    "reply_due": r.case.reply_due.isoformat() if r.case.reply_due else None,
                    "reply_paused": r.case.reply_paused,
                    "next_due": r.case.next_due.isoformat() if r.case.next_due else None,
                    "next_clock": r.case.next_clock,
                    "provisional": r.case.due_provisional,
                    "version": r.case.version,
                }
                for r in rows
            ]
        )
        return
    console.print(f"共 {len(rows)} 件")
    for r in rows:
        c = r.case
        outcome = f"  {OUTCOME_BY_CODE[c.outcome].full_label}" if c.outcome else ""
        due = ""
        if c.state in {s.value for s in OPEN_STATES}:
            due = f"  答复期限 {_due_text(c.reply_due, c.due_provisional, c.reply_paused)}"
            if c.reply_due is not None and c.reply_due < now:
                due += "（已逾期）"
            if c.next_due and c.next_clock != "reply":
                due += f"；{Clock(c.next_clock).label} {c.next_due}" if c.next_clock else ""
        console.print(
            f"{r.agency.code} {c.ref}  收到 {c.received_on}  "
            f"{mask_name(r.applicant.name)}（{ApplicantKind(c.applicant_kind).label}）  "
            f"{State(c.state).label}{outcome}{due}"
        )


@app.command("show", help="查看案件：状态、期限及推算过程、可进行的操作、办理记录")
def show(
    ref: str = typer.Argument(...),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="按该用户的权限列出可进行的操作"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    now = today()
    with reading() as session:
        case = find_case(session, ref, agency)
        agency_row = agency_by_code(session, agency) if agency else None
        if as_user:
            from casework.models import Agency

            owner = agency_row or session.get(Agency, case.agency_id)
            assert owner is not None
            actor = acting_user(session, as_user, owner, now)
        else:
            actor = generic_user()
        detail = case_detail(session, case, actor, now)
    if as_json:
        print_json(detail)
        return
    _print_detail(detail)


def _print_detail(d: dict[str, Any]) -> None:
    console.print(
        f"[bold]案件 {escape(d['ref'])}[/]  {escape(d['agency_name'])}（{escape(d['agency'])}）"
        f"  版本 {d['version']}",
        markup=True,
    )
    console.print(
        f"收到申请：{d['received_on']}（{CHANNEL_LABELS.get(d['channel'], d['channel'])}）  申请人：{d['applicant']['name']}（{d['applicant']['kind_label']}）"
    )
    console.print(
        f"状态：{d['state_label']}" + (f"  办理结果：{d['outcome_label']}" if d["outcome"] else "")
    )
    console.print("[bold]期限[/]", markup=True)
    for dl in d["deadlines"]:
        mark = "当前" if dl["current"] else "已结束"
        met = {True: "，按期", False: "，逾期", None: ""}[dl["met"]]
        who = f"（{dl['party']}）" if dl["party"] else ""
        console.print(
            f"  {dl['label']}{who}：{_due_text(dl['due'], dl['provisional'], dl['paused'])}  [{mark}{met}]"
        )
        for line in dl["derivation"]:
            console.print(f"      {line}")
    allowed = (
        "、".join(
            f"{a['action']}（{a['label']}"
            + (f"，出具{a['notice']['title']}" if a.get("notice") else "")
            + "）"
            for a in d["actions_allowed"]
        )
        or "无"
    )
    console.print(f"[bold]现在可进行的操作[/]：{escape(allowed)}", markup=True)
    console.print("[bold]办理记录[/]", markup=True)
    for e in d["events"]:
        fields = {k: v for k, v in e["payload"].items() if k not in ("applicant_id",)}
        extra = f"  {json.dumps(fields, ensure_ascii=False)}" if fields else ""
        console.print(
            f"  {e['seq']}. {e['on']} {e['label']}（{e['actor']}）→ {State(e['to_state']).label}{extra}"
        )
    if d.get("attachments"):
        console.print("[bold]附件[/]", markup=True)
        for a in d["attachments"]:
            mark = "  [已撤回]" if a["withdrawn"] else ""
            console.print(f"  {a['id']}. {a['kind_label']}  {a['filename']}{mark}")


def _parse_fields(args: list[str], where: str = "", action: str = "") -> dict[str, Any]:
    """`--period-wd 15 --items a --items b` → {"period_wd": 15, "items": ["a", "b"]}.

    Values are read as JSON (numbers, lists, objects) except for the action's text and date
    fields, which keep what was typed: `--reason 2024` is the text “2024”."""
    text, repeated = _text_fields(action), _repeated_fields(action)
    fields: dict[str, Any] = {}
    i = 0
    while i < len(args):
        key = args[i]
        if not key.startswith("--") or len(key) < 3:
            fail(f"{where}无法理解的参数“{key}”：字段请写成 --名称 值", 2)
        name, _, inline = key[2:].partition("=")
        name = name.replace("-", "_")
        if inline:
            raw = inline
            i += 1
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            raw = args[i + 1]
            i += 2
        else:
            fail(f"{where}字段 --{name} 缺少值", 2)
        value = raw if name in text else _value(raw)
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            listed = name in repeated and not isinstance(value, list)
            fields[name] = [value] if listed else value  # a JSON list is taken as it is
    return fields


def _fields_where(action: str, test: Callable[[Any], bool]) -> frozenset[str]:
    """The action's payload fields whose type passes `test`."""
    spec = ACTION_BY_NAME.get(action)
    if spec is None:
        return frozenset()
    return frozenset(
        name for name, info in spec.payload.model_fields.items() if test(info.annotation)
    )


def _text_fields(action: str) -> frozenset[str]:
    return _fields_where(action, _is_text)


def _repeated_fields(action: str) -> frozenset[str]:
    """The action's list fields (`tuple[str, ...]`…): one value given is a list of one."""
    return _fields_where(action, _is_repeated)


def _is_repeated(annotation: Any) -> bool:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        return any(arg is not type(None) and _is_repeated(arg) for arg in args)
    return origin in (tuple, list)


def _is_text(annotation: Any) -> bool:
    """str, date, a Literal of strings, optional or repeated (`tuple[str, ...]`) ones."""
    if annotation in (str, date):
        return True
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return all(isinstance(arg, str) for arg in args)
    if origin in (Union, UnionType):
        return all(arg is type(None) or _is_text(arg) for arg in args)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis and _is_text(args[0])
    return False


def _value(raw: str) -> Any:
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return value if isinstance(value, (int, float, list, dict, bool)) else raw


@app.command(
    "act",
    help="对案件进行操作，如：casework case act 2025-001 reply --outcome disclosed --as 张三",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def act(
    ctx: typer.Context,
    ref: str = typer.Argument(...),
    action: str = typer.Argument(...),
    on: str | None = typer.Option(None, "--on", help="操作的生效日期（默认今日）"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="操作人（用户名）"),
    expected_version: int | None = typer.Option(
        None, "--expected-version", help="期望的案件版本（并发检查）"
    ),
    # not `--notice`: record_service has a payload field of that name
    issue_notice: bool = typer.Option(
        False, "--issue-notice", help="同时出具该操作对应的告知书（取文号；与操作同一事务）"
    ),
) -> None:
    where = f"案件 {ref}：操作“{action}”未执行："
    if action == "register":  # the service door would register a new case
        fail(f"{where}登记新案件请用 casework case register")
    fields = _parse_fields(list(ctx.args), where, action)
    now = today()
    when = _date_or_fail(on, "--on", where) if on else None
    try:
        with writing() as session:
            case = find_case(session, ref, agency)
            from casework.models import Agency

            owner = session.get(Agency, case.agency_id)
            assert owner is not None and case.id is not None
            if not (as_user or os.environ.get("CASEWORK_USER")):
                fail(f"{where}请用 --as 指定操作人（或设置环境变量 CASEWORK_USER）")
            actor = acting_user(session, as_user, owner, now)  # authority is checked today
            done = perform(
                session,
                case_id=case.id,
                action=action,
                payload=fields,
                actor=actor,
                on=when,
                today=now,
                expected_version=expected_version,
            )
            state = State(done.case.state).label
            version = done.case.version
            warnings = done.warnings
            issued = issue_offered(session, case.id, done.event, actor) if issue_notice else None
    except ActionError:
        raise
    except CaseworkError as error:
        # Not found, a stale version, an unknown user …: still say which case and action.
        fail(where + str(error).removeprefix(f"案件 {ref} "))
    label = action_spec(done.event.action).label
    console.print(
        f"案件 {ref}：{label}（{done.event.action}）已记录，生效日期 {done.event.effective_on}，"
        f"状态：{state}，版本 {version}"
    )
    for warning in warnings:
        console.print(f"注意：{warning}")
    if issued is not None:
        _print_issued(ref, issued)


def _print_issued(ref: str, issued: Issued) -> None:
    for n in issued.notices:
        to = f"（致{n.recipient}）" if n.recipient else ""
        console.print(f"已出具{NoticeKind(n.kind).label}{to}，文号 {n.number}（编号 {n.id}）")
        for line in issue_warnings(n, today()):
            console.print(line)
    for o in issued.waiting:
        fields = " ".join(f"--field {name}=……" for name in o.needs_fields)
        console.print(
            f"{o.kind.label}（致{o.recipient}）须补充内容后出具：casework notice issue {ref} "
            f"{o.kind.value} --to {o.recipient} {fields}"
        )
    if not issued.notices and not issued.waiting:
        console.print("该操作没有对应的告知书")


def _date_or_fail(value: str, what: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{where}{what}“{value}”不是有效日期（格式 YYYY-MM-DD）", 2)


@app.command("register", help="登记一件新申请")
def register(
    agency: str = typer.Option(..., "--agency"),
    applicant_name: str = typer.Option(..., "--applicant", help="申请人姓名或名称"),
    applicant_kind: str = typer.Option(
        "natural_person", "--kind", help="申请人类别，如 natural_person"
    ),
    channel: str = typer.Option(..., "--channel", help="in_person | post | online | fax"),
    request: str = typer.Option(..., "--request", help="申请内容"),
    received_on: str | None = typer.Option(
        None, "--received-on", help="收到申请之日（条例第三十一条；或给出下列渠道日期）"
    ),
    submitted_on: str | None = typer.Option(None, "--submitted-on", help="当面提交之日"),
    signed_on: str | None = typer.Option(None, "--signed-on", help="邮寄：机关签收之日"),
    confirmed_on: str | None = typer.Option(
        None, "--confirmed-on", help="互联网/传真/平常信函：双方确认之日"
    ),
    delivery: str | None = typer.Option(None, "--delivery", help="paper | electronic | pickup"),
    id_number: str | None = typer.Option(None, "--id-number", help="身份证件号码"),
    phone: str | None = typer.Option(None, "--phone"),
    email: str | None = typer.Option(None, "--email"),
    address: str | None = typer.Option(None, "--address"),
    ref: str | None = typer.Option(None, "--ref", help="案号（默认自动编号）"),
    follow_up_of: int | None = typer.Option(
        None, "--follow-up-of", help="责令重新答复：作出纠正决定的复议/诉讼编号"
    ),
    as_user: str | None = typer.Option(None, "--as"),
    on: str | None = typer.Option(None, "--on", help="登记日期（默认为收到申请之日）"),
    issue_notice: bool = typer.Option(False, "--issue-notice", help="同时出具登记回执（取文号）"),
) -> None:
    now = today()
    applicant = {
        "kind": applicant_kind,
        "name": applicant_name,
        "id_number": id_number,
        "phone": phone,
        "email": email,
        "address": address,
    }
    payload = {
        "agency": agency,
        "ref": ref,
        "applicant": {k: v for k, v in applicant.items() if v is not None},
        "channel": channel,
        "received_on": received_on,
        "submitted_on": submitted_on,
        "signed_on": signed_on,
        "confirmed_on": confirmed_on,
        "delivery": delivery,
        "request": request,
        "follow_up_of": follow_up_of,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    where = f"{'案件 ' + ref if ref else '新案件'}：操作登记（register）未执行："
    try:
        with writing() as session:
            owner = agency_by_code(session, agency)
            if not (as_user or os.environ.get("CASEWORK_USER")):
                fail(f"{where}请用 --as 指定操作人（或设置环境变量 CASEWORK_USER）")
            actor = acting_user(session, as_user, owner, now)
            when = _date_or_fail(on, "--on", where) if on else None
            done = perform(
                session, action="register", payload=payload, actor=actor, today=now, on=when
            )
            new_ref, due = done.case.ref, done.case.reply_due
            provisional = done.case.due_provisional
            issued = (
                issue_offered(session, done.case.id or 0, done.event, actor)
                if issue_notice
                else None
            )
            reveal, case_id = bool(actor.roles & REVEALING), done.case.id
    except ActionError:
        raise
    except (CaseworkError, ValueError) as error:
        fail(where + str(error))
    mark = "（暂定：该年放假安排尚未公布）" if provisional else ""
    console.print(f"已登记案件 {new_ref}，答复期限 {due}{mark}")
    if issued is not None:
        _print_issued(new_ref, issued)
    with reading() as session:  # evidence for the clerk, read once the registration stands
        repeats = repeats_of_case(session, session.get_one(Case, case_id), reveal=reveal)
    if repeats:
        case_checks_cmd.print_repeats(repeats)


app.command("fee", help="信息处理费试算（国办函〔2020〕109号），发出收费通知前核对")(
    case_checks_cmd.fee
)
app.command("repeats", help="同一申请人已获答复的申请（可能的重复申请，按相似度排列）")(
    case_checks_cmd.repeats
)
