"""`casework notice list|issue|show|render|setup` and `casework notice template …`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from casework.cli.common import acting_user, console, fail, print_json, reading, today, writing
from casework.models import Agency, Notice
from casework.notices import library, service
from casework.notices.kinds import NoticeKind, parse_kind
from casework.notices.numbering import DEFAULT_PATTERN, pattern_of, short_name_of
from casework.services import agency_policy
from casework.services.directory import agency_by_code
from casework.services.snapshots import context_for, find_case

app = typer.Typer(no_args_is_help=True)
template_app = typer.Typer(no_args_is_help=True)
app.add_typer(template_app, name="template", help="告知书模板：系统模板与本机关模板（按版本保存）")

FORMATS = ("docx", "html", "pdf")


def _kind(value: str) -> NoticeKind:
    try:
        return parse_kind(value)
    except ValueError as error:
        fail(str(error), 2)


def notice_json(notice: Notice, *, with_context: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": notice.id,
        "number": notice.number,
        "kind": notice.kind,
        "title": NoticeKind(notice.kind).label,
        "recipient": notice.recipient or None,
        "dated": notice.dated.isoformat(),
        "event_id": notice.event_id,
        "template": {
            "kind": notice.template_kind,
            "version": notice.template_version,
            "override_id": notice.template_override_id,
        },
        "content_hash": notice.content_hash,
        "issued_by": notice.issued_by_name,
        "issued_at": notice.issued_at.isoformat(),
    }
    if with_context:
        data["context"] = notice.context
    return data


@app.command("list", help="列出案件的告知书：已出具的，以及各步骤应出具而尚未出具的")
def list_command(
    ref: str = typer.Argument(..., help="案号"),
    agency: str | None = typer.Option(None, "--agency"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    with reading() as session:
        case = find_case(session, ref, agency)
        offers = service.offers(session, context_for(session, case))
    if as_json:
        print_json(
            [
                {
                    "step": o.event.seq,
                    "action": o.event.action,
                    "kind": o.kind.value,
                    "title": o.kind.label,
                    "recipient": o.recipient or None,
                    "needs_fields": list(o.needs_fields),
                    "notice": notice_json(o.notice, with_context=False) if o.notice else None,
                }
                for o in offers
            ]
        )
        return
    if not offers:
        console.print(f"案件 {ref} 没有应出具的告知书")
    for o in offers:
        to = f"（致{o.recipient}）" if o.recipient else ""
        head = f"第{o.event.seq}步 {o.event.effective_on} {o.kind.label}{to}"
        if o.notice is not None:
            console.print(f"{head}：已出具，文号 {o.notice.number}（编号 {o.notice.id}）")
        else:
            need = f"，须填写 {'、'.join(o.needs_fields)}" if o.needs_fields else ""
            console.print(f"{head}：未出具（casework notice issue {ref} {o.kind.value}{need}）")


def _fields(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            fail(f"字段“{pair}”应写成 名称=值，如 --field details=……", 2)
        if name == "items":
            out.setdefault("items", []).append(value)
        else:
            out[name] = value
    return out


@app.command(
    "issue", help="出具告知书：取号、按当前模板生成并保存（默认为最近一个应出具该告知书的步骤）"
)
def issue(
    ref: str = typer.Argument(..., help="案号"),
    kind: str = typer.Argument(..., help="告知书类型，如 correction、reply"),
    agency: str | None = typer.Option(None, "--agency"),
    step: int | None = typer.Option(None, "--step", help="办理记录中的步骤序号"),
    to: str | None = typer.Option(None, "--to", help="收件方（第三方名称）"),
    field: list[str] = typer.Option([], "--field", help="补充内容，名称=值，可重复"),
    as_user: str | None = typer.Option(None, "--as", help="出具人（用户名）"),
) -> None:
    chosen = _kind(kind)
    fields = _fields(field)
    with writing() as session:
        case = find_case(session, ref, agency)
        owner = session.get(Agency, case.agency_id)
        assert owner is not None and case.id is not None
        actor = acting_user(session, as_user, owner, today())
        notice = service.issue_notice(
            session, case.id, chosen, actor, event_seq=step, recipient=to, fields=fields
        )
        number, notice_id = notice.number, notice.id
        warnings = service.issue_warnings(notice, today())
    console.print(f"案件 {ref}：已出具{chosen.label}，文号 {number}（编号 {notice_id}）")
    for line in warnings:
        console.print(line)


def _find(session: Any, number: str, agency: str | None) -> Notice:
    agency_id = agency_by_code(session, agency).id if agency else None
    return service.find_notice(session, number, agency_id)


@app.command("show", help="查看告知书：文号、模板版本、出具人，以及全文")
def show(
    number: str = typer.Argument(..., help="文号或编号"),
    agency: str | None = typer.Option(None, "--agency"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    with reading() as session:
        notice = _find(session, number, agency)
        text = service.notice_text(session, notice)
        same = service.reproduces(session, notice)
        template = library.template_of(session, notice).label
    if as_json:
        print_json(notice_json(notice) | {"text": text, "reproduces": same})
        return
    to = f"（致{notice.recipient}）" if notice.recipient else ""
    console.print(f"{notice.number}  {NoticeKind(notice.kind).label}{to}  {notice.dated}")
    console.print(
        f"模板：{template}；出具人：{notice.issued_by_name}；出具时间：{notice.issued_at:%Y-%m-%d %H:%M} UTC"
    )
    console.print(
        f"重新生成与出具时一致：{'是' if same else '否（模板或程序已变，文字以存档内容为准）'}"
    )
    console.print("")
    for line in text:
        console.print(line)


@app.command("render", help="输出告知书文件：docx、html（预览）或 pdf（需 LibreOffice）")
def render(
    number: str = typer.Argument(..., help="文号或编号"),
    output: Path = typer.Option(..., "-o", "--output", help="输出文件"),
    fmt: str | None = typer.Option(
        None, "--format", help="docx | html | pdf；默认按输出文件的扩展名，无扩展名时为 docx"
    ),
    agency: str | None = typer.Option(None, "--agency"),
) -> None:
    fmt = _format(fmt, output)
    with reading() as session:
        notice = _find(session, number, agency)
        if fmt == "docx":
            data = service.render_notice_docx(session, notice)
        elif fmt == "html":
            data = service.render_notice_html(session, notice).encode("utf-8")
        else:
            data = service.render_notice_pdf(session, notice)
    try:
        output.write_bytes(data)
    except OSError as error:
        fail(f"无法写入 {output}：{error.strerror}")
    console.print(f"{notice.number} 已输出到 {output}（{len(data)} 字节）")


def _format(given: str | None, output: Path) -> str:
    """--format, else the output file's extension; the two must not disagree."""
    if given is not None and given not in FORMATS:
        fail(f"--format 须为 {' | '.join(FORMATS)}", 2)
    suffix = output.suffix.lower().lstrip(".")
    named = suffix if suffix in FORMATS else None
    if given is not None and named is not None and given != named:
        fail(f"--format {given} 与输出文件的扩展名 .{suffix} 不一致", 2)
    return given or named or "docx"


