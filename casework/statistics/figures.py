"""`report(agency, year, as_of)`: the statistics of a year as they stood at an instant.

Two time axes (DESIGN §2.4): a case counts in year Y by its effective dates (receipt,
conclusion), and only with what was recorded by the as-of instant T. Each case's standing at T
is its latest row in the conclusion ledger recorded by T, so a year is one indexed query, and
the table balances by construction: every counted case is received either in Y (一) or before
it and still open on 1 January (二), and is either concluded in Y (三) or still open on
31 December (四).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from casework.errors import Invalid
from casework.models import Agency, Case, CaseConclusion, CaseEvent, ReportInput
from casework.services.appeals import period_appeals
from casework.statistics.aggregate import period_counts
from casework.timeutil import end_of_china_day, utcnow
from workflows.outcomes import OUTCOMES, ApplicantKind
from workflows.payloads import FEN

COLUMNS: tuple[str, ...] = (*(k.value for k in ApplicantKind), "total")
ROW_CODES: tuple[str, ...] = tuple(o.code for o in OUTCOMES)

Standing = tuple[str, date, str | None, date | None, bool | None]
"""(column, received_on, outcome, concluded_on, voided) of one case as of T."""


def _zeros() -> list[int]:
    return [0] * len(COLUMNS)


@dataclass
class RequestTable:
    """Table 三: per row, one number per column (the last is the total)."""

    new: list[int] = field(default_factory=_zeros)
    carried_in: list[int] = field(default_factory=_zeros)
    outcomes: dict[str, list[int]] = field(
        default_factory=lambda: {code: _zeros() for code in ROW_CODES}
    )
    concluded_total: list[int] = field(default_factory=_zeros)
    carried_out: list[int] = field(default_factory=_zeros)

    def add(self, row: list[int], kind: str, n: int = 1) -> None:
        row[COLUMNS.index(kind)] += n
        row[-1] += n


@dataclass
class Report:
    agency: str
    agency_name: str
    year: int
    as_of: datetime
    requests: RequestTable
    proactive: dict[str, Any]
    appeals: dict[str, dict[str, int]]
    fees: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        rows: dict[str, list[int]] = {
            "new": self.requests.new,
            "carried_in": self.requests.carried_in,
            **self.requests.outcomes,
            "concluded_total": self.requests.concluded_total,
            "carried_out": self.requests.carried_out,
        }
        return {
            "agency": self.agency,
            "year": self.year,
            "as_of": self.as_of.isoformat().replace("+00:00", "Z"),
            "requests": {"columns": list(COLUMNS), "rows": rows},
            "appeals": self.appeals,
            "proactive": self.proactive,
            "fees": self.fees,
        }


APPEAL_KINDS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
APPEAL_RESULTS = ("upheld", "corrected", "other", "pending", "total")

PROACTIVE_DEFAULT: dict[str, Any] = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
    "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
    "licensing": 0,
    "penalties": 0,
    "enforcement": 0,
    "admin_fees_wan_yuan": 0,
}


def counted_cases(agency_ids: Sequence[int], as_of: datetime, *leading: Any) -> Select[Any]:
    """The cases the statistics count at T — recorded by T, replies ordered anew only where the
    agency counts them — selecting `leading` columns (of Case or Agency) and then the standing:
    (column, received_on, outcome, concluded_on, voided), the conclusion the latest recorded by T."""
    latest = (
        select(CaseConclusion.case_id, func.max(CaseConclusion.id).label("last_id"))
        .where(
            col(CaseConclusion.agency_id).in_(list(agency_ids)),  # a case's rows carry its agency
            col(CaseConclusion.recorded_at) <= as_of,
        )
        .group_by(col(CaseConclusion.case_id))
        .subquery()
    )
    return (
        sa_select(
            *leading,
            col(Case.applicant_kind),
            col(Case.received_on),
            col(CaseConclusion.outcome),
            col(CaseConclusion.concluded_on),
            col(CaseConclusion.voided),
        )
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(CaseConclusion, and_(col(CaseConclusion.id) == latest.c.last_id))
        .join(Agency, col(Agency.id) == Case.agency_id)
        .where(
            col(Case.agency_id).in_(list(agency_ids)),
            col(Case.created_at) <= as_of,
            # an agency may leave replies ordered anew out of the table (DESIGN §3.4)
            or_(col(Case.origin_appeal_id).is_(None), col(Agency.count_follow_up_cases)),
        )
    )


def _standing_rows(session: Session, agency_ids: Sequence[int], as_of: datetime) -> list[Standing]:
    """(column, received_on, outcome, concluded_on, voided) for every case recorded by T."""
    query = counted_cases(agency_ids, as_of)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(query).all()]


def agency_ids(session: Session, agency: Agency, subtree: bool) -> list[int]:
    """The agency, with the agencies merged into it and, if asked, its whole subtree."""
    assert agency.id is not None
    ids = {agency.id}
    frontier = [agency.id]
    while frontier:
        link: ColumnElement[bool] = col(Agency.merged_into_id).in_(frontier)
        if subtree:
            link = or_(link, col(Agency.parent_id).in_(frontier))
        children = session.exec(select(Agency.id).where(link)).all()
        frontier = [c for c in children if c is not None and c not in ids]
        ids.update(frontier)
    return sorted(ids)


def classify(standing: Standing, first: date, last: date) -> tuple[str, str] | None:
    """Where one case counts for the period first..last: (in-row, out-row) — in-row is "new"
    or "carried_in", out-row an outcome code or "carried_out" — or None where it counts
    nowhere. The one rule behind the table, its drill-down and any period's statistics."""
    _kind, received_on, outcome, concluded_on, voided = standing
    if voided or received_on > last:
        return None  # void cases count nowhere
    if concluded_on is not None and concluded_on < first:
        return None  # concluded before the period
    came = "new" if received_on >= first else "carried_in"
    if outcome is not None and concluded_on is not None and concluded_on <= last:
        return came, outcome
    return came, "carried_out"


