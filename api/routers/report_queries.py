"""Questions about the statistics: the cases behind a cell, any period's figures (internal
monitoring, not the statutory report) and a district's roll-up with the unpublished list.

Registered before `reports`: `/reports/period` must not be taken for `/reports/{year}`. An
unknown row, column, kind or result in a cell's path is 404 — the path names a cell the table
does not have, as an unknown id names no case; its detail lists the codes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse

from api.deps import Config, Db, Me, visible_agency
from casework.reports import drilldown, period, rollup
from casework.statistics.figures import parse_as_of

router = APIRouter(prefix="/reports", tags=["年度报告"])

Year = Annotated[int, Path(ge=2008, le=2099, description="年度")]
AgencyCode = Annotated[str, Query(max_length=64, description="机关代码")]
AsOf = Annotated[
    str | None, Query(max_length=40, description="以此时刻已记录的数据为准（默认现在）")
]
Subtree = Annotated[bool, Query(description="包括下级机关")]


def _name(description: str, example: str) -> Any:
    return Path(min_length=1, max_length=100, description=description, examples=[example])


@router.get(
    "/period",
    summary="任意期间的统计（表三、表四；内部监测用，不是法定年度报告）",
    responses={200: {"content": {"text/plain": {}}, "description": "JSON 或文本"}},
    response_model=None,
)
def period_figures(
    caller: Me,
    session: Db,
    agency: AgencyCode,
    first: Annotated[
        str | None,
        Query(alias="from", max_length=10, description="开始日期（含）", examples=["2026-03-01"]),
    ] = None,
    last: Annotated[
        str | None,
        Query(alias="to", max_length=10, description="结束日期（含）", examples=["2026-03-31"]),
    ] = None,
    month: Annotated[
        str | None, Query(max_length=7, description="月份（代替起止日期）", examples=["2026-03"])
    ] = None,
    quarter: Annotated[
        str | None, Query(max_length=7, description="季度（代替起止日期）", examples=["2026Q1"])
    ] = None,
    as_of: AsOf = None,
    subtree: Subtree = False,
    format: Annotated[Literal["json", "text"], Query(description="json 或 text")] = "json",
) -> Any:
    found, _access = visible_agency(session, caller, agency)
    span = period.parse_period(first=first, last=last, month=month, quarter=quarter)
    result = period.period_report(session, found, span, parse_as_of(as_of), subtree)
    if format == "text":
        return PlainTextResponse(period.render_text(result))
    return result.as_json()


@router.get(
    "/{year}/cells/{row}/{column}",
    summary="表三某一格背后的案件（不含申请人个人信息）",
    response_model=dict[str, Any],
)
def request_cell(
    year: Year,
    row: Annotated[str, _name("行：办理结果代码、new、carried_in 等，或表中名称", "new")],
    column: Annotated[str, _name("列：申请人类型代码或 total，或表中名称", "total")],
    caller: Me,
    session: Db,
    agency: AgencyCode,
    as_of: AsOf = None,
    subtree: Subtree = False,
) -> dict[str, Any]:
    found, _access = visible_agency(session, caller, agency)
    cell = drilldown.request_cell(session, found, year, parse_as_of(as_of), row, column, subtree)
    return cell.as_json()


@router.get(
    "/{year}/appeal-cells/{kind}/{result}",
    summary="表四某一格背后的行政复议、行政诉讼",
    response_model=dict[str, Any],
)
def appeal_cell(
    year: Year,
    kind: Annotated[str, _name("类别：reconsideration 等，或表中名称", "reconsideration")],
    result: Annotated[str, _name("列：upheld、corrected、other、pending、total", "pending")],
    caller: Me,
    session: Db,
    agency: AgencyCode,
    as_of: AsOf = None,
    subtree: Subtree = False,
) -> dict[str, Any]:
    found, _access = visible_agency(session, caller, agency)
    cell = drilldown.appeal_cell(session, found, year, parse_as_of(as_of), kind, result, subtree)
    return cell.as_json()


@router.get(
    "/{year}/rollup",
    summary="本机关及下级机关的统计汇总、各机关年度报告发布情况和未按期发布的机关",
    response_model=dict[str, Any],
)
def rollup_figures(
    year: Year, caller: Me, session: Db, config: Config, agency: AgencyCode, as_of: AsOf = None
) -> dict[str, Any]:
    found, _access = visible_agency(session, caller, agency)
    result = rollup.rollup(
        session, found, year, parse_as_of(as_of), caller.today, config.report_due_default
    )
    return result.as_json()
