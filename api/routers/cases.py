"""Cases: list with filters and a cursor, register, detail."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from api.deps import (
    Caller,
    CaseId,
    Db,
    IdempotencyKeyHeader,
    Me,
    reading,
    visible_agency,
    visible_case,
)
from api.examples import REGISTER_EXAMPLE
from api.http_semantics import content_disposition
from api.problems import Problem
from api.schemas import CaseDetail, CasePage, CaseSummary, PossibleRepeatOut, RegisteredCase
from casework.masking import mask_name
from casework.models import Case
from casework.services import idempotency
from casework.services.access import Access
from casework.services.case_search import CaseFilter, Found, overdue, search_cases
from casework.services.perform import perform
from casework.services.queries import case_detail
from casework.services.repeats import repeats_of_case
from workflows.actions import action_spec
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind
from workflows.payloads import Register
from workflows.states import State

router = APIRouter(prefix="/cases", tags=["案件"])

MAX_PAGE = 200


def encode_cursor(case_id: int) -> str:
    return base64.urlsafe_b64encode(f"before:{case_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix != "before" or not number.isdigit():
            raise ValueError(raw)
        return int(number)
    except (ValueError, UnicodeDecodeError):
        raise Problem(
            "validation", "游标无效：请使用上一页返回的 next_cursor",
            errors=[{"field": "cursor", "message": "游标无效"}],
        ) from None  # fmt: skip


def summary(found: Found, access: Access, today: date) -> CaseSummary:
    case = found.case
    assert case.id is not None
    name = found.applicant.name
    return CaseSummary(
        id=case.id,
        ref=case.ref,
        agency=found.agency.code,
        agency_name=found.agency.name,
        state=case.state,
        state_label=State(case.state).label,
        outcome=case.outcome,
        received_on=case.received_on,
        reply_due=case.reply_due,
        due_provisional=case.due_provisional,
        overdue=overdue(case, today),
        applicant_kind=case.applicant_kind,
        applicant_name=name if access.reveals else mask_name(name),
        handler=found.handler.username if found.handler else None,
        version=case.version,
    )


@dataclass(frozen=True)
class Scoped:
    """The agencies and filters of a case list (the list and its CSV export share them)."""

    agency_ids: list[int]
    filter: CaseFilter


def scoped(
    caller: Me,
    session: Db,
    agency: Annotated[
        str | None, Query(max_length=64, description="机关代码；默认所有可见机关")
    ] = None,
    state: Annotated[
        str | None, Query(max_length=32, description="状态，如 received、closed")
    ] = None,
    open_only: Annotated[bool, Query(description="只列办理中的案件")] = False,
    overdue_only: Annotated[
        bool | None, Query(alias="overdue", description="true：答复已逾期；false：未逾期")
    ] = None,
    due_before: Annotated[date | None, Query(description="答复期限在此日或之前（办理中）")] = None,
    received_from: Annotated[date | None, Query(description="收到申请之日，起")] = None,
    received_to: Annotated[date | None, Query(description="收到申请之日，止")] = None,
    applicant_kind: Annotated[str | None, Query(max_length=32, description="申请人类型")] = None,
    outcome: Annotated[str | None, Query(max_length=64, description="办理结果代码")] = None,
    handler: Annotated[str | None, Query(max_length=64, description="经办人用户名")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="在申请内容、申请人姓名和案号中查找")
    ] = None,
) -> Scoped:
    if agency is not None:
        found_agency, _access = visible_agency(session, caller, agency)
        agency_ids = [found_agency.id or 0]
    else:
        agency_ids = list(caller.scope.agencies)
    f = CaseFilter(
        state=state,
        open_only=open_only,
        overdue=overdue_only,
        due_before=due_before,
        received_from=received_from,
        received_to=received_to,
        applicant_kind=applicant_kind,
        outcome=outcome,
        handler=handler,
        text=q or None,
        names_in=frozenset(i for i, a in caller.scope.agencies.items() if a.reveals),
    )
    return Scoped(agency_ids, f)


Filtered = Annotated[Scoped, Depends(scoped)]


@router.get("", summary="案件列表（筛选、按登记先后倒序、游标分页）", response_model=CasePage)
def list_cases(
    caller: Me,
    session: Db,
    chosen: Filtered,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="每页条数")] = 50,
    cursor: Annotated[str | None, Query(max_length=100, description="上一页的 next_cursor")] = None,
) -> CasePage:
    before = decode_cursor(cursor) if cursor else None
    rows = search_cases(
        session, chosen.agency_ids, chosen.filter, caller.today, before_id=before, limit=limit + 1
    )
    page = rows[:limit]
    items = [summary(r, caller.agency(r.case.agency_id), caller.today) for r in page]
    more = len(rows) > limit and page
    return CasePage(items=items, next_cursor=encode_cursor(page[-1].case.id or 0) if more else None)


CSV_COLUMNS = ["案号", "机关", "状态", "收到申请之日", "答复期限", "期限暂定", "是否逾期",
               "申请人类型", "申请人", "经办人", "办理结果", "版本"]  # fmt: skip
CSV_BATCH = 500


@router.get(
    "/export.csv",
    summary="导出案件列表（CSV，筛选条件同案件列表，个人信息按角色脱敏）",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "CSV（UTF-8，带 BOM，Excel 可直接打开）",
        }
    },
)
def export_csv(caller: Me, session: Db, chosen: Filtered) -> StreamingResponse:
    """Every matching case, newest first, read a batch at a time (keyset) while streaming.
    The first batch is read before the answer starts, so a bad filter is still a clean 422."""

    def batch_after(before: int | None) -> list[Found]:
        return search_cases(session, chosen.agency_ids, chosen.filter, caller.today,
                            before_id=before, limit=CSV_BATCH)  # fmt: skip

    first = batch_after(None)

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        yield "\ufeff" + out.getvalue()
        batch = first
        while batch:
            out.seek(0)
            out.truncate()
            for found in batch:
                s = summary(found, caller.agency(found.case.agency_id), caller.today)
                writer.writerow([cell(v) for v in (
                    s.ref, s.agency_name, s.state_label, s.received_on, s.reply_due or "",
                    "是" if s.due_provisional else "", "是" if s.overdue else "",
                    ApplicantKind(s.applicant_kind).label, s.applicant_name, s.handler or "",
                    _outcome(s.outcome), s.version)])  # fmt: skip
            yield out.getvalue()
            batch = batch_after(batch[-1].case.id) if len(batch) == CSV_BATCH else []

    filename = f"案件列表-{caller.today.isoformat()}.csv"
    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(filename, "cases.csv")},
    )


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A spreadsheet cell that cannot run: text a spreadsheet would read as a formula (an
    applicant's name is anyone's input) gets a leading apostrophe (OWASP: CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _outcome(code: str | None) -> str:
    return OUTCOME_BY_CODE[code].full_label if code else ""


def detail(session: Session, caller: Caller, case: Case, access: Access) -> CaseDetail:
    actor = caller.actor(case.agency_id)
    data: dict[str, Any] = case_detail(
        session, case, actor, caller.today, supervising=access.supervising
    )
    return CaseDetail.model_validate(data)


def register_case(
    session: Session, caller: Caller, body: Register, idempotency_key: str | None
) -> tuple[int, bool, Access]:
    """Register a request (the API's and the registration page's one door): (the case's id,
    whether the idempotency key gave back an earlier one, the caller's access). The caller
    commits."""
    agency, access = visible_agency(session, caller, body.agency)
    caller.require(access, action_spec("register").roles, "登记")
    payload = body.model_dump(mode="json", exclude_none=True)

    def create() -> int:
        performed = perform(
            session,
            action="register",
            payload=payload,
            actor=caller.actor(agency.id or 0),
            today=caller.today,
        )
        return performed.case.id or 0

    case_id, replayed = idempotency.create_once(
        session, caller.user.id or 0, idempotency_key, "register", payload, caller.now, create
    )
    return case_id, replayed, access


def etag(version: int) -> str:
    return f'"{version}"'


@router.post(
    "",
    summary="登记申请（答复中附可能的重复申请，仅供参考）",
    status_code=201,
    response_model=RegisteredCase,
    responses={
        201: {
            "headers": {
                "ETag": {"description": "案件版本"},
                "Location": {"description": "案件地址"},
                "Idempotent-Replayed": {
                    "description": "true：按 Idempotency-Key 返回首次登记的案件"
                },
            }
        },
        403: {"description": "无登记权限"},
        404: {"description": "没有这个机关"},
        409: {"description": "同一 Idempotency-Key 的请求正在处理"},
        422: {"description": "输入有误或不能登记；或 Idempotency-Key 已用于内容不同的请求"},
    },
)
def register(
    body: Annotated[
        Register,
        Body(
            openapi_examples={
                "post": {
                    "summary": "邮寄的申请（以签收之日为收到申请之日）",
                    "value": REGISTER_EXAMPLE,
                }
            }
        ),
    ],
    caller: Me,
    session: Db,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> RegisteredCase:
    case_id, replayed, access = register_case(session, caller, body, idempotency_key)
    session.commit()
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    with reading() as reader:
        case = reader.get_one(Case, case_id)
        response.headers["ETag"] = etag(case.version)
        response.headers["Location"] = f"/api/v1/cases/{case.id}"
        repeats = repeats_of_case(reader, case, reveal=access.reveals)
        return RegisteredCase(
            **detail(reader, caller, case, access).model_dump(),
            possible_repeats=[PossibleRepeatOut.model_validate(r.as_json()) for r in repeats],
        )


@router.get(
    "/{case_id}",
    summary="案件详情：状态、期限及其计算过程、当前可做的操作、办理记录",
    response_model=CaseDetail,
    responses={200: {"headers": {"ETag": {"description": "案件版本，写操作时作为 If-Match"}}}},
)
def get_case(case_id: CaseId, caller: Me, session: Db, response: Response) -> CaseDetail:
    case, access = visible_case(session, caller, case_id)
    response.headers["ETag"] = etag(case.version)
    return detail(session, caller, case, access)
