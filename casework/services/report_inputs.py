"""Figures entered per agency and year (table 二 主动公开), each change a new revision."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, select

from casework.errors import Invalid
from casework.models import Agency, ReportInput
from workflows.validation import describe

MAX_COUNT = 10_000_000  # documents or decisions of one agency in a year: far above any real one
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]


class _Counts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issued: Count
    repealed: Count
    in_force: Count


class Proactive(BaseModel):
    """Table 二 of the 2021 format (DESIGN §5 field names)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "regulations": {"issued": 0, "repealed": 0, "in_force": 2},
                    "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
                    "licensing": 120,
                    "penalties": 35,
                    "enforcement": 4,
                    "admin_fees_wan_yuan": 0,
                }
            ]
        },
    )
    regulations: _Counts
    normative_documents: _Counts
    licensing: Count
    penalties: Count
    enforcement: Count
    admin_fees_wan_yuan: float = Field(ge=0, le=1e9, allow_inf_nan=False)


def parse_proactive(raw: Any, where: str = "") -> dict[str, Any]:
    try:
        return Proactive.model_validate(raw).model_dump(mode="json")
    except ValidationError as exc:
        path, message = describe(exc)[0]
        raise Invalid(f"{where}主动公开数据 {path}：{message}", field=path) from None


def set_proactive(session: Session, agency: Agency, year: int, raw: Any, actor: str) -> ReportInput:
    data = parse_proactive(raw, f"{year}年")
    last = session.exec(
        select(ReportInput)
        .where(
            ReportInput.agency_id == agency.id,
            ReportInput.year == year,
            ReportInput.kind == "proactive",
        )
        .order_by(col(ReportInput.revision).desc())
    ).first()
    if last is not None and last.data == data:
        return last
    assert agency.id is not None
    row = ReportInput(
        agency_id=agency.id,
        year=year,
        kind="proactive",
        revision=(last.revision + 1) if last else 1,
        data=data,
        recorded_by=actor,
    )
    session.add(row)
    session.flush()
    return row
