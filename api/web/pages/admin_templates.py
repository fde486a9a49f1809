"""管理 › 告知书模板: per notice kind, the template in use (built-in, or the agency's own
version) and every version the agency uploaded; download one (DOCX), preview it filled with
sample facts, upload a new version or go back to the built-in template. The versions are
`casework.notices.library`'s (the door `casework notice template …` uses): stored in the
database, never changed once stored, checked by rendering them once before they are kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from api.deps import Db, reading
from api.http_semantics import content_disposition
from api.web.pages.admin import require_admin, tabs
from api.web.session import Me, Visitor
from api.web.templating import render
from casework.errors import Invalid, NotFound
from casework.models import Agency, NoticeTemplate
from casework.notices import library
from casework.notices.kinds import NoticeKind
from casework.notices.render import render_docx, render_html

router = APIRouter(include_in_schema=False)

Code = Annotated[str | None, Query(max_length=64)]
Kind = Annotated[str, Path(max_length=32)]
Version = Annotated[int | None, Query(ge=0, le=100_000)]  # 0: the built-in template
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEW_MARK = "模板预览：以下内容为示例数据，不是真实文书"


def _kind(value: str) -> NoticeKind:
    try:
        return NoticeKind(value)
    except ValueError:
        raise NotFound(f"没有“{value}”这类告知书") from None


def _agency(session: Session, me: Visitor, code: str | None) -> Agency:
    adm = require_admin(session, me)
    return adm.agency(code) if code else adm.home


def _template(
    session: Session, agency: Agency, kind: NoticeKind, version: int | None
) -> library.Template:
    """The template in use (no version), the built-in one (0) or the agency's version N."""
    if version is None:
        return library.current_template(session, agency, kind)
    if version == 0:
        return library.builtin(kind)
    row = session.exec(
        select(NoticeTemplate).where(
            NoticeTemplate.agency_id == agency.id,
            NoticeTemplate.kind == kind.value,
            NoticeTemplate.version == version,
        )
    ).first()
    if row is None:
        raise NotFound(f"没有{kind.label}的本机关模板 v{version}")
    return library.Template(kind, row.version, row.id, row.docx)


def _page(
    request: Request, session: Session, me: Visitor, code: str | None, done: str = "",
    errors: dict[str, str] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    adm = require_admin(session, me)
    agency = adm.agency(code) if code else adm.home
    own: dict[str, list[NoticeTemplate]] = {}
    for row in library.overrides(session, agency):
        own.setdefault(row.kind, []).append(row)
    kinds: list[dict[str, Any]] = []
    for kind in NoticeKind:
        current = library.current_template(session, agency, kind)
        kinds.append({"kind": kind, "current": current, "builtin": library.builtin(kind).version,
                      "versions": list(reversed(own.get(kind.value, [])))})  # fmt: skip
    agencies = sorted(adm.agencies.values(), key=lambda a: (a.id != adm.home.id, a.code))
    headers = ({"HX-Replace-Url": f"/admin/templates?agency={agency.code}"}
               if request.method == "POST" else None)  # fmt: skip
    return render(request, session, me, "admin_templates.html", status=status, headers=headers,
                  tabs=tabs(me), agency=agency, agencies=agencies, kinds=kinds,
                  outcome={"done": done}, errors=errors or {},
                  max_mb=library.MAX_TEMPLATE_BYTES // 1024 // 1024)  # fmt: skip


@router.get("/admin/templates", response_class=HTMLResponse)
def templates_page(request: Request, me: Me, session: Db, agency: Code = None) -> HTMLResponse:
    return _page(request, session, me, agency)


@router.get("/admin/templates/{kind}/file")
def download(
    kind: Kind, me: Me, session: Db, agency: Code = None, version: Version = None
) -> Response:
    chosen = _kind(kind)
    template = _template(session, _agency(session, me, agency), chosen, version)
    origin = f"本机关v{template.version}" if template.override_id else f"系统v{template.version}"
    name = f"{chosen.label}模板（{origin}）.docx"
    fallback = f"{chosen.value}-template-v{template.version}.docx"
    return Response(template.docx, media_type=DOCX,
                    headers={"Content-Disposition": content_disposition(name, fallback)})  # fmt: skip


@router.get("/admin/templates/{kind}/preview", response_class=HTMLResponse)
def preview(
    kind: Kind, me: Me, session: Db, agency: Code = None, version: Version = None
) -> HTMLResponse:
    """The template filled with the sample facts it was checked with, as HTML."""
    chosen = _kind(kind)
    template = _template(session, _agency(session, me, agency), chosen, version)
    filled = render_docx(template.docx, library.sample_context(chosen))
    page = render_html(filled, f"{chosen.label}（{template.label}）", banner=PREVIEW_MARK)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.post("/admin/templates/{kind}", response_class=HTMLResponse)
def upload(
    request: Request,
    kind: Kind,
    me: Me,
    session: Db,
    agency: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
    file: UploadFile | None = None,
) -> HTMLResponse:
    chosen = _kind(kind)
    target = _agency(session, me, agency or None)
    errors: dict[str, str] = {}
    data = file.file.read(library.MAX_TEMPLATE_BYTES + 1) if file is not None else b""
    if not data:
        errors[f"file-{chosen.value}"] = "请选择 DOCX 模板文件"
    else:
        try:
            row = library.set_override(session, target, chosen, data, me.caller.username,
                                       note.strip() or None)  # fmt: skip
        except Invalid as error:
            session.rollback()
            errors[f"file-{chosen.value}"] = str(error)
    if errors:
        with reading() as reader:
            return _page(request, reader, me, target.code, errors=errors, status=422)
    done = f"{chosen.label}已保存为本机关模板 v{row.version}，此后出具的告知书使用该版本"
    session.commit()
    with reading() as reader:
        return _page(request, reader, me, target.code, done)


@router.post("/admin/templates/{kind}/reset", response_class=HTMLResponse)
def reset(
    request: Request,
    kind: Kind,
    me: Me,
    session: Db,
    agency: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    chosen = _kind(kind)
    target = _agency(session, me, agency or None)
    changed = library.reset_override(session, target, chosen)
    session.commit()
    done = (f"{chosen.label}已恢复使用系统模板（本机关各版本仍保留）" if changed
            else f"{chosen.label}本来就使用系统模板")  # fmt: skip
    with reading() as reader:
        return _page(request, reader, me, target.code, done)
