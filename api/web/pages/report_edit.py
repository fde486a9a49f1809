"""Editing and publishing a year's annual report: table 二's figures (`set_proactive`, the
schema of `PUT /reports/{year}/inputs`), sections 一, 五 and 六 (`set_narratives` with the
revision the editor started from: a save by someone else in between is refused and the typed
text kept), and publishing (`casework.reports.publish.publish`, 负责人 only). Each save is one
transaction; a refused form comes back with the reason beside its field (422)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import Config, Db
from api.web.pages.reports import (
    APPROVERS,
    WRITERS,
    AgencyCode,
    Year,
    chosen_agency,
    page_url,
    report_page,
    report_url,
)
from api.web.session import Me, Visitor
from api.web.templating import CHINA, render
from casework.errors import Conflict, Invalid
from casework.models import Agency
from casework.reports import publications
from casework.reports import publish as publishing
from casework.reports.narratives import PLACEHOLDER, SECTION_TITLES, SECTIONS, set_narratives
from casework.reports.sections import text_sections
from casework.services.access import Access
from casework.services.report_inputs import MAX_COUNT, Proactive, set_proactive
from casework.statistics.figures import proactive_for
from casework.statistics.text import PROACTIVE_BLOCKS, PROACTIVE_COUNTS
from workflows.validation import describe

router = APIRouter(include_in_schema=False)

FORM = "_form"  # an error of the whole form


async def form_values(request: Request) -> dict[str, str]:
    """A posted form's text fields."""
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


Values = Annotated[dict[str, str], Depends(form_values)]


def _writer(session: Session, me: Visitor, code: str | None, doing: str) -> tuple[Agency, Access]:
    found, access = chosen_agency(session, me, code)
    me.caller.require(access, WRITERS, doing)
    return found, access


# -- table 二 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputField:
    name: str  # the form field: the figure's path in the JSON, "regulations.issued"
    label: str  # the whole label a screen reader reads
    column: str  # the column head it sits under
    value: str


@dataclass(frozen=True)
class InputRow:
    label: str
    fields: list[InputField]


@dataclass(frozen=True)
class InputBlock:
    item: str  # 第二十条第（一）项
    heads: tuple[str, ...]
    rows: list[InputRow]


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def input_blocks(values: dict[str, str]) -> list[InputBlock]:
    """Table 二's layout (PROACTIVE_BLOCKS) with one field per figure."""
    blocks = []
    for item, heads, rows in PROACTIVE_BLOCKS:
        out_rows = []
        for label, key in rows:
            if len(heads) == len(PROACTIVE_COUNTS):
                names = [(f"{key}.{count}", head) for count, head in zip(PROACTIVE_COUNTS, heads, strict=True)]  # fmt: skip
            else:
                names = [(key, heads[0])]
            out_rows.append(
                InputRow(label, [InputField(n, f"{label}：{h}", h, values.get(n, "")) for n, h in names])
            )  # fmt: skip
        blocks.append(InputBlock(item, heads, out_rows))
    return blocks


