"""The whole annual report as one value: the figures (sections 二–四), the entered sections
一, 五, 六, and section 六's fee statement derived from fee events. Every rendering takes this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from casework.models import Agency
from casework.reports.carry_in import CarryInDifference, carry_in_difference
from casework.reports.narratives import Narratives, narratives_for
from casework.statistics.figures import Report, report
from workflows.fees import yuan
from workflows.outcomes import FEE_NOT_PAID


@dataclass(frozen=True)
class AnnualReport:
    figures: Report
    narratives: Narratives
    fee_statement: str
    # where 二 differs from the 四 the previous year published (DESIGN §3.6); None: it does not
    carry_in_difference: CarryInDifference | None = None

    @property
    def title(self) -> str:
        return f"{self.figures.agency_name}{self.figures.year}年政府信息公开工作年度报告"

    def as_json(self) -> dict[str, Any]:
        """DESIGN §3.7's shape, with the title and the text sections added."""
        out = self.figures.as_json() | {
            "title": self.title,
            "agency_name": self.figures.agency_name,
            "narratives": self.narratives.as_json(),
            "fee_statement": self.fee_statement,
        }
        if self.carry_in_difference is not None:
            out["carry_in_difference"] = self.carry_in_difference.as_json()
        return out


def fee_statement(figures: Report) -> str:
    """The information-processing-fee sentences of section 六 (国办函〔2020〕109号): the
    notices issued in the year and their total, what was actually collected, and the
    requests no longer processed because the fee was not paid (table 三 row （六）2)."""
    fees, year = figures.fees, figures.year
    basis = "依据《政府信息公开信息处理费管理办法》，"
    notices, payments = int(fees.get("notices", 0)), int(fees.get("payments", 0))
    unpaid = figures.requests.outcomes[FEE_NOT_PAID][-1]
    if not (notices or payments or unpaid):
        return (
            f"{basis}{year}年未出现因申请人申请公开政府信息超出一定数量或者频次范围"
            "而收取信息处理费的情况。"
        )
    notified = yuan(Decimal(fees.get("amount_notified_yuan", "0")))
    collected = yuan(Decimal(fees.get("amount_collected_yuan", "0")))
    text = (
        f"{basis}{year}年发出收费通知{notices}件，通知收取信息处理费{notified}元；"
        f"实际收取信息处理费{collected}元（{payments}件）。"
    )
    if unpaid:
        text += f"因申请人逾期未按收费通知要求缴纳费用、不再处理的政府信息公开申请{unpaid}件。"
    return text


def build(
    session: Session, agency: Agency, year: int, as_of: datetime, subtree: bool = False
) -> AnnualReport:
    assert agency.id is not None
    figures = report(session, agency, year, as_of, subtree)
    return AnnualReport(
        figures=figures,
        narratives=narratives_for(session, agency.id, year, as_of, figures),
        fee_statement=fee_statement(figures),
        carry_in_difference=None
        if subtree
        else carry_in_difference(session, agency, year, as_of, figures.requests.carried_in),
    )