def compute_period(rows: Sequence[Standing], first: date, last: date) -> RequestTable:
    table = RequestTable()
    for standing in rows:
        place = classify(standing, first, last)
        if place is None:
            continue
        kind = standing[0]
        came, went = place
        table.add(table.new if came == "new" else table.carried_in, kind)
        if went == "carried_out":
            table.add(table.carried_out, kind)
        else:
            table.add(table.outcomes[went], kind)
            table.add(table.concluded_total, kind)
    return table


def compute_requests(rows: Sequence[Standing], year: int) -> RequestTable:
    return compute_period(rows, date(year, 1, 1), date(year, 12, 31))


def period_table(
    session: Session, agency_ids: Sequence[int], first: date, last: date, as_of: datetime
) -> RequestTable:
    """compute_period(_standing_rows(…), first, last), counted by the database in one
    GROUP BY (casework.statistics.aggregate): the same table, without a row per case."""
    table = RequestTable()
    for kind, new, went, n in period_counts(session, agency_ids, first, last, as_of):
        table.add(table.new if new else table.carried_in, kind, n)
        if went is None:
            table.add(table.carried_out, kind, n)
        else:
            table.add(table.outcomes[went], kind, n)
            table.add(table.concluded_total, kind, n)
    return table


def proactive_for(session: Session, agency_id: int, year: int, as_of: datetime) -> dict[str, Any]:
    row = session.exec(
        select(ReportInput)
        .where(
            ReportInput.agency_id == agency_id,
            ReportInput.year == year,
            ReportInput.kind == "proactive",
            col(ReportInput.recorded_at) <= as_of,
        )
        .order_by(col(ReportInput.revision).desc())
    ).first()
    return dict(row.data) if row is not None else dict(PROACTIVE_DEFAULT)


