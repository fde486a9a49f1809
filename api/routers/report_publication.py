"""Publishing a year's annual report (负责人), the published snapshot and its files, and the
drift since (DESIGN §3.6). Thin doors onto `casework.reports.publish` and `.drift`."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from api.deps import Db, Me, visible_agency
from api.http_semantics import content_disposition
from casework.models import Agency, ReportFile, ReportPublication
from casework.reports import publications
from casework.reports import publish as publishing
from casework.reports.drift import drift
from casework.reports.render import FORMATS
from casework.statistics.figures import parse_as_of
from workflows.roles import Role

router = APIRouter(prefix="/reports", tags=["年度报告"])

Year = Annotated[int, Path(ge=2008, le=2099, description="年度")]
AgencyCode = Annotated[str, Query(max_length=64, description="机关代码")]
Revision = Annotated[
    int | None, Query(ge=1, le=10_000, description="第几版（默认最新）", examples=[1])
]
APPROVERS = frozenset({Role.APPROVER})


class PublishIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"as_of": "2027-01-05T10:00:00+08:00"}]},
    )
    as_of: str | None = Field(
        default=None,
        max_length=40,
        description="统计时刻：以此时刻已记录的数据为准（默认现在；须在年度结束之后）",
        examples=["2027-01-05T10:00:00+08:00"],
    )
    reason: str | None = Field(
        default=None, max_length=500, description="更正理由（再次公布同一年度时必填）"
    )
    allow_starter_text: bool = Field(
        default=False, description="第一、五、六部分仍是系统草稿时也公布（回答中会提示）"
    )


class PublishedFileOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str
    filename: str
    media_type: str
    size: int
    sha256: str
    url: str


class PublicationOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: str
    year: int
    revision: int
    revisions: int = Field(description="该年度已公布的版数")
    as_of: datetime = Field(description="冻结的统计时刻")
    content_hash: str = Field(description="SHA-256：统计数据与各文件的摘要")
    verified: bool = Field(description="存储的数据与文件仍与摘要一致")
    reason: str | None
    published_by: str
    published_at: datetime
    files: list[PublishedFileOut]
    figures: dict[str, Any] = Field(description="公布时的报告数据（JSON 格式的全文）")
    warnings: list[str] = Field(default_factory=list, description="公布时的提示")


def _approving(year: Year, caller: Me, session: Db, agency: AgencyCode) -> Agency:
    """Visibility (404) and role (403) before the body is looked at (422)."""
    found, access = visible_agency(session, caller, agency)
    caller.require(access, APPROVERS, "公布年度报告")
    return found


def _url(agency: Agency, year: int, revision: int, rest: str = "") -> str:
    return (
        f"/api/v1/reports/{year}/publication{rest}"
        f"?agency={quote(agency.code, safe='')}&revision={revision}"
    )


def _out(
    session: Session,
    agency: Agency,
    row: ReportPublication,
    stored: list[ReportFile],
    warnings: tuple[str, ...] = (),
) -> PublicationOut:
    count = len(publications.revisions(session, row.agency_id, row.year))
    return PublicationOut(
        agency=agency.code,
        year=row.year,
        revision=row.revision,
        revisions=count,
        as_of=row.as_of,
        content_hash=row.content_hash,
        verified=publishing.verify(row, stored),
        reason=row.reason,
        published_by=row.published_by,
        published_at=row.published_at,
        files=[
            PublishedFileOut(
                format=f.format,
                filename=f.filename,
                media_type=f.media_type,
                size=len(f.content),
                sha256=f.sha256,
                url=_url(agency, row.year, row.revision, f"/files/{quote(f.format, safe='')}"),
            )
            for f in stored
        ],
        figures=row.figures,
        warnings=list(warnings),
    )


@router.post(
    "/{year}/publication",
    summary="公布年度报告：冻结统计时刻，保存各格式文件（负责人；再次公布为更正版，须说明理由）",
    status_code=201,
    response_model=PublicationOut,
    responses={201: {"headers": {"Location": {"description": "该版公布的地址"}}}},
)
def publish(
    year: Year,
    found: Annotated[Agency, Depends(_approving)],
    caller: Me,
    session: Db,
    response: Response,
    body: PublishIn | None = None,
) -> PublicationOut:
    given = body or PublishIn()
    as_of = parse_as_of(given.as_of) if given.as_of is not None else None
    assert found.id is not None
    done = publishing.publish(
        session, found, year, caller.actor(found.id), caller.now, as_of, given.reason,
        allow_starter_text=given.allow_starter_text,
    )  # fmt: skip
    session.commit()
    row = done.publication
    response.headers["Location"] = _url(found, year, row.revision)
    return _out(session, found, row, done.files, done.warnings)


@router.get(
    "/{year}/publication",
    summary="已公布的年度报告（默认最新一版）：统计时刻、摘要、文件",
    response_model=PublicationOut,
)
def get_publication(
    year: Year, caller: Me, session: Db, agency: AgencyCode, revision: Revision = None
) -> PublicationOut:
    found, _access = visible_agency(session, caller, agency)
    row = publishing.require_published(session, found, year, revision)
    return _out(session, found, row, publishing.files(session, row))


def _file_responses() -> dict[int | str, dict[str, Any]]:
    content: dict[str, Any] = {}
    for fmt in FORMATS.values():
        media = fmt.media_type.split(";")[0].strip()
        binary = {"type": "string", "format": "binary"}
        content[media] = {"schema": {"type": "object"} if media == "application/json" else binary}
    return {200: {"content": content, "description": "公布时保存的文件，原样返回"}}


@router.get(
    "/{year}/publication/files/{format}",
    summary="下载已公布的年度报告文件（公布时保存的原样）",
    response_class=Response,
    responses=_file_responses(),
)
def get_file(
    year: Year,
    format: Annotated[str, Path(max_length=16, description="格式，如 json、txt、html")],
    caller: Me,
    session: Db,
    agency: AgencyCode,
    revision: Revision = None,
) -> Response:
    found, _access = visible_agency(session, caller, agency)
    row = publishing.require_published(session, found, year, revision)
    stored = publishing.stored_file(session, row, format)
    suffix = PurePath(stored.filename).suffix
    fallback = f"report-{year}-r{row.revision}{suffix if suffix.isascii() else ''}"
    return Response(
        stored.content,
        media_type=stored.media_type,
        headers={"Content-Disposition": content_disposition(stored.filename, fallback)},
    )


@router.get(
    "/{year}/drift",
    summary="漂移：已公布的年度报告与现在统计的差异，及造成差异的记录",
    response_model=dict[str, Any],
)
def get_drift(year: Year, caller: Me, session: Db, agency: AgencyCode) -> dict[str, Any]:
    found, _access = visible_agency(session, caller, agency)
    return drift(session, found, year, caller.now).as_json()
