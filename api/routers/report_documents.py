"""The whole annual report as a file to download, in every format of the render registry
(`casework.reports.render.FORMATS`): a format registered there is offered here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import Db, Me, visible_agency
from api.http_semantics import content_disposition
from casework.reports.download import render_report
from casework.reports.render import FORMATS
from casework.statistics.figures import parse_as_of

router = APIRouter(prefix="/reports", tags=["年度报告"])

Year = Annotated[int, Path(ge=2008, le=2099, description="年度")]


def _content(media_type: str) -> dict[str, Any]:
    """How the OpenAPI document describes one format's body."""
    bare = media_type.split(";", 1)[0].strip()
    if bare == "application/json":
        return {bare: {"schema": {"type": "object"}}}
    return {bare: {"schema": {"type": "string", "format": "binary"}}}


@router.get(
    "/{year}/document",
    summary="下载年度报告全文（第一至六部分）：HTML、JSON、文本等格式",
    response_class=Response,
    responses={
        200: {
            "content": {k: v for f in FORMATS.values() for k, v in _content(f.media_type).items()},
            "description": "报告文件；文件名为报告标题",
        }
    },
)
def document(
    year: Year,
    caller: Me,
    session: Db,
    agency: Annotated[str, Query(max_length=64, description="机关代码")],
    format: Annotated[
        str,
        Query(
            max_length=16,
            description=f"文件格式：{'、'.join(FORMATS)}",
            json_schema_extra={"enum": list(FORMATS)},
        ),
    ] = "html",
    as_of: Annotated[
        str | None, Query(max_length=40, description="以此时刻已记录的数据为准（默认现在）")
    ] = None,
    subtree: Annotated[bool, Query(description="包括下级机关")] = False,
) -> Response:
    found, _access = visible_agency(session, caller, agency)
    rendered = render_report(session, found, year, parse_as_of(as_of), format, subtree)
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": content_disposition(rendered.filename, rendered.fallback)},
    )
