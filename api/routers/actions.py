"""Actions on a case: one route per action, `POST /cases/{id}/actions/{action}`, its body the
action's payload model — so the OpenAPI schema documents every field. `If-Match` carries the
version the clerk saw; a stale one is 409 and changes nothing."""

# No `from __future__ import annotations` here: the routes are made at import time from the
# action table, and FastAPI reads their parameter types from the live annotations.

import inspect
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Response

from api.deps import CaseId, Db, Me, reading, visible_case
from api.examples import ACTION_EXAMPLES
from api.problems import Problem
from api.routers.cases import detail, etag
from api.schemas import AllowedAction, CaseDetail
from casework.models import Case
from casework.notices.kinds import offered_by_action
from casework.services.access import Access
from casework.services.perform import perform
from casework.services.snapshots import context_for
from workflows.actions import ACTIONS, ActionSpec, By
from workflows.payloads import Empty
from workflows.rules import actions_allowed

router = APIRouter(prefix="/cases", tags=["办理操作"])

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='读取案件时得到的版本（ETag），如 "3"；版本已变则返回 409',
        examples=['"3"'],
    ),
]


EffectiveOn = Annotated[
    date | None,
    Query(
        description="生效日期（如文书签发、收到之日）；默认今日，不能晚于今日，也不能早于上一步",
        examples=["2026-11-24"],
    ),
]


def expected_version(if_match: str | None) -> int:
    if if_match is None:
        raise Problem("precondition_required", "请在 If-Match 请求头中提供案件的当前版本（ETag）")
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise Problem(
            "validation",
            f'If-Match 应为案件版本号，如 "3"，而不是 {if_match!r}',
            errors=[{"field": "If-Match", "message": "须为版本号"}],
        )
    return int(value)


@router.get(
    "/{case_id}/actions",
    summary="当前用户此刻可对案件执行的操作",
    response_model=list[AllowedAction],
)
def allowed(case_id: CaseId, caller: Me, session: Db) -> list[AllowedAction]:
    case, _access = visible_case(session, caller, case_id)
    ctx = context_for(session, case)
    specs = actions_allowed(ctx.snapshot, caller.actor(case.agency_id), caller.today)
    return [
        AllowedAction.model_validate(
            {"action": s.name, "label": s.label, "notice": offered_by_action(s.name)}
        )
        for s in specs
    ]


def _route(spec: ActionSpec) -> None:
    model = spec.payload
    empty = model is Empty
    summary, example = ACTION_EXAMPLES[spec.name]
    examples = {"example": {"summary": summary, "value": example}}
    body: Any = Body(openapi_examples=examples)  # type: ignore[arg-type]
    body_type: Any = Annotated[model | None, body] if empty else Annotated[model, body]

    def authorized(case_id: CaseId, caller: Me, session: Db) -> tuple[Case, Access]:
        """Visibility (404) and role (403) before the body is looked at (422)."""
        case, access = visible_case(session, caller, case_id)
        caller.require(access, spec.roles, f"“{spec.label}”")
        return case, access

    def act(
        case_id: CaseId,
        caller: Me,
        session: Db,
        response: Response,
        found: Annotated[tuple[Case, Access], Depends(authorized)],
        payload: Any,
        if_match: IfMatch = None,
        on: EffectiveOn = None,
    ) -> CaseDetail:
        case, access = found
        version = expected_version(if_match)
        data = payload.model_dump(mode="json", exclude_none=True) if payload is not None else {}
        performed = perform(
            session,
            case_id=case_id,
            action=spec.name,
            payload=data,
            actor=caller.actor(case.agency_id),
            today=caller.today,
            expected_version=version,
            on=on,
        )
        session.commit()
        response.headers["ETag"] = etag(performed.case.version)
        with reading() as reader:
            answer = detail(reader, caller, reader.get_one(Case, case_id), access)
        answer.warnings = list(performed.warnings)  # e.g. a fee that differs from the quote
        return answer

    # the body's type is this action's payload model, required unless the action takes none
    signature = inspect.signature(act)
    default = None if empty else inspect.Parameter.empty
    act.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(annotation=body_type, default=default) if p.name == "payload" else p
            for p in signature.parameters.values()
        ]
    )
    act.__name__ = f"action_{spec.name}"
    router.add_api_route(
        f"/{{case_id}}/actions/{spec.name}",
        act,
        methods=["POST"],
        summary=f"{spec.label}",
        description=(spec.notes or spec.label)
        + f"\n\n办理角色：{'、'.join(sorted(r.label for r in spec.roles))}。"
        "须带 If-Match（案件版本）；成功后返回新的案件详情和 ETag。",
        response_model=CaseDetail,
        responses={
            403: {"description": "角色不符"},
            404: {"description": "没有这个案件（或不可见）"},
            409: {"description": "案件已被他人更新（版本不符）"},
            422: {"description": "输入有误或当前不能执行此操作"},
            428: {"description": "缺少 If-Match"},
        },
        operation_id=f"action_{spec.name}",
    )


for _spec in ACTIONS:
    if _spec.by is By.USER and _spec.name != "register":
        _route(_spec)
