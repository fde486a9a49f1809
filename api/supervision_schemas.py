"""Bodies of the supervision (督办) routes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from casework.services.supervision import NOTE_MAX, SupervisionView


class SupervisionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "已逾期，请于本周内答复并报送办理情况",
                                         "due_by": "2026-12-01"}]},
    )  # fmt: skip
    note: str = Field(min_length=1, max_length=NOTE_MAX, description="督办意见")
    due_by: date | None = Field(default=None, description="要求办理日期（可不填；不早于今天）")


class SupervisionOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    case_id: int
    ref: str = Field(description="案号")
    agency: str = Field(description="案件所属机关代码")
    agency_name: str
    office: str = Field(description="督办的政务公开办代码")
    office_name: str
    by: str = Field(description="督办人用户名")
    by_name: str
    note: str
    due_by: date | None
    created_at: datetime

    @classmethod
    def of(cls, view: SupervisionView) -> SupervisionOut:
        return cls.model_validate(view, from_attributes=True)
