"""Notices (告知书) of a case: what its steps call for, issuing one (a 文号 is taken), and the
document as DOCX, an HTML preview or PDF (where LibreOffice is installed).

Roles that see personal data (clerk, approver) get the documents; others who see the case (an
auditor, a district office) get the list and an HTML preview with the applicant's name masked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CaseId, Db, Me, reading, visible_case
from api.http_semantics import content_disposition
from api.problems import Problem
from api.schemas import Out
from casework.errors import Forbidden
from casework.models import Case, Notice
from casework.notices import service
from casework.notices.kinds import NoticeKind
from casework.notices.pdf import PdfUnavailable
from casework.notices.render import paragraphs
from casework.services.access import Access
from casework.services.snapshots import context_for

router = APIRouter(prefix="/cases", tags=["告知书"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NoticeId = Annotated[int, Path(ge=1, le=2**31 - 1, description="告知书编号", examples=[12])]
KIND_LIST = "、".join(f"{k.value}（{k.label}）" for k in NoticeKind)


class TemplateOut(Out):
    kind: str
    version: int
    override_id: int | None = Field(description="本机关模板的编号；null：系统模板")


class NoticeOut(Out):
    id: int
    case_id: int
    number: str = Field(description="文号")
    kind: str
    title: str
    recipient: str | None = Field(description="收件方（第三方）；null：申请人")
    dated: date = Field(description="落款日期（所属步骤的生效日期）")
    step: int = Field(description="所属办理步骤（办理记录的序号）")
    template: TemplateOut
    content_hash: str = Field(description="DOCX 的 SHA-256")
    issued_by: str
    issued_at: datetime
    text: list[str] | None = Field(
        default=None, description="全文（逐段）；个人信息按角色脱敏；列表中不含"
    )
    warnings: list[str] = Field(
        default_factory=list, description="出具时的提示（如按步骤日期倒签）；仅在出具的答复中"
    )


class OfferOut(Out):
    step: int
    action: str
    kind: str
    title: str
    recipient: str | None
    needs_fields: list[str] = Field(description="出具前须填写的字段")
    notice_id: int | None = Field(description="已出具的告知书编号；null：尚未出具")
    number: str | None


class NoticeListOut(Out):
    issued: list[NoticeOut]
    offered: list[OfferOut] = Field(description="各步骤应出具的告知书（含已出具的）")


class NoticeIssueIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "correction", "fields": {"items": ["请明确所需文件的名称或文号"]}},
                {"kind": "disclosure_decision", "recipient": "某置业有限公司",
                 "fields": {"content": "某地块土地征收补偿协议", "reasons": "涉及公共利益"}},
            ]
        },
    )  # fmt: skip
    kind: str = Field(min_length=1, max_length=32, description=f"告知书类型：{KIND_LIST}")
    step: int | None = Field(
        default=None,
        strict=True,
        ge=1,
        le=2**31 - 1,
        description="所属办理步骤；默认最近一个应出具的步骤",
    )
    recipient: str | None = Field(
        default=None, min_length=1, max_length=200, description="收件方（第三方名称）"
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="补充内容：items（补正事项）、approver、information、content、reasons、"
        "standard、payment_method、details、competent_agency（按类型）",
    )


def notice_out(
    notice: Notice, text: list[str] | None = None, warnings: list[str] | None = None
) -> NoticeOut:
    return NoticeOut(
        id=notice.id or 0,
        case_id=notice.case_id,
        number=notice.number,
        kind=notice.kind,
        title=NoticeKind(notice.kind).label,
        recipient=notice.recipient or None,
        dated=notice.dated,
        step=int(notice.context.get("step", 0)),
        template=TemplateOut(
            kind=notice.template_kind,
            version=notice.template_version,
            override_id=notice.template_override_id,
        ),
        content_hash=notice.content_hash,
        issued_by=notice.issued_by_name,
        issued_at=notice.issued_at,
        text=text,
        warnings=warnings or [],
    )


@router.get(
    "/{case_id}/notices",
    summary="案件的告知书：已出具的，以及各步骤应出具的",
    response_model=NoticeListOut,
    responses={404: {"description": "没有这个案件（或不可见）"}},
)
def list_notices(case_id: CaseId, caller: Me, session: Db) -> NoticeListOut:
    case, _access = visible_case(session, caller, case_id)
    offers = service.offers(session, context_for(session, case))
    issued = service.case_notices(session, case_id)
    return NoticeListOut(
        issued=[notice_out(n) for n in issued],
        offered=[
            OfferOut(
                step=o.event.seq,
                action=o.event.action,
                kind=o.kind.value,
                title=o.kind.label,
                recipient=o.recipient or None,
                needs_fields=list(o.needs_fields),
                notice_id=o.notice.id if o.notice else None,
                number=o.notice.number if o.notice else None,
            )
            for o in offers
        ],
    )


def issuer(case_id: CaseId, caller: Me, session: Db) -> tuple[Case, Access]:
    """Visibility (404) and role (403) before the body is looked at (422)."""
    case, access = visible_case(session, caller, case_id)
    caller.require(access, service.ISSUERS, "出具告知书")
    return case, access


@router.post(
    "/{case_id}/notices",
    summary="出具告知书（取文号，按本机关当前模板生成并保存）",
    status_code=201,
    response_model=NoticeOut,
    responses={
        201: {"headers": {"Location": {"description": "告知书地址"}}},
        403: {"description": "只有本机关经办人或负责人可以出具"},
        404: {"description": "没有这个案件（或不可见）"},
        409: {"description": "该步骤的这份告知书已出具"},
        422: {"description": "该案件没有应出具的此类告知书，或补充内容有误"},
    },
)
def issue_notice(
    case_id: CaseId,
    caller: Me,
    session: Db,
    response: Response,
    found: Annotated[tuple[Case, Access], Depends(issuer)],
    body: Annotated[NoticeIssueIn, Body()],
) -> NoticeOut:
    case, _access = found
    notice = service.issue_notice(
        session,
        case_id,
        body.kind,
        caller.actor(case.agency_id),
        event_seq=body.step,
        recipient=body.recipient,
        fields=body.fields,
    )
    warnings = service.issue_warnings(notice, caller.today)
    session.commit()
    response.headers["Location"] = f"/api/v1/cases/{case_id}/notices/{notice.id}"
    with reading() as reader:
        row = reader.get_one(Notice, notice.id)
        return notice_out(row, service.notice_text(reader, row), warnings)


DRAFT_EXAMPLE = '<!DOCTYPE html><html lang="zh-CN">…<p>草稿预览：尚未出具，没有文号…</p>…</html>'


@router.post(
    "/{case_id}/notices/preview",
    summary="告知书草稿的 HTML 预览（出具前查看：不取文号，不保存）",
    description="请求正文与出具告知书相同；返回出具时将生成的文书（文号处为占位文字）。"
    "该步骤的告知书已出具的，返回已出具的文书。",
    response_class=Response,
    responses={
        200: {
            "content": {"text/html": {"example": DRAFT_EXAMPLE}},
            "description": "草稿的 HTML 预览",
        },
        403: {"description": "只有本机关经办人或负责人可以预览草稿"},
        404: {"description": "没有这个案件（或不可见）"},
        422: {"description": "该案件没有应出具的此类告知书，或补充内容有误"},
    },
)
def preview_notice(
    case_id: CaseId,
    caller: Me,
    session: Db,
    found: Annotated[tuple[Case, Access], Depends(issuer)],
    body: Annotated[NoticeIssueIn, Body()],
) -> Response:
    case, _access = found
    html = service.preview_notice(
        session,
        case_id,
        body.kind,
        caller.actor(case.agency_id),
        event_seq=body.step,
        recipient=body.recipient,
        fields=body.fields,
    )
    return Response(content=html, media_type="text/html; charset=utf-8")


def _readable(session: Db, caller: Me, case_id: int, notice_id: int) -> tuple[Notice, Access]:
    _case, access = visible_case(session, caller, case_id)
    return service.notice_of_case(session, case_id, notice_id), access


def _original(access: Access) -> None:
    if not access.reveals:
        raise Forbidden(
            "告知书原件含申请人个人信息，只有本机关经办人或负责人可以下载；请使用 HTML 预览"
        )


def _attachment(data: bytes, media_type: str, name: str, digest: str | None = None) -> Response:
    fallback = "notice" + name[name.rfind(".") :] if "." in name else "notice"
    headers = {"Content-Disposition": content_disposition(name, fallback)}
    if digest:
        headers["ETag"] = f'"{digest}"'
    return Response(content=data, media_type=media_type, headers=headers)


_FILE: dict[int | str, dict[str, Any]] = {200: {"description": "文件"}, 403: {"description": "无权下载原件"},
         404: {"description": "没有这个案件或告知书（或不可见）"}}  # fmt: skip


@router.get(
    "/{case_id}/notices/{notice_id}.docx",
    summary="告知书 DOCX（按出具时的模板版本和内容重新生成，与出具时相同）",
    response_class=Response,
    responses={
        **_FILE,
        200: {"content": {DOCX: {"example": "（DOCX 文件）"}}, "description": "DOCX 文件"},
    },
)
def notice_docx(case_id: CaseId, notice_id: NoticeId, caller: Me, session: Db) -> Response:
    notice, access = _readable(session, caller, case_id, notice_id)
    _original(access)
    data = service.render_notice_docx(session, notice)
    return _attachment(data, DOCX, service.filename(notice, "docx"), notice.content_hash)


@router.get(
    "/{case_id}/notices/{notice_id}.html",
    summary="告知书 HTML 预览（无下载原件权限的角色看到脱敏的预览）",
    response_class=Response,
    responses={
        **_FILE,
        200: {
            "content": {"text/html": {"example": '<!DOCTYPE html><html lang="zh-CN">…</html>'}},
            "description": "HTML 预览",
        },
    },
)
def notice_html(case_id: CaseId, notice_id: NoticeId, caller: Me, session: Db) -> Response:
    notice, access = _readable(session, caller, case_id, notice_id)
    html = service.render_notice_html(session, notice, masked=not access.reveals)
    return Response(content=html, media_type="text/html; charset=utf-8")


@router.get(
    "/{case_id}/notices/{notice_id}.pdf",
    summary="告知书 PDF（须服务器安装 LibreOffice；否则返回 422）",
    response_class=Response,
    responses={
        **_FILE,
        200: {
            "content": {"application/pdf": {"example": "（PDF 文件）"}},
            "description": "PDF 文件",
        },
        422: {"description": "本服务器无法生成 PDF（未安装 LibreOffice）"},
    },
)
def notice_pdf(case_id: CaseId, notice_id: NoticeId, caller: Me, session: Db) -> Response:
    notice, access = _readable(session, caller, case_id, notice_id)
    _original(access)
    try:
        data = service.render_notice_pdf(session, notice)
    except PdfUnavailable as error:
        raise Problem("pdf_unavailable", str(error), status=422) from None
    return _attachment(data, "application/pdf", service.filename(notice, "pdf"))


@router.get(
    "/{case_id}/notices/{notice_id}",
    summary="告知书：文号、模板版本、出具人和全文",
    response_model=NoticeOut,
    responses={
        404: {"description": "没有这个案件或告知书（或不可见）"},
    },
)
def get_notice(case_id: CaseId, notice_id: NoticeId, caller: Me, session: Db) -> NoticeOut:
    notice, access = _readable(session, caller, case_id, notice_id)
    docx = service.render_notice_docx(session, notice, masked=not access.reveals)
    return notice_out(notice, paragraphs(docx))
