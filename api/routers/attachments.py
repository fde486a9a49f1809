"""Attachments of a case: upload (multipart, streamed), list, download, withdraw. Thin doors
onto `casework.services.attachments`; visibility as for the case (another agency's: 404),
uploads and withdrawals by the agency's clerks and approvers, files opened by the agency's own
people only — a district office lists them, masked, but may not download (403: it may know
the attachment exists, it may not have the personal data inside)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Request, Response
from fastapi.responses import FileResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.attachment_schemas import AttachmentOut, WithdrawIn
from api.deps import Caller, CaseId, Db, Me, reading, streams_own_body, visible_case
from api.http_semantics import content_disposition
from api.problems import Problem
from api.uploads import FILE_FIELD, boundary_of, read_form, refuse_declared_size
from casework.attachments.intake import IntakePolicy, store_for
from casework.attachments.kinds import AttachmentKind
from casework.attachments.names import extension_of
from casework.attachments.store import Staged, Store
from casework.attachments.types import MEDIA_TYPES
from casework.errors import Invalid, TooLarge
from casework.models import Case
from casework.services import attachments as service
from casework.settings import get_settings

router = APIRouter(prefix="/cases", tags=["附件"])
log = logging.getLogger(__name__)

AttachmentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="附件编号")]
KIND_TEXT = "；".join(f"{k.value} {k.label}" for k in AttachmentKind)
UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [FILE_FIELD, "kind"],
                "properties": {
                    FILE_FIELD: {"type": "string", "format": "binary", "description": "文件"},
                    "kind": {
                        "type": "string",
                        "enum": [k.value for k in AttachmentKind],
                        "description": f"附件类别：{KIND_TEXT}",
                    },
                    "note": {"type": "string", "maxLength": 2000, "description": "备注"},
                    "event_seq": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "对应的办理记录序号（如送达凭证对应的送达）",
                    },
                },
            },
            "encoding": {FILE_FIELD: {"contentType": "application/octet-stream"}},
            "examples": {
                "service_evidence": {
                    "summary": "邮寄送达的回执（对应第 3 项办理记录：送达）",
                    "value": {
                        FILE_FIELD: "送达回证.pdf 的文件内容",
                        "kind": "service_evidence",
                        "note": "挂号信 XA123456789CN，2026-11-25 签收",
                        "event_seq": 3,
                    },
                }
            },
        }
    },
}
CLOSE = {"Connection": "close"}  # uvicorn then drops the connection instead of draining it
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _out(item: service.Listed, *, reveal: bool) -> AttachmentOut:
    return AttachmentOut.model_validate(service.as_json(item, reveal=reveal))


def _location(case_id: int, attachment_id: int) -> str:
    return f"/api/v1/cases/{case_id}/attachments/{attachment_id}"


def _may_upload(caller: Caller, case_id: int) -> None:
    """404 for a case the caller does not see, 403 for a role that may not attach — in a
    read transaction of its own, before the body is read (no write lock during an upload)."""
    with reading() as reader:
        case, _access = visible_case(reader, caller, case_id)
        service.may_attach(caller.actor(case.agency_id))


def _vet(caller: Caller, case_id: int, details: service.Details) -> service.Vetted:
    with reading() as reader:
        case = reader.get_one(Case, case_id)
        return service.vet(reader, case_id, details, caller.actor(case.agency_id))


def _details(fields: dict[str, str], filename: str | None) -> service.Details:
    if filename is None:
        raise Invalid("缺少文件（multipart 的 file 字段）", FILE_FIELD)
    kind = fields.get("kind")
    if not kind:
        raise Invalid("缺少附件类别（kind 字段）", "kind")
    seq_text = fields.get("event_seq") or None
    if seq_text is not None and not (
        seq_text.isascii() and seq_text.isdigit() and len(seq_text) < 10
    ):
        raise Invalid("办理记录序号须为正整数", "event_seq")
    return service.Details(
        kind, filename, fields.get("note") or None, int(seq_text) if seq_text else None
    )


@router.post(
    "/{case_id}/attachments",
    summary="上传附件（multipart/form-data：file 文件，kind 类别，可选 note、event_seq）",
    description="文件按内容识别类型（扩展名须与内容相符，无扩展名的自动补上），超过大小上限的在读到上限时即拒收；"
    "配置了查毒程序的，查毒通过才保存。相同内容只存一份。上传附件不改变案件版本，无须 If-Match。",
    status_code=201,
    response_model=AttachmentOut,
    openapi_extra={"requestBody": UPLOAD_BODY},
    responses={
        201: {
            "headers": {
                "Location": {"description": "附件地址（下载）"},
                "ETag": {"description": "内容的 SHA-256"},
            }
        },
        403: {"description": "无上传权限（查看人员、政务公开办）"},
        404: {"description": "没有这个案件（或不可见）"},
        413: {"description": "文件超过大小上限"},
        415: {"description": "不接受的文件类型，或扩展名与内容不符", "content": PROBLEM},
        422: {"description": "输入有误，或查毒发现病毒（type 为 /problems/infected）"},
        503: {"description": "查毒程序出错，按设置不保存未经查毒的文件"},
    },
)
@streams_own_body
async def upload(
    case_id: CaseId, request: Request, caller: Me, session: Db, response: Response
) -> AttachmentOut:
    item = await receive(request, caller, session, case_id)
    response.headers["Location"] = _location(case_id, item.id)
    response.headers["ETag"] = f'"{item.attachment.sha256}"'
    return _out(item, reveal=True)  # the uploader is a clerk or an approver of the agency


async def receive(
    request: Request, caller: Caller, session: Session, case_id: int
) -> service.Listed:
    """An upload read as it arrives, checked, kept and recorded, committed — the one door for
    the API and the case page (whose route is `streams_own_body` too)."""
    await run_in_threadpool(_may_upload, caller, case_id)
    config = get_settings()
    policy = IntakePolicy.from_settings(config)
    boundary = boundary_of(request)
    refuse_declared_size(request, policy.max_bytes, headers=CLOSE)
    store = store_for(config)
    staged: Staged = await run_in_threadpool(store.stage, policy.max_bytes)
    try:
        try:
            form = await read_form(request, boundary, staged)
        except TooLarge as error:  # close the connection: the rest of the body is not read
            raise Problem("payload_too_large", str(error), headers=CLOSE) from None
        details = _details(form.fields, form.filename)
        vetted = await run_in_threadpool(_vet, caller, case_id, details)
        item = await run_in_threadpool(
            _keep_and_record, session, store, policy, vetted, staged, caller
        )
    finally:
        await run_in_threadpool(staged.discard)  # nothing once kept; the temporary copy else
    return item


def _keep_and_record(
    session: Session,
    store: Store,
    policy: IntakePolicy,
    vetted: service.Vetted,
    staged: Staged,
    caller: Caller,
) -> service.Listed:
    with reading() as reader:
        agency_id = reader.get_one(Case, vetted.case_id).agency_id
    row = service.attach(session, store, policy, vetted, staged, caller.actor(agency_id))
    session.commit()
    return service.Listed(row, None)


@router.get(
    "/{case_id}/attachments",
    summary="案件的附件目录（含已撤回的）",
    response_model=list[AttachmentOut],
)
def list_attachments(case_id: CaseId, caller: Me, session: Db) -> list[AttachmentOut]:
    case, access = visible_case(session, caller, case_id)
    reveal = service.reveals_files(caller.actor(case.agency_id), supervising=access.supervising)
    return [_out(item, reveal=reveal) for item in service.listed(session, case_id)]


DOWNLOAD_CONTENT = {
    media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in MEDIA_TYPES
}


@router.get(
    "/{case_id}/attachments/{attachment_id}",
    summary="下载附件（Content-Type 按内容识别；ETag 为 SHA-256，支持 If-None-Match）",
    response_class=Response,
    responses={
        200: {
            "content": DOWNLOAD_CONTENT,
            "description": "文件内容",
            "headers": {
                "ETag": {"description": "内容的 SHA-256"},
                "Content-Disposition": {
                    "description": "attachment; filename*=UTF-8''…（原文件名）"
                },
            },
        },
        304: {"description": "内容未变（If-None-Match 与 ETag 相符）"},
        403: {"description": "无下载权限（政务公开办不能下载下级机关案件的附件：含个人信息）"},
        404: {"description": "没有这个案件或附件（或不可见）"},
    },
)
def download(
    case_id: CaseId,
    attachment_id: AttachmentId,
    caller: Me,
    session: Db,
    if_none_match: Annotated[str | None, Header(alias="If-None-Match", max_length=1000)] = None,
) -> Response:
    case, access = visible_case(session, caller, case_id)
    service.may_read_files(caller.actor(case.agency_id), supervising=access.supervising)
    item = service.one(session, case_id, attachment_id)
    a = item.attachment
    etag = f'"{a.sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",  # personal data: no shared cache keeps it
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if if_none_match is not None and etag in {
        t.strip().removeprefix("W/") for t in if_none_match.split(",")
    }:
        return Response(status_code=304, headers=headers)
    path = store_for(get_settings()).path_of(a.sha256)
    if not path.is_file():  # the store lost it: an operator's problem, never the client's
        log.error("attachment %s of case %s: file %s is missing", a.id, case_id, path)
        raise Problem("internal", "附件文件缺失，已记录，请联系管理员")
    fallback = f"attachment-{a.id}{extension_of(a.filename) or ''}"
    headers["Content-Disposition"] = content_disposition(a.filename, fallback)
    return FileResponse(path, media_type=a.media_type, headers=headers)


def _may_withdraw(case_id: CaseId, caller: Me, session: Db) -> Case:
    """Visibility (404) and role (403) before the body is looked at (422)."""
    case, _access = visible_case(session, caller, case_id)
    service.may_attach(caller.actor(case.agency_id))
    return case


@router.post(
    "/{case_id}/attachments/{attachment_id}/withdraw",
    summary="撤回附件（记录和文件均保留，标明撤回人和理由）",
    response_model=AttachmentOut,
    responses={
        403: {"description": "无权撤回（经办人或负责人办理）"},
        404: {"description": "没有这个案件或附件（或不可见）"},
        409: {"description": "附件已撤回"},
    },
)
def withdraw(
    case_id: CaseId,
    attachment_id: AttachmentId,
    caller: Me,
    session: Db,
    case: Annotated[Case, Depends(_may_withdraw)],
    body: Annotated[WithdrawIn, Body()],
) -> AttachmentOut:
    item = service.withdraw(
        session, case_id, attachment_id, body.reason, caller.actor(case.agency_id)
    )
    session.commit()
    return _out(item, reveal=True)