def _flat(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= {f"{key}.{k}": _shown(v) for k, v in value.items()}
        else:
            out[key] = _shown(value)
    return out


def parse_inputs(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as the API's body (Proactive), and each field's problem in Chinese."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for block in input_blocks(values):
        for row in block.rows:
            for f in row.fields:
                text = f.value.strip()
                value: Any = None
                if not text:
                    errors[f.name] = "请填写（没有的填 0）"
                elif f.name == "admin_fees_wan_yuan":
                    try:
                        value = float(text.replace(",", ""))
                    except ValueError:
                        errors[f.name] = "须为数字（单位：万元）"
                    else:
                        if not math.isfinite(value):
                            errors[f.name] = "须为数字（单位：万元）"
                else:
                    try:
                        value = int(text.replace(",", ""))
                    except ValueError:
                        errors[f.name] = f"须为 0 至 {MAX_COUNT} 的整数"
                head, _, sub = f.name.partition(".")
                # a field that is no number stands in as 0: the schema still checks the others
                value = 0 if value is None or f.name in errors else value
                if sub:
                    data.setdefault(head, {})[sub] = value
                else:
                    data[head] = value
    try:
        Proactive.model_validate(data)
    except ValidationError as exc:
        for path, message in describe(exc):
            errors.setdefault(path, message)
    return data, errors


def _inputs_page(
    request: Request,
    session: Session,
    me: Visitor,
    found: Agency,
    year: int,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    notice: str = "",
) -> HTMLResponse:
    headers = {"HX-Replace-Url": page_url(year, found.code, "inputs")}
    return render(
        request, session, me, "reports_inputs.html", status=status, headers=headers,
        year=year, agency=found, blocks=input_blocks(values), errors=errors, notice=notice,
        back=report_url(year, found.code), action=page_url(year, found.code, "inputs"),
    )  # fmt: skip


@router.get("/reports/{year}/inputs", response_class=HTMLResponse)
def inputs_form(
    request: Request, year: Year, me: Me, session: Db, agency: AgencyCode = None
) -> HTMLResponse:
    found, _access = _writer(session, me, agency, "录入年度报告数据")
    assert found.id is not None
    current = proactive_for(session, found.id, year, me.caller.now)
    return _inputs_page(request, session, me, found, year, _flat(current), {})


@router.post("/reports/{year}/inputs", response_class=HTMLResponse)
def save_inputs(
    request: Request, year: Year, me: Me, session: Db, values: Values, agency: AgencyCode = None
) -> HTMLResponse:
    found, _access = _writer(session, me, agency, "录入年度报告数据")
    data, errors = parse_inputs(values)
    if not errors:
        try:
            row = set_proactive(session, found, year, data, me.caller.username)
        except Invalid as error:
            errors[error.field or FORM] = str(error)
        else:
            revision = row.revision
            session.commit()
            notice = f"第二部分数据已保存（第{revision}版）"
            return _inputs_page(request, session, me, found, year, _flat(data), {}, notice=notice)
    return _inputs_page(request, session, me, found, year, values, errors, status=422)


# -- sections 一, 五, 六 ----------------------------------------------------------------------


@dataclass(frozen=True)
class TextField:
    name: str
    title: str
    text: str
    placeholders: list[str]  # the 【请填写：…】 still in the text


def _text_fields(texts: dict[str, str]) -> list[TextField]:
    return [
        TextField(n, SECTION_TITLES[n], texts.get(n, ""), PLACEHOLDER.findall(texts.get(n, "")))
        for n in SECTIONS
    ]


def _narratives_page(
    request: Request,
    session: Session,
    me: Visitor,
    found: Agency,
    year: int,
    *,
    texts: dict[str, str] | None = None,
    revision: int | None = None,
    errors: dict[str, str] | None = None,
    conflict: str = "",
    notice: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The editor: the saved texts (or the starter), or what the user typed (a refused save)."""
    current = text_sections(session, found, year, me.caller.now)
    n = current.narratives
    shown = texts if texts is not None else n.texts()
    headers = {"HX-Replace-Url": page_url(year, found.code, "narratives")}
    return render(
        request, session, me, "reports_narratives.html", status=status, headers=headers,
        year=year, agency=found, fields=_text_fields(shown), current=n,
        revision=n.revision if revision is None else revision,
        fee_statement=current.fee_statement, errors=errors or {}, conflict=conflict,
        notice=notice, back=report_url(year, found.code),
        action=page_url(year, found.code, "narratives"),
    )  # fmt: skip


@router.get("/reports/{year}/narratives", response_class=HTMLResponse)
def narratives_form(
    request: Request, year: Year, me: Me, session: Db, agency: AgencyCode = None
) -> HTMLResponse:
    found, _access = _writer(session, me, agency, "编写年度报告文字")
    return _narratives_page(request, session, me, found, year)


@router.post("/reports/{year}/narratives", response_class=HTMLResponse)
def save_narratives(
    request: Request, year: Year, me: Me, session: Db, values: Values, agency: AgencyCode = None
) -> HTMLResponse:
    found, _access = _writer(session, me, agency, "编写年度报告文字")
    texts = {name: values.get(name, "") for name in SECTIONS}
    raw = values.get("revision", "").strip()
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid("缺少编辑所依据的版本，请刷新页面后重新编辑", field="revision")
    based_on = int(raw)
    try:
        row = set_narratives(session, found, year, texts, me.caller.username,
                             expected_revision=based_on)  # fmt: skip
    except Invalid as error:
        errors = {error.field or FORM: str(error)}
        return _narratives_page(request, session, me, found, year, texts=texts,
                                revision=based_on, errors=errors, status=422)  # fmt: skip
    except Conflict as error:
        # the user's text stays in the form (to copy); the revision stays the one they read,
        # so saving again is refused again until they reload
        return _narratives_page(request, session, me, found, year, texts=texts,
                                revision=based_on, conflict=str(error), status=409)  # fmt: skip
    revision = row.revision
    session.commit()
    notice = f"报告文字已保存（第{revision}版）"
    return _narratives_page(request, session, me, found, year, notice=notice)


# -- publishing --------------------------------------------------------------------------------


def _approver(session: Session, me: Visitor, code: str | None) -> tuple[Agency, Access]:
    found, access = chosen_agency(session, me, code)
    me.caller.require(access, APPROVERS, "公布年度报告")
    return found, access


def parse_instant(value: str) -> datetime | None:
    """A `datetime-local` field (China time) → the instant; empty: None (now)."""
    text = value.strip()
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"统计时刻“{text}”无效，请按“年-月-日 时:分”填写", field="as_of") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=CHINA)
    return local


def _publish_page(
    request: Request,
    session: Session,
    me: Visitor,
    found: Agency,
    year: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert found.id is not None
    current = text_sections(session, found, year, me.caller.now)
    last = publications.latest(session, found.id, year)
    headers = {"HX-Replace-Url": page_url(year, found.code, "publish")}
    return render(
        request, session, me, "reports_publish.html", status=status, headers=headers,
        year=year, agency=found, last=last, narratives=current.narratives,
        placeholders=current.placeholders, values=values or {}, errors=errors or {},
        back=report_url(year, found.code), action=page_url(year, found.code, "publish"),
        narratives_url=page_url(year, found.code, "narratives"),
    )  # fmt: skip


@router.get("/reports/{year}/publish", response_class=HTMLResponse)
def publish_form(
    request: Request, year: Year, me: Me, session: Db, agency: AgencyCode = None
) -> HTMLResponse:
    found, _access = _approver(session, me, agency)
    return _publish_page(request, session, me, found, year)


@router.post("/reports/{year}/publish", response_class=HTMLResponse)
def publish(
    request: Request,
    year: Year,
    me: Me,
    session: Db,
    config: Config,
    values: Values,
    agency: AgencyCode = None,
) -> HTMLResponse:
    found, access = _approver(session, me, agency)
    assert found.id is not None
    try:
        done = publishing.publish(
            session, found, year, me.caller.actor(found.id), me.caller.now,
            parse_instant(values.get("as_of", "")), values.get("reason") or None,
            allow_starter_text=values.get("allow_starter_text") == "on",
        )  # fmt: skip
    except Invalid as error:
        errors = {error.field or FORM: str(error)}
        return _publish_page(request, session, me, found, year, values, errors, status=422)
    revision = done.publication.revision
    warnings = list(done.warnings)
    session.commit()
    headers = {"HX-Replace-Url": report_url(year, found.code)}
    return report_page(
        request, session, me, config, found, access, year, headers=headers,
        notice=f"{year}年度报告已公布（第{revision}版）", warnings=warnings,
    )  # fmt: skip
