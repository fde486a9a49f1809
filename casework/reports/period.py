"""Tables 三 and 四 for any date range, for internal monitoring — never the statutory report.

The same rules as the year (`figures.classify`, `appeals.place`) over [from, to]: 一 received
in the period, 二 received before it and open at its start, 三 concluded in it by outcome, 四
open at its end; so every column balances (一 + 二 = 三（七） + 四), consecutive periods chain
(四 of one = 二 of the next) and the months of a year add up to the year. Every rendering says
first that this is not the annual report."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from casework.errors import Invalid
from casework.models import Agency
from casework.reports.cell_names import (
    APPEAL_RESULT_LABELS,
    COLUMN_LABELS,
    REQUEST_ROWS,
    ROW_LABELS,
    SHORT_ROW_LABELS,
)
from casework.reports.standings import case_lines
from casework.services.appeals import KINDS, RESULT_COLUMNS, standings, table_for_period
from casework.statistics.figures import COLUMNS, RequestTable, agency_ids, compute_period

NOTICE = "本统计为内部监测用，不是法定年度报告"
MAX_YEARS = 5  # longer ranges are a misuse (the annual reports cover them), or a typo
EARLIEST = date(2008, 1, 1)  # the Regulations' first year (in force 2008-05-01)
LATEST = date(2099, 12, 31)
QUARTER_NAMES = ("一", "二", "三", "四")
PERIOD_ROWS: dict[str, str] = {  # the year's wording does not fit a period
    "new": "一、本期新收申请",
    "carried_in": "二、期初结转申请（期初尚未办结）",
    "carried_out": "四、期末尚未办结",
}
PERIOD_ROW_LABELS: dict[str, str] = {**ROW_LABELS, **PERIOD_ROWS}
PERIOD_SHORT_LABELS: dict[str, str] = {**SHORT_ROW_LABELS, **PERIOD_ROWS}

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    label: str  # "2024年3月", "2024年第一季度", "2024-03-05至2024-04-04"


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"日期“{value}”无效（格式 YYYY-MM-DD）", field=field) from None


def _month(value: str) -> Period:
    found = _MONTH.fullmatch(value.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise Invalid(f"月份“{value}”无效（格式如 2024-03）", field="month")
    year, month = int(found.group(1)), int(found.group(2))
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), f"{year}年{month}月")


def _quarter(value: str) -> Period:
    found = _QUARTER.fullmatch(value.strip())
    if found is None:
        raise Invalid(f"季度“{value}”无效（格式如 2024Q1）", field="quarter")
    year, q = int(found.group(1)), int(found.group(2))
    first = date(year, 3 * q - 2, 1)
    last = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    return Period(first, last, f"{year}年第{QUARTER_NAMES[q - 1]}季度")


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def parse_period(
    *,
    first: str | None = None,
    last: str | None = None,
    month: str | None = None,
    quarter: str | None = None,
) -> Period:
    """The period named by a month ("2024-03"), a quarter ("2024Q1") or both ends ("from" and
    "to", inclusive); exactly one way. At most five years, within 2008–2099."""
    ways = [w for w, given in (("month", month), ("quarter", quarter)) if given is not None]
    ends = first is not None or last is not None
    if len(ways) + ends != 1:
        raise Invalid("请用以下一种方式指定期间：月份（如 2024-03）、季度（如 2024Q1）或起止日期",
                      field=ways[-1] if ways else "from")  # fmt: skip
    if month is not None:
        period = _month(month)
    elif quarter is not None:
        period = _quarter(quarter)
    else:
        if first is None or last is None:
            missing = "from" if first is None else "to"
            raise Invalid("起止日期须同时给出（from 和 to）", field=missing)
        start, end = _day(first, "from"), _day(last, "to")
        if end < start:
            raise Invalid(f"结束日期 {end} 早于开始日期 {start}", field="to")
        period = Period(start, end, f"{start}至{end}")
    if period.first < EARLIEST or period.last > LATEST:
        field = "from" if ends else ways[0]
        raise Invalid(f"期间须在 {EARLIEST.year}—{LATEST.year} 年之内", field=field)
    if period.last >= _years_later(period.first, MAX_YEARS):
        raise Invalid(f"期间不能超过 {MAX_YEARS} 年（更长的期间请看各年度报告）", field="to")
    return period


@dataclass(frozen=True)
class PeriodReport:
    agency: str
    agency_name: str
    period: Period
    as_of: datetime
    subtree: bool
    requests: RequestTable
    appeals: dict[str, dict[str, int]]

    def rows(self) -> dict[str, list[int]]:
        t = self.requests
        fixed = {"new": t.new, "carried_in": t.carried_in, "concluded_total": t.concluded_total,
                 "carried_out": t.carried_out}  # fmt: skip
        return {row: fixed[row] if row in fixed else t.outcomes[row] for row in REQUEST_ROWS}

    def as_json(self) -> dict[str, Any]:
        return {
            "statutory": False,
            "notice": NOTICE,
            "agency": self.agency,
            "agency_name": self.agency_name,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "period": self.period.label,
            "as_of": self.as_of.isoformat().replace("+00:00", "Z"),
            "subtree": self.subtree,
            "requests": {"columns": list(COLUMNS), "rows": self.rows()},
            "appeals": self.appeals,
        }

    @property
    def heading(self) -> str:
        scope = "（含下级机关）" if self.subtree else ""
        return f"{self.agency_name}{scope}{self.period.label}政府信息公开申请统计"

    @property
    def basis(self) -> str:
        stamp = self.as_of.isoformat(timespec="seconds").replace("+00:00", "Z")
        return f"期间 {self.period.first} 至 {self.period.last}；以 {stamp} 前已记录的数据为准"


def period_report(
    session: Session, agency: Agency, period: Period, as_of: datetime, subtree: bool = False
) -> PeriodReport:
    ids = agency_ids(session, agency, subtree)
    lines = case_lines(session, ids, as_of)
    return PeriodReport(
        agency=agency.code,
        agency_name=agency.name,
        period=period,
        as_of=as_of,
        subtree=subtree,
        requests=compute_period([line.standing for line in lines], period.first, period.last),
        appeals=table_for_period(standings(session, ids, as_of), period.first, period.last),
    )


def render_text(result: PeriodReport) -> str:
    """Plain text, the notice first: the tables as tab-separated lines (paste into a sheet)."""
    lines = [f"【{NOTICE}】", "", result.heading, result.basis, ""]
    lines.append("\t".join(["申请办理情况", *(COLUMN_LABELS[c] for c in COLUMNS)]))
    for row, numbers in result.rows().items():
        lines.append("\t".join([PERIOD_ROW_LABELS[row], *map(str, numbers)]))
    lines += [
        "",
        "\t".join(["行政复议、行政诉讼", *(APPEAL_RESULT_LABELS[r] for r in RESULT_COLUMNS)]),
    ]
    for kind, label in KINDS.items():
        lines.append("\t".join([label, *(str(result.appeals[kind][r]) for r in RESULT_COLUMNS)]))
    return "\n".join(lines) + "\n"
