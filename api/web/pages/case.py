"""The case page `/cases/{id}`: summary, deadlines with their derivation, timeline, the actions
this user may take now (each a form made from the action's payload schema), notices (preview,
issue, download), attachments and the case file. A thin door onto the services the API's
routers call: `perform` for actions (with the version the user saw: a stale one is 409),
`casework.notices.service` for notices, `api.routers.attachments.receive` for uploads.

Every form posts through htmx (the page is boosted) and gets the whole page back, re-rendered
from a fresh read after the commit; a refused form comes back alone, with each reason beside
its field and what the user typed kept (422)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.deps import CaseId, Db, reading, streams_own_body, visible_case
from api.problems import Problem
from api.routers import attachments as attachment_doors
from api.web.errors import is_htmx
from api.web.pages.case_actions import (
    VERSION,
    ActionForm,
    action_form,
    effective_on,
    payload_from_form,
    place_reasons,
)
from api.web.pages.case_view import OfferView, PageState, case_context, notice_fields
from api.web.pages.district import supervision_panel
from api.web.session import Me, Visitor
from api.web.templating import fragment, render
from casework.errors import ActionError, Invalid, NotFound
from casework.models import Case
from casework.notices import service as notices
from casework.notices.kinds import NoticeKind, offered_by_action
from casework.services import attachments
from casework.services.perform import perform
from workflows.actions import ACTION_BY_NAME, By

router = APIRouter(include_in_schema=False)

FORM = "_form"  # the key of an error that belongs to the whole form


async def form_values(request: Request) -> dict[str, str]:
    """A posted form's text fields (an urlencoded body: already parsed, and vetted for control
    characters, by the app's body check)."""
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


Values = Annotated[dict[str, str], Depends(form_values)]


def page_url(case_id: int) -> str:
    return f"/cases/{case_id}"


def _page(
    request: Request,
    session: Session,
    me: Visitor,
    case_id: int,
    state: PageState | None = None,
    status: int = 200,
) -> HTMLResponse:
    # after a form, the address stays the case's own (a reload shows the case, not the form's
    # target); hx-push-url="false" on the forms keeps a refusal from changing it either
    headers = {"HX-Replace-Url": page_url(case_id)} if request.method == "POST" else None
    context = case_context(session, me, case_id, state)  # 404 unless the visitor sees the case
    row = session.get(Case, case_id)
    assert row is not None
    context["supervisions"] = supervision_panel(session, me, row)
    return render(request, session, me, "case.html", status=status, headers=headers, **context)


@router.get("/cases/{case_id:int}", response_class=HTMLResponse)
def case_page(request: Request, case_id: CaseId, me: Me, session: Db) -> HTMLResponse:
    return _page(request, session, me, case_id)