def fee_figures(
    session: Session, agency_ids: Sequence[int], year: int, as_of: datetime
) -> dict[str, Any]:
    """Section 六's information-processing-fee statement, from the fee events recorded by T:
    the notices issued in the year (by the notice's effective date) and the amounts they
    asked for; the payments received in the year (by the payment's date, whatever the year
    of its notice) and the amounts collected — the amount of the case's latest notice before
    the payment. Amounts are exact (Decimal, written as "300.50"). A case void by T counts
    nowhere, like in the table (a registration error or a duplicate)."""
    # only the cases with a fee event in the year count, and all their fee events are read:
    # found from ix_case_event_action_effective, not from every event of the agencies
    with_fees = (
        sa_select(col(CaseEvent.case_id))
        .join(Case, col(Case.id) == CaseEvent.case_id)
        .where(
            col(CaseEvent.action).in_(["issue_fee_notice", "receive_payment"]),
            col(CaseEvent.effective_on).between(date(year, 1, 1), date(year, 12, 31)),
            col(CaseEvent.recorded_at) <= as_of,
            col(Case.agency_id).in_(list(agency_ids)),
        )
    )
    rows = session.execute(
        sa_select(
            col(CaseEvent.case_id),
            col(CaseEvent.action),
            col(CaseEvent.effective_on),
            col(CaseEvent.payload)["amount"].as_string(),  # read in SQL: no JSON decoding
        )
        .join(Case, col(Case.id) == CaseEvent.case_id)
        .where(
            col(Case.agency_id).in_(list(agency_ids)),
            col(CaseEvent.action).in_(["issue_fee_notice", "receive_payment", "void"]),
            col(CaseEvent.recorded_at) <= as_of,
            col(CaseEvent.case_id).in_(with_fees),
        )
        .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
    ).all()
    void = {case_id for case_id, action, _on, _amount in rows if action == "void"}
    notified: dict[int, Decimal] = {}
    notices, paid = 0, 0
    amount_notified, amount_collected = Decimal(0), Decimal(0)
    for case_id, action, on, amount in rows:
        if case_id in void:
            continue
        if action == "issue_fee_notice":
            notified[case_id] = Decimal(str(amount))
            if on.year == year:
                notices += 1
                amount_notified += notified[case_id]
        elif action == "receive_payment" and on.year == year and case_id in notified:
            paid += 1
            amount_collected += notified[case_id]
    return {
        "notices": notices,
        "amount_notified_yuan": str(amount_notified.quantize(FEN)),
        "payments": paid,
        "amount_collected_yuan": str(amount_collected.quantize(FEN)),
    }


def report(
    session: Session, agency: Agency, year: int, as_of: datetime, subtree: bool = False
) -> Report:
    assert agency.id is not None
    ids = agency_ids(session, agency, subtree)
    requests = period_table(session, ids, date(year, 1, 1), date(year, 12, 31), as_of)
    appeals = period_appeals(session, ids, date(year, 1, 1), date(year, 12, 31), as_of)
    return Report(
        agency=agency.code,
        agency_name=agency.name,
        year=year,
        as_of=as_of,
        requests=requests,
        proactive=proactive_for(session, agency.id, year, as_of),
        appeals=appeals,
        fees=fee_figures(session, ids, year, as_of),
    )


def parse_as_of(value: str | None) -> datetime:
    """The instant a report is "as recorded by": a date (the end of that day, China time) or
    an instant with its time zone; None is now."""
    if value is None:
        return utcnow()
    try:
        if len(value) == 10:
            return end_of_china_day(datetime.fromisoformat(value).date())
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(
            f"as_of“{value}”不是有效的日期或时刻（如 2024-01-05 或 2024-01-05T02:00:00Z）",
            field="as_of",
        ) from None
    if instant.tzinfo is None:
        raise Invalid("as_of 须带时区（如 2024-01-05T10:00:00+08:00 或 …Z）", field="as_of")
    return instant.astimezone(UTC)
