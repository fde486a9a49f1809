"""Sections 一, 五 and 六 (free text per agency and year), each save a new revision; until a
clerk saves one, a starter text drafted from the year's figures stands in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, select

from casework.errors import Invalid
from casework.models import Agency, ReportInput
from casework.statistics.figures import Report
from workflows.validation import describe

KIND = "narrative"
MAX_TEXT = 20_000  # characters per section: a long published section is ~3,000
SECTIONS = ("overview", "problems", "other")
SECTION_TITLES = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


class NarrativeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    overview: str = Field(max_length=MAX_TEXT)
    problems: str = Field(max_length=MAX_TEXT)
    other: str = Field(max_length=MAX_TEXT)


@dataclass(frozen=True)
class Narratives:
    overview: str
    problems: str
    other: str
    revision: int  # 0: the starter text, not yet saved by anyone

    def as_json(self) -> dict[str, Any]:
        return {
            "overview": self.overview,
            "problems": self.problems,
            "other": self.other,
            "revision": self.revision,
        }


def starter(figures: Report) -> Narratives:
    """A draft from the year's figures for the clerk to edit (never published unread: the
    publish step shows it as not yet edited)."""
    t = figures.requests
    total = -1
    received, concluded, carried = t.new[total], t.concluded_total[total], t.carried_out[total]
    overview = (
        f"{figures.year}年，{figures.agency_name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"全年新收政府信息公开申请{received}件，上年结转{t.carried_in[total]}件，"
        f"办结{concluded}件，结转下年度继续办理{carried}件。"
    )
    return Narratives(overview=overview, problems="", other="", revision=0)


def _latest(session: Session, agency_id: int, year: int, as_of: datetime) -> ReportInput | None:
    return session.exec(
        select(ReportInput)
        .where(
            ReportInput.agency_id == agency_id,
            ReportInput.year == year,
            ReportInput.kind == KIND,
            col(ReportInput.recorded_at) <= as_of,
        )
        .order_by(col(ReportInput.revision).desc())
    ).first()


def narratives_for(
    session: Session, agency_id: int, year: int, as_of: datetime, figures: Report
) -> Narratives:
    row = _latest(session, agency_id, year, as_of)
    if row is None:
        return starter(figures)
    return Narratives(**{k: str(row.data.get(k, "")) for k in SECTIONS}, revision=row.revision)


def set_narratives(
    session: Session, agency: Agency, year: int, raw: Any, actor: str, now: datetime
) -> ReportInput:
    try:
        data = NarrativeInput.model_validate(raw).model_dump()
    except ValidationError as exc:
        path, message = describe(exc)[0]
        raise Invalid(f"{year}年报告文字 {path}：{message}", field=path) from None
    assert agency.id is not None
    last = _latest(session, agency.id, year, now)
    if last is not None and last.data == data:
        return last
    row = ReportInput(
        agency_id=agency.id,
        year=year,
        kind=KIND,
        revision=(last.revision + 1) if last else 1,
        data=data,
        recorded_by=actor,
    )
    session.add(row)
    session.flush()
    return row
