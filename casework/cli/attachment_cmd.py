"""`casework case attach|attachments|attachment|withdraw-attachment`: a case's files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from casework.attachments.intake import IntakePolicy, read_chunks, receive, store_for
from casework.attachments.kinds import AttachmentKind
from casework.attachments.store import size_text
from casework.attachments.types import FILE_TYPES
from casework.cli.common import (
    acting_user,
    console,
    fail,
    print_json,
    reading,
    settings,
    today,
    username,
    writing,
)
from casework.errors import CaseworkError, NotFound
from casework.models import Agency, Case
from casework.services import attachments as service
from casework.services.access import scope_of
from casework.services.directory import user_by_name
from casework.services.snapshots import find_case
from workflows.roles import Actor

KINDS = "、".join(f"{k.value}（{k.label}）" for k in AttachmentKind)


def _case_and_actor(
    session: Any, ref: str, agency: str | None, as_user: str | None
) -> tuple[Case, Actor | None, bool]:
    """The case, the acting user's standing in its agency (None: no user named) and whether
    they see it only from a district office above it."""
    case = find_case(session, ref, agency)
    owner = session.get(Agency, case.agency_id)
    assert owner is not None and case.id is not None
    if as_user is None and not os.environ.get("CASEWORK_USER"):
        return case, None, False
    actor = acting_user(session, as_user, owner, today())
    access = scope_of(session, user_by_name(session, actor.name), today()).get(case.agency_id)
    if access is None:  # a user who cannot see the case: as if it did not exist
        raise NotFound(f"没有案号为“{ref}”的案件")
    return case, actor, access.supervising


def _type_label(media_type: str) -> str:
    base = media_type.split(";")[0]
    return next((t.label for t in FILE_TYPES if t.media_type == base), media_type)


def attach(
    ref: str = typer.Argument(..., help="案号"),
    file: Path = typer.Argument(..., help="要上传的文件"),
    kind: str = typer.Option(..., "--kind", help=f"附件类别：{KINDS}"),
    note: str | None = typer.Option(None, "--note", help="备注"),
    event: int | None = typer.Option(None, "--event", help="对应的办理记录序号（如送达）"),
    name: str | None = typer.Option(None, "--name", help="附件名称（默认为文件名）"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="操作人（用户名）"),
) -> None:
    where = f"案件 {ref}：附件未上传："
    config = settings()
    policy = IntakePolicy.from_settings(config)
    if not file.is_file():
        fail(f"{where}文件“{file}”不存在或不是普通文件")
    if file.stat().st_size > policy.max_bytes:  # refused before a byte is read
        fail(f"{where}文件超过大小上限 {size_text(policy.max_bytes)}，未保存")
    details = service.Details(kind, name or file.name, note, event)
    username(as_user)  # an attachment always names who added it
    store = store_for(config)
    try:
        with reading() as session:
            case, actor, _ = _case_and_actor(session, ref, agency, as_user)
            assert actor is not None and case.id is not None
            vetted = service.vet(session, case.id, details, actor)
        staged = receive(store, read_chunks(file), policy.max_bytes)
        with writing() as session:
            row = service.attach(session, store, policy, vetted, staged, actor)
    except CaseworkError as error:
        fail(where + str(error))
    console.print(
        f"案件 {ref}：已上传附件 {row.id}“{row.filename}”（{AttachmentKind(row.kind).label}，"
        f"{_type_label(row.media_type)}，{size_text(row.size)}，SHA-256 {row.sha256[:12]}…）"
    )


def attachments(
    ref: str = typer.Argument(..., help="案号"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="按该用户的权限列出（政务公开办脱敏）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    try:
        with reading() as session:
            case, actor, supervising = _case_and_actor(session, ref, agency, as_user)
            reveal = actor is None or service.reveals_files(actor, supervising=supervising)
            listed = service.case_attachments_json(session, case.id or 0, reveal=reveal)
    except CaseworkError as error:
        fail(f"案件 {ref}：{error}")
    if as_json:
        print_json(listed)
        return
    console.print(f"案件 {ref}：附件 {len(listed)} 件")
    for a in listed:
        withdrawn = ""
        if a["withdrawn"]:
            reason = f"：{a['withdrawal_reason']}" if a["withdrawal_reason"] else ""
            withdrawn = f"  [已于 {a['withdrawn_at'][:10]} 由 {a['withdrawn_by']} 撤回{reason}]"
        event = f"  办理记录第 {a['event_seq']} 项" if a["event_seq"] else ""
        note = f"  备注：{a['note']}" if a["note"] else ""
        console.print(
            f"  {a['id']}. {a['kind_label']}  {a['filename']}  {_type_label(a['media_type'])} "
            f"{size_text(a['size'])}  {a['uploaded_at'][:10]} {a['uploaded_by']}"
            f"  {a['scan_label']}{event}{note}{withdrawn}"
        )


def attachment(
    ref: str = typer.Argument(..., help="案号"),
    attachment_id: int = typer.Argument(..., help="附件编号"),
    output: Path = typer.Option(..., "--output", "-o", help="保存到此路径"),
    force: bool = typer.Option(False, "--force", help="覆盖已有文件"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="按该用户的权限下载"),
) -> None:
    where = f"案件 {ref}：附件 {attachment_id} 未保存："
    if output.exists() and not force:
        fail(f"{where}“{output}”已存在；请换一个路径或加 --force")
    if not output.parent.is_dir():
        fail(f"{where}目录“{output.parent}”不存在")
    store = store_for(settings())
    try:
        with reading() as session:
            case, actor, supervising = _case_and_actor(session, ref, agency, as_user)
            if actor is not None:
                service.may_read_files(actor, supervising=supervising)
            item = service.one(session, case.id or 0, attachment_id)
        # written beside the target and renamed once whole and verified against its hash
        fd, temp = tempfile.mkstemp(dir=output.parent, prefix=".casework-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in store.chunks(item.attachment.sha256):
                    out.write(chunk)
            os.replace(temp, output)
        finally:
            Path(temp).unlink(missing_ok=True)
    except CaseworkError as error:
        fail(where + str(error))
    except OSError as error:
        fail(f"{where}{error.strerror or error}")
    a = item.attachment
    mark = "（已撤回）" if item.withdrawal else ""
    console.print(
        f"案件 {ref}：附件 {attachment_id}“{a.filename}”{mark}已保存到 {output}"
        f"（{size_text(a.size)}，SHA-256 核对无误）"
    )


def withdraw_attachment(
    ref: str = typer.Argument(..., help="案号"),
    attachment_id: int = typer.Argument(..., help="附件编号"),
    reason: str = typer.Option(..., "--reason", help="撤回理由（附件仍保留在案卷记录中）"),
    agency: str | None = typer.Option(None, "--agency"),
    as_user: str | None = typer.Option(None, "--as", help="操作人（用户名）"),
) -> None:
    where = f"案件 {ref}：附件 {attachment_id} 未撤回："
    username(as_user)
    try:
        with writing() as session:
            case, actor, _ = _case_and_actor(session, ref, agency, as_user)
            assert actor is not None
            item = service.withdraw(session, case.id or 0, attachment_id, reason, actor)
    except CaseworkError as error:
        fail(where + str(error))
    console.print(
        f"案件 {ref}：附件 {attachment_id}“{item.attachment.filename}”已撤回"
        "（记录和文件均保留，仍可查看、下载）"
    )
