"""督办: a district office supervises a case of an agency below it (a record of its own with
its own notification, not a case event: no If-Match, the case's version does not change)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.deps import CaseId, Db, Me, reading, visible_case
from api.supervision_schemas import SupervisionIn, SupervisionOut
from casework.models import Case
from casework.services.access import Access
from casework.services.supervision import office_for, supervise, supervision, supervisions_of

router = APIRouter(prefix="/cases", tags=["督办"])


def supervising(case_id: CaseId, caller: Me, session: Db) -> tuple[Case, Access]:
    """Visibility (404) and the office the caller supervises from (403), before the body."""
    case, _access = visible_case(session, caller, case_id)
    return case, office_for(session, caller.scope, case)


@router.get(
    "/{case_id}/supervisions",
    summary="案件的督办记录（最新在前）",
    response_model=list[SupervisionOut],
)
def list_supervisions(case_id: CaseId, caller: Me, session: Db) -> list[SupervisionOut]:
    case, _access = visible_case(session, caller, case_id)
    return [SupervisionOut.of(v) for v in supervisions_of(session, case)]


@router.post(
    "/{case_id}/supervisions",
    summary="督办（上级政务公开办的经办人或负责人）：记录督办意见并通知该机关经办人、负责人",
    status_code=201,
    response_model=SupervisionOut,
    responses={
        200: {
            "description": "同一天同一意见的督办已记录（重复提交）：返回原记录，不再通知",
            "headers": {"Idempotent-Replayed": {"description": "true"}},
        },
        403: {"description": "只有案件所属机关的上级政务公开办可以督办"},
        422: {"description": "督办意见为空、要求办理日期早于今天，或案件已办结"},
    },
)
def add_supervision(
    found: Annotated[tuple[Case, Access], Depends(supervising)],
    body: SupervisionIn,
    caller: Me,
    session: Db,
    response: Response,
) -> SupervisionOut:
    case, office = found
    done = supervise(session, case, office, caller.actor(office.agency.id or 0), body.note,
                     body.due_by, today=caller.today)  # fmt: skip
    session.commit()
    if not done.created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    with reading() as fresh:
        view = supervision(fresh, done.supervision.id or 0)
    assert view is not None
    return SupervisionOut.of(view)
