"""The case file (案卷) of a case: one ZIP with the request, the notices, the attachments and
the history, or its cover list (卷内目录) alone as PDF."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from api.deps import Caller, CaseId, Db, Me, visible_case
from api.http_semantics import content_disposition
from casework.attachments.intake import store_for
from casework.casefile.archive import archive_root, cover_only, may_export, write_case_file
from casework.models import Case
from casework.settings import get_settings

router = APIRouter(prefix="/cases", tags=["案卷"])

IN_MEMORY = 16 * 1024 * 1024  # a bigger archive spills to a temporary file
CHUNK = 256 * 1024


def _allowed(session: Db, caller: Caller, case_id: int) -> Case:
    case, access = visible_case(session, caller, case_id)
    may_export(caller.actor(case.agency_id), supervising=access.supervising)
    return case


def _stream(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get(
    "/{case_id}/case-file",
    summary="导出案卷（ZIP）：申请、全部告知书、附件、办理记录和卷内目录",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "案卷 ZIP；manifest.json 列出每个文件的 SHA-256",
        },
        403: {"description": "案卷含个人信息：政务公开办及无权角色不能导出"},
    },
)
def case_file(case_id: CaseId, caller: Me, session: Db) -> StreamingResponse:
    case = _allowed(session, caller, case_id)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 - closed by _stream
    write_case_file(session, store_for(get_settings()), case, spool, caller.now)
    size = spool.tell()
    return StreamingResponse(
        _stream(spool),
        media_type="application/zip",
        headers={
            "Content-Disposition": content_disposition(
                f"{archive_root(case)}.zip", "case-file.zip"
            ),
            "Content-Length": str(size),
        },
    )


@router.get(
    "/{case_id}/case-file/cover.pdf",
    summary="案卷的卷内目录（PDF）",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        403: {"description": "案卷含个人信息：政务公开办及无权角色不能导出"},
    },
)
def cover(case_id: CaseId, caller: Me, session: Db) -> Response:
    case = _allowed(session, caller, case_id)
    pdf = cover_only(session, store_for(get_settings()), case, caller.today)
    name = f"{archive_root(case)}-卷内目录.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": content_disposition(name, "cover.pdf", inline=True)},
    )
