"""Administrative reconsiderations and lawsuits about the agency's replies (table 四)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlmodel import Session

from api.deps import Caller, Db, IdempotencyKeyHeader, Me, visible_agency, visible_row
from api.schemas import AppealAnswerIn, AppealDecideIn, AppealIn, AppealOut
from casework.errors import Invalid
from casework.models import Agency, Appeal, Case
from casework.services import appeals, idempotency
from casework.services.access import Access
from workflows.roles import Role

router = APIRouter(prefix="/appeals", tags=["复议诉讼"])

AppealId = Annotated[int, Path(ge=1, le=2**31 - 1, description="复议/诉讼记录编号")]
WRITERS = frozenset({Role.CLERK, Role.APPROVER})


def appeal_out(appeal: Appeal, agency: Agency) -> AppealOut:
    assert appeal.id is not None
    return AppealOut(
        id=appeal.id,
        agency=agency.code,
        case_id=appeal.case_id,
        kind=appeal.kind,
        role=appeal.role,
        filed_on=appeal.filed_on,
        received_on=appeal.received_on,
        answer_due=appeal.answer_due,
        answered_on=appeal.answered_on,
        decided_on=appeal.decided_on,
        result=appeal.result,
    )


def _visible(session: Session, caller: Caller, appeal_id: int) -> tuple[Appeal, Access]:
    return visible_row(session, caller, Appeal, appeal_id, "复议/诉讼记录")


def writable(appeal_id: AppealId, caller: Me, session: Db) -> tuple[Appeal, Access]:
    """Visibility (404) and role (403) before the body is looked at (422)."""
    appeal, access = _visible(session, caller, appeal_id)
    caller.require(access, WRITERS, "记录复议/诉讼进展")
    return appeal, access


Writable = Annotated[tuple[Appeal, Access], Depends(writable)]


@router.get("", summary="某机关的复议、诉讼记录", response_model=list[AppealOut])
def list_appeals(
    caller: Me, session: Db, agency: Annotated[str, Query(max_length=64, description="机关代码")]
) -> list[AppealOut]:
    found, _access = visible_agency(session, caller, agency)
    return [appeal_out(a, found) for a in appeals.list_appeals(session, found)]


@router.post(
    "",
    summary="登记复议或诉讼",
    status_code=201,
    response_model=AppealOut,
    responses={
        201: {
            "headers": {
                "Location": {"description": "记录地址"},
                "Idempotent-Replayed": {
                    "description": "true：按 Idempotency-Key 返回首次登记的记录"
                },
            }
        },
        409: {"description": "同一 Idempotency-Key 的请求正在处理"},
        422: {"description": "输入有误；或 Idempotency-Key 已用于内容不同的请求"},
    },
)
def add(
    body: AppealIn,
    caller: Me,
    session: Db,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> AppealOut:
    agency, access = visible_agency(session, caller, body.agency)
    caller.require(access, WRITERS, "登记复议/诉讼")

    def add_appeal() -> int:
        case = None
        if body.case_id is not None:
            case = session.get(Case, body.case_id)
            if case is None or case.agency_id != agency.id:
                raise Invalid(f"本机关没有编号为 {body.case_id} 的案件", field="case_id")
        appeal = appeals.add_appeal(
            session,
            agency,
            body.kind,
            body.filed_on,
            caller.actor(agency.id or 0),
            caller.today,
            received_on=body.received_on,
            role=body.role,
            case=case,
        )
        return appeal.id or 0

    appeal_id, replayed = idempotency.create_once(
        session, caller.user.id or 0, idempotency_key, "file_appeal",
        body.model_dump(mode="json"), caller.now, add_appeal,
    )  # fmt: skip
    session.commit()
    response.headers["Location"] = f"/api/v1/appeals/{appeal_id}"
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return appeal_out(session.get_one(Appeal, appeal_id), agency)


@router.get("/{appeal_id}", summary="复议/诉讼记录", response_model=AppealOut)
def get(appeal_id: AppealId, caller: Me, session: Db) -> AppealOut:
    appeal, access = _visible(session, caller, appeal_id)
    return appeal_out(appeal, access.agency)


@router.post("/{appeal_id}/answer", summary="记录答复（答辩）", response_model=AppealOut)
def answer(
    appeal_id: AppealId, found: Writable, body: AppealAnswerIn, caller: Me, session: Db
) -> AppealOut:
    appeal, access = found
    appeals.answer(session, appeal, body.on, caller.actor(appeal.agency_id), caller.today)
    session.commit()
    return appeal_out(appeal, access.agency)


@router.post("/{appeal_id}/decide", summary="记录审结结果", response_model=AppealOut)
def decide(
    appeal_id: AppealId, found: Writable, body: AppealDecideIn, caller: Me, session: Db
) -> AppealOut:
    appeal, access = found
    actor = caller.actor(appeal.agency_id)
    appeals.decide(session, appeal, body.result, body.on, actor, caller.today)
    session.commit()
    return appeal_out(appeal, access.agency)