def _version(values: dict[str, str]) -> int:
    text = values.get(VERSION, "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise Problem("precondition_required", "表单缺少案件版本，请重新载入页面后再办理")
    return int(text)


def _refused(
    request: Request, me: Visitor, case_id: int, version: int, form: ActionForm
) -> Response:
    """The form again, as typed, with its errors (422): alone for htmx, else in the page."""
    if is_htmx(request):
        swap = {"HX-Retarget": f"#act-{form.name}", "HX-Reswap": "outerHTML"}
        return fragment(request, "_case_action.html", status=422, headers=swap,
                        case_id=case_id, version=version, form=form)  # fmt: skip
    with reading() as reader:
        return _page(request, reader, me, case_id, PageState(forms={form.name: form}), 422)


@router.post("/cases/{case_id:int}/actions/{action}", response_class=HTMLResponse)
def act(
    request: Request, case_id: CaseId, action: str, me: Me, session: Db, values: Values
) -> Response:
    """One action, as the API's `POST /api/v1/cases/{id}/actions/{action}` takes it."""
    spec = ACTION_BY_NAME.get(action)
    if spec is None or spec.by is not By.USER or spec.name == "register":
        raise NotFound(f"没有“{action}”这项操作")
    case, access = visible_case(session, me.caller, case_id)
    me.caller.require(access, spec.roles, f"“{spec.label}”")
    version = _version(values)
    offered = offered_by_action(spec.name)
    form = action_form(spec, offered["title"] if offered else None, me.caller.today)
    form.values = dict(values)
    try:
        on = effective_on(values)
    except ValueError:
        form.errors["on"] = "须为日期（YYYY-MM-DD）"
        return _refused(request, me, case_id, version, form)
    try:
        performed = perform(
            session,
            case_id=case_id,
            action=spec.name,
            payload=payload_from_form(form, values),
            actor=me.caller.actor(case.agency_id),
            today=me.caller.today,
            expected_version=version,
            on=on,
        )
    except ActionError as error:
        form.errors, form.general = place_reasons(form, error.reasons, error.field)
        return _refused(request, me, case_id, version, form)
    except Invalid as error:
        form.errors, form.general = place_reasons(form, [str(error)], error.field)
        return _refused(request, me, case_id, version, form)
    session.commit()
    state = PageState(done=f"已办理：{spec.label}", warnings=list(performed.warnings))
    with reading() as reader:
        return _page(request, reader, me, case_id, state)


# -- notices --------------------------------------------------------------------------------


def _offer(values: dict[str, str]) -> tuple[OfferView, dict[str, Any]]:
    """The notice a form names (kind, step, recipient), and the fields typed for it."""
    kind = values.get("kind", "")
    if kind not in {k.value for k in NoticeKind}:
        raise Invalid("未知的告知书类型", "kind")
    step = values.get("step", "")
    if not step.isascii() or not step.isdigit() or len(step) > 9:
        raise Invalid("告知书所属的办理步骤有误", "step")
    offer = OfferView(int(step), "", kind, NoticeKind(kind).label, values.get("recipient", ""),
                      notice_fields(kind), values=dict(values))  # fmt: skip
    fields: dict[str, Any] = {}
    for f in offer.fields:
        text = values.get(f.name, "").strip()
        if text and f.widget == "lines":  # one item a line
            fields[f.name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif text:
            fields[f.name] = text
    return offer, fields


def _may_issue(session: Session, me: Visitor, case_id: int) -> int:
    """The case's agency, once the user may see it (404) and issue its notices (403)."""
    case, access = visible_case(session, me.caller, case_id)
    me.caller.require(access, notices.ISSUERS, "出具告知书")
    return case.agency_id


@router.post("/cases/{case_id:int}/notices", response_class=HTMLResponse)
def issue_notice(
    request: Request, case_id: CaseId, me: Me, session: Db, values: Values
) -> Response:
    agency_id = _may_issue(session, me, case_id)
    offer, fields = _offer(values)
    try:
        notice = notices.issue_notice(
            session, case_id, offer.kind, me.caller.actor(agency_id), event_seq=offer.step,
            recipient=offer.recipient or None, fields=fields,
        )  # fmt: skip
    except Invalid as error:
        offer.errors, offer.general = _notice_errors(offer, error)
        if is_htmx(request):
            swap = {"HX-Retarget": f"#{offer.key}-box", "HX-Reswap": "outerHTML"}
            return fragment(request, "_case_offer.html", status=422, headers=swap,
                            case_id=case_id, offer=offer)  # fmt: skip
        with reading() as reader:
            return _page(request, reader, me, case_id, PageState(offers={offer.key: offer}), 422)
    warnings = notices.issue_warnings(notice, me.caller.today)
    number, notice_id = notice.number, notice.id
    session.commit()
    state = PageState(done=f"已出具{offer.title}，文号 {number}", warnings=warnings,
                      opened_notice=notice_id)  # fmt: skip
    with reading() as reader:
        return _page(request, reader, me, case_id, state)


def _notice_errors(offer: OfferView, error: Invalid) -> tuple[dict[str, str], list[str]]:
    """The reason beside the field it names ("details：…" or the field the error names)."""
    text = str(error)
    named = (error.field or "").split(".")[0]
    if named not in {f.name for f in offer.fields}:
        return {}, [text]
    return {named: text.removeprefix(f"{error.field}：")}, []


@router.post("/cases/{case_id:int}/notices/preview", response_class=HTMLResponse)
def preview_notice(
    request: Request, case_id: CaseId, me: Me, session: Db, values: Values
) -> Response:
    """The draft of a notice not issued yet, as issuing it now would make it (no 文号)."""
    agency_id = _may_issue(session, me, case_id)
    offer, fields = _offer(values)
    try:
        html = notices.preview_notice(
            session, case_id, offer.kind, me.caller.actor(agency_id), event_seq=offer.step,
            recipient=offer.recipient or None, fields=fields,
        )  # fmt: skip
    except Invalid as error:
        return fragment(request, "_case_draft.html", status=422, offer=offer, html="",
                        error=str(error))  # fmt: skip
    return fragment(request, "_case_draft.html", offer=offer, html=html, error="")


# -- attachments ----------------------------------------------------------------------------


@router.post("/cases/{case_id:int}/attachments", response_class=HTMLResponse)
@streams_own_body
async def upload(request: Request, case_id: CaseId, me: Me, session: Db) -> Response:
    """An upload through the API's own door (read as it arrives, checked, kept, recorded)."""
    item = await attachment_doors.receive(request, me.caller, session, case_id)
    state = PageState(done=f"已上传附件：{item.attachment.filename}")
    return await run_in_threadpool(_fresh_page, request, me, case_id, state)


def _fresh_page(request: Request, me: Visitor, case_id: int, state: PageState) -> HTMLResponse:
    with reading() as reader:
        return _page(request, reader, me, case_id, state)


@router.post(
    "/cases/{case_id:int}/attachments/{attachment_id:int}/withdraw", response_class=HTMLResponse
)
def withdraw_attachment(
    request: Request,
    case_id: CaseId,
    attachment_id: int,
    me: Me,
    session: Db,
    values: Values,
) -> Response:
    case, _access = visible_case(session, me.caller, case_id)
    item = attachments.withdraw(session, case_id, attachment_id, values.get("reason", ""),
                                me.caller.actor(case.agency_id))  # fmt: skip
    name = item.attachment.filename
    session.commit()
    with reading() as reader:
        return _page(request, reader, me, case_id, PageState(done=f"已撤回附件：{name}"))
