"""The whole annual report as one value: the figures (sections 二–四), the entered sections
一, 五, 六, and section 六's fee statement derived from fee events. Every rendering takes this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from casework.models import Agency
from casework.reports.narratives import Narratives, narratives_for
from casework.statistics.figures import Report, report


@dataclass(frozen=True)
class AnnualReport:
    figures: Report
    narratives: Narratives
    fee_statement: str

    @property
    def title(self) -> str:
        return f"{self.figures.agency_name}{self.figures.year}年政府信息公开工作年度报告"

    def as_json(self) -> dict[str, Any]:
        """DESIGN §3.7's shape, with the title and the text sections added."""
        return self.figures.as_json() | {
            "title": self.title,
            "agency_name": self.figures.agency_name,
            "narratives": self.narratives.as_json(),
            "fee_statement": self.fee_statement,
        }


def fee_statement(figures: Report) -> str:
    """The information-processing-fee sentence of section 六 (国办函〔2020〕109号)."""
    fees, year = figures.fees, figures.year
    basis = "依据《政府信息公开信息处理费管理办法》，"
    if not fees.get("notices"):
        return (
            f"{basis}{year}年未出现因申请人申请公开政府信息超出一定数量或者频次范围"
            "而收取信息处理费的情况。"
        )
    notified = _yuan(fees["amount_notified_yuan"])
    collected = _yuan(fees["amount_collected_yuan"])
    return (
        f"{basis}{year}年发出收费通知{fees['notices']}件，通知收取信息处理费{notified}元，"
        f"实际收取{collected}元。"
    )


def _yuan(value: str) -> str:
    amount = Decimal(value)
    return f"{amount:.2f}".rstrip("0").rstrip(".") if amount % 1 else f"{amount:.0f}"


def build(
    session: Session, agency: Agency, year: int, as_of: datetime, subtree: bool = False
) -> AnnualReport:
    assert agency.id is not None
    figures = report(session, agency, year, as_of, subtree)
    return AnnualReport(
        figures=figures,
        narratives=narratives_for(session, agency.id, year, as_of, figures),
        fee_statement=fee_statement(figures),
    )
