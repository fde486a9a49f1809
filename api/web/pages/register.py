"""登记: the registration form (Art. 31 receipt dates by channel, the applicant, the request),
with the repeat-request pre-check as the clerk types. The form is checked by the API's own
schema (`workflows.payloads.Register`) and registered by the API's own door
(`api.routers.cases.register_case`); each problem is shown beside its field, in Chinese."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import Db, reading
from api.routers.case_checks import check_repeats
from api.routers.cases import register_case
from api.schemas import REPEATS_NOTE, RepeatCheckIn
from api.web.errors import is_htmx
from api.web.session import Me, Visitor
from api.web.templating import fragment, render
from casework.errors import ActionError, Invalid, NotFound
from casework.identity import MATCHED_ON_LABELS
from casework.ledger.vocabulary import LABELS
from casework.services.access import Access
from workflows.actions import action_spec
from workflows.outcomes import ApplicantKind
from workflows.payloads import CHANNEL_LABELS, Register, receipt_date
from workflows.validation import CONTROL_MESSAGE, message

router = APIRouter(include_in_schema=False)

REPEAT_LIMIT = 5
GENERAL = "_form"  # an error that belongs to no one field

APPLICANT_FIELDS = ("kind", "name", "id_number", "phone", "email", "address")
# Art. 31: the date each channel's request counts as received, and the form's field for it
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "submitted_on": ("in_person",),
    "signed_on": ("post",),
    "confirmed_on": ("post", "online", "fax"),
}
RECEIPT_FIELD = {"in_person": "submitted_on", "post": "signed_on", "online": "confirmed_on",
                 "fax": "confirmed_on"}  # fmt: skip
CHOICE_MESSAGES = {
    "channel": "请选择提交申请的方式",
    "applicant_kind": "请选择申请人类型",
    "delivery": "请选择获取信息的方式",
}


@dataclass
class Values:
    """The form as the user filled it in (every value a string, kept for a re-render)."""

    agency: str = ""
    key: str = ""
    ref: str = ""
    channel: str = "in_person"
    submitted_on: str = ""
    signed_on: str = ""
    confirmed_on: str = ""
    applicant_kind: str = ApplicantKind.NATURAL_PERSON.value
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    request: str = ""
    delivery: str = ""

    def payload(self) -> dict[str, Any]:
        """The registration's JSON body, as an API client would send it: blank optional
        fields left out, required ones kept (so a blank one is told "不能为空")."""
        applicant: dict[str, Any] = {"kind": self.applicant_kind, "name": self.applicant_name}
        for name in APPLICANT_FIELDS[2:]:
            value = getattr(self, f"applicant_{name}").strip()
            if value:
                applicant[name] = value
        body: dict[str, Any] = {"agency": self.agency, "applicant": applicant,
                                "channel": self.channel, "request": self.request}  # fmt: skip
        for name in ("ref", "delivery", *DATE_FIELDS):
            value = getattr(self, name).strip()
            if value:
                body[name] = value
        return body


def _day(text: str) -> date | None:
    """A date the browser's date input sent; None for a blank or half-typed one."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _form_field(path: str) -> str:
    """A schema path (applicant.name) → the form's field (applicant_name)."""
    return path.replace(".", "_") if path else GENERAL


