"""Sections 一, 五 and 六 of the annual report, as the clerk edits them: GET the current texts
(the latest revision, or the starter drafted from the figures) with the placeholders still to
fill and section 六's fee statement; PUT saves the three texts as a new revision. The revision
the editor started from travels in the body (`revision`) or in If-Match: a save by someone else
in between is 409 and changes nothing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, Db, Me, reading, visible_agency
from api.problems import Problem
from casework.models import Agency
from casework.reports.narratives import MAX_TEXT, set_narratives
from casework.reports.sections import text_sections
from workflows.roles import Role

router = APIRouter(prefix="/reports", tags=["年度报告"])

Year = Annotated[int, Path(ge=2008, le=2099, description="年度")]
AgencyCode = Annotated[str, Query(max_length=64, description="机关代码")]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=20,
        description='编辑所依据的版本（GET 得到的 ETag，如 "3"；初稿为 "0"）；也可放在正文的 revision',
        examples=['"3"'],
    ),
]
WRITERS = frozenset({Role.CLERK, Role.APPROVER})
MAX_REVISION = 1_000_000_000

EXAMPLE_TEXTS = {
    "overview": "2026年，某街道办事处认真贯彻落实《中华人民共和国政府信息公开条例》……",
    "problems": "（一）存在的主要问题\n……\n\n（二）改进情况\n……",
    "other": "",
}


class NarrativesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{**EXAMPLE_TEXTS, "revision": 1}]}
    )
    overview: str = Field(max_length=MAX_TEXT, description="一、总体情况")
    problems: str = Field(max_length=MAX_TEXT, description="五、存在的主要问题及改进情况")
    other: str = Field(
        max_length=MAX_TEXT, description="六、其他需要报告的事项（信息处理费情况另行自动生成）"
    )
    revision: int | None = Field(
        default=None,
        ge=0,
        le=MAX_REVISION,
        strict=True,
        description="编辑所依据的版本（GET 得到的 revision，初稿为 0）；也可用 If-Match 请求头",
    )


class NarrativesOut(BaseModel):
    agency: str
    year: int
    overview: str = Field(description="一、总体情况")
    problems: str = Field(description="五、存在的主要问题及改进情况")
    other: str = Field(description="六、其他需要报告的事项（经办人填写的部分）")
    revision: int = Field(description="当前版本；0 为尚未保存的初稿")
    starter: bool = Field(description="是否仍为系统生成、未经编辑的初稿")
    recorded_by: str | None
    recorded_at: str | None
    placeholders: list[str] = Field(description="尚待填写的“【请填写：…】”，按部分列出")
    fee_statement: str = Field(description="第六部分的信息处理费情况，由收费记录自动生成")


def _etag(revision: int) -> str:
    return f'"{revision}"'


def _answer(caller: Caller, agency: Agency, year: int, response: Response) -> NarrativesOut:
    with reading() as reader:
        found = reader.get_one(Agency, agency.id)
        sections = text_sections(reader, found, year, caller.now)
    response.headers["ETag"] = _etag(sections.narratives.revision)
    return NarrativesOut.model_validate(sections.as_json())


def _based_on(body: int | None, if_match: str | None) -> int:
    header: int | None = None
    if if_match is not None:
        value = if_match.strip().removeprefix("W/").strip('"')
        if not value.isdigit() or len(value) > 9:
            raise Problem(
                "validation",
                f'If-Match 应为报告文字的版本号，如 "3"，而不是 {if_match!r}',
                errors=[{"field": "If-Match", "message": "须为版本号"}],
            )
        header = int(value)
    if body is not None and header is not None and body != header:
        raise Problem(
            "validation",
            f"正文的 revision（{body}）与 If-Match（{header}）不一致",
            errors=[{"field": "revision", "message": "与 If-Match 不一致"}],
        )
    based_on = body if body is not None else header
    if based_on is None:
        raise Problem(
            "precondition_required",
            "请在正文的 revision 或 If-Match 请求头中提供编辑所依据的版本（初稿为 0）",
        )
    return based_on


def writable(year: Year, caller: Me, session: Db, agency: AgencyCode) -> Agency:
    """Visibility (404) and role (403) before the body is looked at (422)."""
    found, access = visible_agency(session, caller, agency)
    caller.require(access, WRITERS, "编写年度报告文字")
    return found


@router.get(
    "/{year}/narratives",
    summary="年度报告文字部分（一、五、六）：当前文字或初稿、待填写处、信息处理费情况",
    response_model=NarrativesOut,
    responses={200: {"headers": {"ETag": {"description": "文字版本，保存时作为 If-Match"}}}},
)
def get_narratives(
    year: Year, caller: Me, session: Db, agency: AgencyCode, response: Response
) -> NarrativesOut:
    found, _access = visible_agency(session, caller, agency)
    return _answer(caller, found, year, response)


@router.put(
    "/{year}/narratives",
    summary="保存年度报告文字部分（一、五、六；每次保存为新版本）",
    description="须带编辑所依据的版本（正文 revision 或 If-Match）；期间他人已保存则返回 409。",
    response_model=NarrativesOut,
    responses={
        409: {"description": "他人已保存了新版本"},
        428: {"description": "缺少编辑所依据的版本"},
    },
)
def put_narratives(
    year: Year,
    body: NarrativesIn,
    caller: Me,
    session: Db,
    response: Response,
    found: Annotated[Agency, Depends(writable)],
    if_match: IfMatch = None,
) -> NarrativesOut:
    based_on = _based_on(body.revision, if_match)
    texts: dict[str, Any] = body.model_dump(exclude={"revision"})
    set_narratives(session, found, year, texts, caller.username, expected_revision=based_on)
    session.commit()
    return _answer(caller, found, year, response)