@app.command("setup", help="机关的告知书设置：简称、文号格式、行政复议机关")
def setup(
    code: str = typer.Argument(..., help="机关代码"),
    short_name: str | None = typer.Option(None, "--short-name", help="文号中的机关简称，如“漳街”"),
    pattern: str | None = typer.Option(
        None, "--pattern", help=f"文号格式，默认 {DEFAULT_PATTERN}；空字符串恢复默认"
    ),
    review_body: str | None = typer.Option(
        None, "--review-body", help="救济告知中的行政复议机关，如“西安市雁塔区人民政府”"
    ),
) -> None:
    with writing() as session:
        agency = agency_by_code(session, code)
        change = agency_policy.PolicyChange(
            short_name=short_name, notice_number_pattern=pattern, review_body=review_body
        )
        agency_policy.apply(session, agency, change)
        example = pattern_of(agency).format(
            short_name_of(agency), today().year, 1, NoticeKind.REPLY
        )
        summary = (
            f"简称：{agency.short_name or '（未设，用全称）'}；文号格式："
            f"{agency.notice_number_pattern or DEFAULT_PATTERN}（如 {example}）；"
            f"行政复议机关：{agency.review_body or '（未设，写作“有管辖权的行政复议机关”）'}"
        )
    console.print(f"机关 {code}：{summary}")


@template_app.command("list", help="列出各类告知书正在使用的模板及本机关模板的各版本")
def template_list(agency: str = typer.Option(..., "--agency")) -> None:
    with reading() as session:
        owner = agency_by_code(session, agency)
        for kind in NoticeKind:
            current = library.current_template(session, owner, kind)
            console.print(f"{kind.value}（{kind.label}）：{current.label}")
        for row in library.overrides(session, owner):
            state = "已停用" if row.retired else ""
            note = f"  {row.note}" if row.note else ""
            console.print(
                f"  本机关模板 {row.kind} v{row.version}  {row.created_at:%Y-%m-%d} {row.created_by}{note} {state}".rstrip()
            )


@template_app.command("set", help="上传本机关的模板（DOCX，docxtpl 语法），成为该类告知书的新版本")
def template_set(
    kind: str = typer.Argument(...),
    file: Path = typer.Argument(..., help="DOCX 模板文件"),
    agency: str = typer.Option(..., "--agency"),
    note: str | None = typer.Option(None, "--note", help="说明，如“加盖电子印章位置”"),
    as_user: str | None = typer.Option(None, "--as"),
) -> None:
    chosen = _kind(kind)
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"无法读取 {file}：{error.strerror}")
    with writing() as session:
        owner = agency_by_code(session, agency)
        by = as_user or os.environ.get("CASEWORK_USER") or "cli"
        row = library.set_override(session, owner, chosen, data, by, note)
        version = row.version
    console.print(
        f"机关 {agency} 的{chosen.label}模板已保存为本机关模板 v{version}，此后出具的告知书使用该版本"
    )


@template_app.command("reset", help="恢复使用系统模板（本机关模板的各版本仍保留）")
def template_reset(
    kind: str = typer.Argument(...), agency: str = typer.Option(..., "--agency")
) -> None:
    chosen = _kind(kind)
    with writing() as session:
        changed = library.reset_override(session, agency_by_code(session, agency), chosen)
    console.print(
        f"机关 {agency} 的{chosen.label}已恢复使用系统模板"
        if changed
        else f"机关 {agency} 的{chosen.label}本来就使用系统模板"
    )


@template_app.command("export", help="导出正在使用的模板（DOCX），供在 Word 中修改后上传")
def template_export(
    kind: str = typer.Argument(...),
    output: Path = typer.Option(..., "-o", "--output"),
    agency: str | None = typer.Option(None, "--agency"),
) -> None:
    chosen = _kind(kind)
    with reading() as session:
        template = (
            library.current_template(session, agency_by_code(session, agency), chosen)
            if agency
            else library.builtin(chosen)
        )
    try:
        output.write_bytes(template.docx)
    except OSError as error:
        fail(f"无法写入 {output}：{error.strerror}")
    console.print(f"{chosen.label}（{template.label}）已导出到 {output}")
