"""The year statistics (sections 二–四 of the annual report) and the table 二 inputs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse

from api.deps import Db, Me, visible_agency
from casework.services.report_inputs import Proactive, set_proactive
from casework.statistics.figures import parse_as_of, proactive_for, report
from casework.statistics.text import render_tables
from casework.timeutil import utcnow
from workflows.roles import Role

router = APIRouter(prefix="/reports", tags=["年度报告"])

Year = Annotated[int, Path(ge=2008, le=2099, description="年度")]
AgencyCode = Annotated[str, Query(max_length=64, description="机关代码")]
WRITERS = frozenset({Role.CLERK, Role.APPROVER})


@router.get(
    "/{year}",
    summary="年度统计（第二、三、四部分）：JSON 或与公开样本一致的文本",
    responses={200: {"content": {"text/plain": {}}, "description": "JSON 或文本"}},
    response_model=None,
)
def show(
    year: Year,
    caller: Me,
    session: Db,
    agency: AgencyCode,
    as_of: Annotated[
        str | None, Query(max_length=40, description="以此时刻已记录的数据为准（默认现在）")
    ] = None,
    subtree: Annotated[bool, Query(description="包括下级机关")] = False,
    format: Annotated[Literal["json", "text"], Query(description="json 或 text")] = "json",
) -> Any:
    found, _access = visible_agency(session, caller, agency)
    result = report(session, found, year, parse_as_of(as_of), subtree)
    if format == "text":
        return PlainTextResponse(render_tables(result))
    return result.as_json()


@router.get("/{year}/inputs", summary="主动公开情况（第二部分）", response_model=dict[str, Any])
def get_inputs(year: Year, caller: Me, session: Db, agency: AgencyCode) -> dict[str, Any]:
    found, _access = visible_agency(session, caller, agency)
    assert found.id is not None
    return proactive_for(session, found.id, year, utcnow())


@router.put("/{year}/inputs", summary="录入主动公开情况（第二部分，每次保存为新版本）",
            response_model=dict[str, Any])  # fmt: skip
def put_inputs(
    year: Year, body: Proactive, caller: Me, session: Db, agency: AgencyCode
) -> dict[str, Any]:
    found, access = visible_agency(session, caller, agency)
    caller.require(access, WRITERS, "录入年度报告数据")
    row = set_proactive(session, found, year, body.model_dump(mode="json"), caller.username)
    session.commit()
    return dict(row.data)
