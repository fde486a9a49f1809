"""The cases and appeals behind each cell of tables 三 and 四 (DESIGN §3.6).

A cell's list comes from the rule that fills the table — `figures.classify` for a case's
standing at T, `appeals.place` for an appeal's — so its length is the number in the report.
Each line carries what an auditor or a district office needs to check the number: the case
reference, its agency, the dates, the outcome and the applicant's kind — never an applicant's
name or other personal data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from casework.models import Agency, Appeal, Case
from casework.reports.cell_names import (
    APPEAL_RESULT_LABELS,
    COLUMN_LABELS,
    ROW_LABELS,
    appeal_kind,
    appeal_result,
    request_column,
    request_row,
)
from casework.reports.standings import CaseLine, case_lines
from casework.services.appeals import KINDS, RESULTS, AppealStanding, place, standings
from casework.statistics.figures import agency_ids, classify

Cells = dict[tuple[str, str], list[CaseLine]]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def case_rows(line: CaseLine, first: date, last: date) -> tuple[str, ...]:
    """The rows of table 三 a case counts in for the period: where it came from, where it went,
    and "concluded_total" with an outcome row; none where `classify` counts it nowhere."""
    found = classify(line.standing, first, last)
    if found is None:
        return ()
    came, went = found
    return (came, went, "concluded_total") if went != "carried_out" else (came, went)


def request_cells(lines: Sequence[CaseLine], first: date, last: date) -> Cells:
    """Every non-empty cell of table 三 for the period, with its cases in receipt order."""
    cells: Cells = {}
    for line in lines:
        for row in case_rows(line, first, last):
            for column in (line.applicant_kind, "total"):
                cells.setdefault((row, column), []).append(line)
    return cells


def appeal_cells(
    items: Sequence[AppealStanding], first: date, last: date
) -> dict[tuple[str, str], list[AppealStanding]]:
    """Every non-empty cell of table 四 for the period, with its appeals."""
    cells: dict[tuple[str, str], list[AppealStanding]] = {}
    for item in items:
        column = place(item, first, last)
        if column is not None:
            for result in (column, "total"):
                cells.setdefault((item.kind, result), []).append(item)
    return cells


@dataclass(frozen=True)
class _Cell:
    """Which report a cell belongs to: the agency (with its subtree or not), year and T."""

    agency: str
    year: int
    as_of: datetime
    subtree: bool

    def _heading(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "year": self.year,
            "as_of": _instant(self.as_of),
            "subtree": self.subtree,
        }


@dataclass(frozen=True)
class RequestCell(_Cell):
    """The cases behind one cell of table 三."""

    row: str
    column: str
    cases: list[CaseLine] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            **self._heading(),
            "row": self.row,
            "row_label": ROW_LABELS[self.row],
            "column": self.column,
            "column_label": COLUMN_LABELS[self.column],
            "count": len(self.cases),
            "cases": [c.as_json() for c in self.cases],
        }


@dataclass(frozen=True)
class AppealLine:
    id: int
    agency: str
    kind: str
    role: str
    case_ref: str | None
    filed_on: date
    decided_on: date | None  # as recorded by T
    result: str | None
    case_id: int | None = None  # the case decided on, where recorded (a page links to it)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency": self.agency,
            "kind": self.kind,
            "role": self.role,
            "case_ref": self.case_ref,
            "filed_on": self.filed_on.isoformat(),
            "decided_on": _iso(self.decided_on),
            "result": self.result,
            "result_label": RESULTS.get(self.result or ""),
        }


@dataclass(frozen=True)
class AppealCell(_Cell):
    """The appeals behind one cell of table 四."""

    kind: str
    result: str
    appeals: list[AppealLine] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            **self._heading(),
            "kind": self.kind,
            "kind_label": KINDS[self.kind],
            "result": self.result,
            "result_label": APPEAL_RESULT_LABELS[self.result],
            "count": len(self.appeals),
            "appeals": [a.as_json() for a in self.appeals],
        }


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def request_cell(
    session: Session,
    agency: Agency,
    year: int,
    as_of: datetime,
    row: str,
    column: str,
    subtree: bool = False,
) -> RequestCell:
    """The cases behind table 三's cell (row, column) of the year; row and column by code or
    by label (an unknown one is NotFound)."""
    row, column = request_row(row), request_column(column)
    lines = case_lines(session, agency_ids(session, agency, subtree), as_of)
    cases = request_cells(lines, *_year(year)).get((row, column), [])
    return RequestCell(agency.code, year, as_of, subtree, row, column, cases)


def appeal_lines(session: Session, items: Sequence[AppealStanding]) -> list[AppealLine]:
    """The appeals of `items` with their agency and case reference, in filing order."""
    wanted = {i.appeal_id: i for i in items if i.appeal_id is not None}
    if not wanted:
        return []
    rows = session.exec(
        select(Appeal, Agency.code, Case.ref)
        .join(Agency, col(Agency.id) == Appeal.agency_id)
        .outerjoin(Case, col(Case.id) == Appeal.case_id)
        .where(col(Appeal.id).in_(list(wanted)))
    ).all()
    out = []
    for appeal, code, ref in rows:
        assert appeal.id is not None
        item = wanted[appeal.id]
        out.append(
            AppealLine(
                appeal.id, code, item.kind, appeal.role, ref, item.filed_on, item.decided_on,
                item.result, appeal.case_id,
            )
        )  # fmt: skip
    return sorted(out, key=lambda a: (a.filed_on, a.id))


def appeal_cell(
    session: Session,
    agency: Agency,
    year: int,
    as_of: datetime,
    kind: str,
    result: str,
    subtree: bool = False,
) -> AppealCell:
    """The appeals behind table 四's cell (kind, result) of the year."""
    kind, result = appeal_kind(kind), appeal_result(result)
    items = standings(session, agency_ids(session, agency, subtree), as_of)
    behind = appeal_cells(items, *_year(year)).get((kind, result), [])
    return AppealCell(
        agency.code, year, as_of, subtree, kind, result, appeal_lines(session, behind)
    )
