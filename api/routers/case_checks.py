"""Evidence for the clerk before a decision: the fee a case would cost (国办函〔2020〕109号) and
the applicant's earlier answered requests it may repeat (Art. 36(6)). Read only; nothing is
decided or stored here."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query
from sqlmodel import Session

from api.deps import Caller, CaseId, Db, Me, reading, visible_agency, visible_case
from api.schemas import FeeQuoteOut, PossibleRepeatOut, PossibleRepeatsOut, RepeatCheckIn
from casework.identity import ApplicantKey
from casework.models import Case
from casework.services.access import Access
from casework.services.fee_quote import quote_fee
from casework.services.repeats import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PossibleRepeat,
    find_repeats,
    repeats_of_case,
)
from workflows.actions import action_spec
from workflows.fees import MAX_ITEMS, MAX_PAGES

router = APIRouter(prefix="/cases", tags=["案件"])


def seen_case(case_id: CaseId, caller: Me, session: Db) -> tuple[Case, Access]:
    """Visibility (404) before the query is looked at (422)."""
    return visible_case(session, caller, case_id)


SeenCase = Annotated[tuple[Case, Access], Depends(seen_case)]


@router.get(
    "/{case_id}/fee-quote",
    summary="信息处理费试算（发出收费通知前核对；按件或按量，只取其一）",
    response_model=FeeQuoteOut,
    responses={
        404: {"description": "没有这个案件（或不可见）"},
        422: {"description": "计收方式、页数或件数有误"},
    },
)
def fee_quote(
    seen: SeenCase,
    session: Db,
    basis: Annotated[
        Literal["per_item", "per_volume"],
        Query(description="per_item：按件计收；per_volume：按量计收"),
    ],
    pages: Annotated[
        int | None, Query(ge=1, le=MAX_PAGES, description="按量计收：提供的页数（必填）")
    ] = None,
    items: Annotated[
        int | None,
        Query(ge=1, le=MAX_ITEMS, description="按件计收：本申请按“一事一申请”计为几件（默认1）"),
    ] = None,
) -> FeeQuoteOut:
    case, _access = seen
    quote = quote_fee(session, case, basis, pages=pages, items=items)
    return FeeQuoteOut.model_validate(quote.as_json())


@router.get(
    "/{case_id}/possible-repeats",
    summary="可能的重复申请：同一申请人已获答复的申请，按申请内容相似度排列（仅供参考）",
    response_model=PossibleRepeatsOut,
    responses={404: {"description": "没有这个案件（或不可见）"}},
)
def possible_repeats(
    seen: SeenCase,
    session: Db,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="最多列出几件")] = DEFAULT_LIMIT,
) -> PossibleRepeatsOut:
    case, access = seen
    found = repeats_of_case(session, case, reveal=access.reveals, limit=limit)
    return PossibleRepeatsOut(items=[PossibleRepeatOut.model_validate(r.as_json()) for r in found])


@router.post(
    "/repeat-check",
    summary="登记前查重：同一申请人已获答复的类似申请（不保存任何内容）",
    response_model=PossibleRepeatsOut,
    responses={
        403: {"description": "无登记权限"},
        404: {"description": "没有这个机关"},
    },
)
def repeat_check(body: Annotated[RepeatCheckIn, Body()], caller: Me) -> PossibleRepeatsOut:
    """For the registration form: the same checks as registering, without registering. It
    reads in a read transaction of its own (no write lock on SQLite)."""
    with reading() as session:
        found = check_repeats(session, caller, body)
        return PossibleRepeatsOut(
            items=[PossibleRepeatOut.model_validate(r.as_json()) for r in found]
        )


def check_repeats(session: Session, caller: Caller, body: RepeatCheckIn) -> list[PossibleRepeat]:
    """The pre-check of a registration (the API's and the registration page's one door)."""
    agency, access = visible_agency(session, caller, body.agency)
    caller.require(access, action_spec("register").roles, "登记前查重")
    applicant = body.applicant
    key = ApplicantKey.of(applicant.kind.value, applicant.name, applicant.id_number)
    return find_repeats(
        session,
        agency,
        key,
        body.request,
        body.received_on or caller.today,
        reveal=access.reveals,
        limit=body.limit,
    )