def _schema_errors(exc: ValidationError, channel: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        text = message(error)
        if not loc and CONTROL_MESSAGE in text:  # "applicant.name：不能包含控制字符…"
            where, _, text = text.partition("：")
            field = _form_field(where)
        elif not loc:  # the receipt date of the channel (Register._receipt_date)
            field = RECEIPT_FIELD.get(channel, GENERAL)
        else:
            field = _form_field(".".join(loc))
        if field in CHOICE_MESSAGES and error["type"] in ("literal_error", "enum"):
            text = CHOICE_MESSAGES[field]
        errors.setdefault(field, text)
    return errors


def _receipt_errors(payload: dict[str, Any], exc: ValidationError, channel: str) -> dict[str, str]:
    """The schema checks the channel's receipt date only once every field is valid; so that
    the form tells every problem at once, the same schema checks it again with the fields
    in error set aside (a stand-in value, or a bad date left out)."""
    trial = copy.deepcopy(payload)
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        if not loc or loc == ["channel"]:
            return {}  # the receipt was checked already, or cannot be without a channel
        holder, last = trial, loc[-1]
        for part in loc[:-1]:
            holder = holder.setdefault(part, {})
        if loc == ["applicant", "kind"]:
            holder[last] = ApplicantKind.OTHER_ORG.value
        elif loc in (["agency"], ["request"], ["applicant", "name"]):
            holder[last] = "-"
        else:  # an optional field (a date, the delivery, the ref …)
            holder.pop(last, None)
    try:
        Register.model_validate(trial)
    except ValidationError as again:
        return {k: v for k, v in _schema_errors(again, channel).items()
                if k in DATE_FIELDS.keys() | {GENERAL}}  # fmt: skip
    return {}


def _refusal(error: ActionError | Invalid, channel: str) -> dict[str, str]:
    """A refusal by the service, beside its field where it names one."""
    field = getattr(error, "field", None)
    if isinstance(error, Invalid) and field == "Idempotency-Key":
        return {GENERAL: "此登记表已经提交过。如需登记另一件申请，请核对后再次提交。"}
    if field in ("received_on", "on"):
        field = RECEIPT_FIELD.get(channel)
    text = "；".join(error.reasons) if isinstance(error, ActionError) else str(error)
    if field is None or field in ("agency", "follow_up_of"):
        return {GENERAL: f"未能登记：{text}"}
    return {_form_field(field): text}


def _registering(me: Visitor) -> Access:
    """The agency the user works in now, where they must be allowed to register."""
    access = me.current
    if access is None:
        raise NotFound("您在任何机关都没有角色")
    me.caller.require(access, action_spec("register").roles, "登记")
    return access


def _page(request: Request, session: Db, me: Me, values: Values, errors: dict[str, str],
          status: int = 200) -> HTMLResponse:  # fmt: skip
    return render(
        request,
        session,
        me,
        "register.html",
        status=status,
        v=values,
        errors=errors,
        general=errors.get(GENERAL),
        channels=list(CHANNEL_LABELS.items()),
        kinds=[(k.value, k.label) for k in ApplicantKind],
        deliveries=list(LABELS["delivery"].items()),
        date_fields=DATE_FIELDS,
        today=me.caller.today,
    )


@router.get("/cases/new", response_class=HTMLResponse)
def register_form(request: Request, me: Me, session: Db) -> HTMLResponse:
    access = _registering(me)
    values = Values(agency=access.agency.code, key=f"web-{uuid.uuid4()}",
                    submitted_on=me.caller.today.isoformat())  # fmt: skip
    return _page(request, session, me, values, {})


FormText = Annotated[str, Form(max_length=20_000)]
FormShort = Annotated[str, Form(max_length=255)]


@router.post("/cases/new", response_class=HTMLResponse)
def register(
    request: Request,
    me: Me,
    session: Db,
    agency: FormShort = "",
    key: FormShort = "",
    ref: FormShort = "",
    channel: FormShort = "",
    submitted_on: FormShort = "",
    signed_on: FormShort = "",
    confirmed_on: FormShort = "",
    applicant_kind: FormShort = "",
    applicant_name: FormText = "",
    applicant_id_number: FormText = "",
    applicant_phone: FormText = "",
    applicant_email: FormText = "",
    applicant_address: FormText = "",
    request_text: Annotated[str, Form(alias="request", max_length=20_000)] = "",
    delivery: FormShort = "",
) -> Response:
    values = Values(agency, key, ref, channel, submitted_on, signed_on, confirmed_on,
                    applicant_kind, applicant_name, applicant_id_number, applicant_phone,
                    applicant_email, applicant_address, request_text, delivery)  # fmt: skip
    errors: dict[str, str] = {}
    try:
        body = Register.model_validate(values.payload())
    except ValidationError as exc:
        errors = _schema_errors(exc, channel) | _receipt_errors(values.payload(), exc, channel)
    else:
        try:
            case_id, _replayed, _access = register_case(session, me.caller, body, key or None)
        except (ActionError, Invalid) as error:
            session.rollback()
            errors = _refusal(error, channel)
            if GENERAL in errors and getattr(error, "field", None) == "Idempotency-Key":
                values.key = f"web-{uuid.uuid4()}"
        else:
            session.commit()
            target = f"/cases/{case_id}"
            if is_htmx(request):
                return Response(status_code=200, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
    return _page(request, session, me, values, errors, status=422)


@router.post("/cases/new/repeats", response_class=HTMLResponse)
def repeat_warnings(
    request: Request,
    me: Me,
    agency: FormShort = "",
    channel: FormShort = "",
    submitted_on: FormShort = "",
    signed_on: FormShort = "",
    confirmed_on: FormShort = "",
    applicant_kind: FormShort = "",
    applicant_name: FormText = "",
    applicant_id_number: FormText = "",
    request_text: Annotated[str, Form(alias="request", max_length=20_000)] = "",
) -> HTMLResponse:
    """The applicant's earlier answered requests like this one, as the clerk types (a warning
    only; nothing is stored). Until the name and the request are filled in, nothing is shown."""
    if not applicant_name.strip() or not request_text.strip():
        return fragment(request, "_repeats.html", items=[], checked=False)
    values = Values(agency=agency, channel=channel, submitted_on=submitted_on,
                    signed_on=signed_on, confirmed_on=confirmed_on,
                    applicant_kind=applicant_kind, applicant_name=applicant_name,
                    applicant_id_number=applicant_id_number, request=request_text)  # fmt: skip
    received = receipt_date(channel, _day(submitted_on), _day(signed_on), _day(confirmed_on))
    try:
        body = RepeatCheckIn.model_validate(
            {"agency": agency, "applicant": values.payload()["applicant"],
             "request": request_text, "received_on": received, "limit": REPEAT_LIMIT}
        )  # fmt: skip
    except ValidationError:  # not a checkable request yet (no kind, a bad ID number …)
        return fragment(request, "_repeats.html", items=[], checked=False)
    with reading() as session:
        found = check_repeats(session, me.caller, body)
    return fragment(request, "_repeats.html", items=found, checked=True, note=REPEATS_NOTE,
                    matched_on=MATCHED_ON_LABELS)  # fmt: skip
