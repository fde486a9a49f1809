"""A period's table 三 counted by the database: one GROUP BY (DESIGN §3.6 fast path, §8).

A case's standing as of T is its latest row in the conclusion ledger recorded by T, or open
where it has none. The case row itself holds its latest standing (the ledger gets a row
whenever the case's outcome, conclusion date or voidness changes, so the row's outcome,
concluded_on and state are those of its latest ledger row). Hence:

- a case none of whose ledger rows was recorded after T stands as its row says: these are
  read from the covering index `ix_cases_statistics` alone, restricted to the period (received
  by its end, and open or concluded from its start on: two ranges of the index);
- a case with a ledger row recorded after T (none when T is now; for a frozen T, the cases
  concluded or amended since) stands as its latest ledger row recorded by T says. Only those
  received by the period's end matter (the ledger rows carry the receipt date), so an old T
  does not bring in the cases of all later years.

Both parts put each case where `figures.classify` does — in-row "new" or "carried_in", out-row
its outcome or "carried_out" — and are counted by (column, in-row, out-row). The property tests
check the counts against `compute_period` over `classify` on random histories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, true, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from casework.models import Agency, Case, CaseConclusion
from casework.statistics.lookup import among, not_among
from workflows.states import State

Count = tuple[str, bool, str | None, int]
"""(column, received in the period, outcome row or None for carried out, number of cases)."""


def _follow_ups_counted(session: Session, agency_ids: Sequence[int]) -> ColumnElement[bool]:
    """Replies ordered anew count unless their agency leaves them out (DESIGN §3.4)."""
    counting = session.exec(
        select(Agency.id).where(
            col(Agency.id).in_(list(agency_ids)), col(Agency.count_follow_up_cases)
        )
    ).all()
    if len(counting) == len(agency_ids):
        return true()
    if not counting:
        return col(Case.origin_appeal_id).is_(None)
    return or_(col(Case.origin_appeal_id).is_(None), col(Case.agency_id).in_(list(counting)))


def _placed(
    received_on: Any, outcome: Any, concluded_on: Any, first: date, last: date
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """classify() in SQL: (received in the period, the outcome row or NULL: carried out)."""
    new = case((received_on >= first, 1), else_=0)
    went = case((and_(outcome.is_not(None), concluded_on <= last), outcome), else_=None)
    return new, went


def period_counts(
    session: Session,
    agency_ids: Sequence[int],
    first: date,
    last: date,
    as_of: datetime,
) -> list[Count]:
    """Table 三 for first..last as recorded by `as_of`, counted per (column, in, out)."""
    ids = list(agency_ids)
    follow_ups = _follow_ups_counted(session, ids)
    changed_after = sa_select(col(CaseConclusion.case_id)).where(  # from the index alone
        col(CaseConclusion.agency_id).in_(ids),
        col(CaseConclusion.recorded_at) > as_of,
        col(CaseConclusion.received_on) <= last,
    )
    changed_rows = changed_after.where(col(CaseConclusion.case_id) == Case.id)
    common = (col(Case.received_on) <= last, col(Case.created_at) <= as_of, follow_ups)

    # the cases standing as their row says: open ones, and those concluded from `first` on
    # (two ranges of the index; its order favours recent periods, the usual ones)
    new, went = _placed(
        col(Case.received_on), col(Case.outcome), col(Case.concluded_on), first, last
    )
    settled = [
        sa_select(
            col(Case.applicant_kind).label("kind"), new.label("new"), went.label("went")
        ).where(
            col(Case.agency_id).in_(ids),
            *common,
            standing,
            col(Case.state) != State.VOID.value,
            not_among(session, col(Case.id), changed_after, changed_rows),
        )
        for standing in (col(Case.concluded_on).is_(None), col(Case.concluded_on) >= first)
    ]

    # the cases whose standing changed after T: their latest ledger row recorded by T (none:
    # open), the row by T with no later one by T
    row = CaseConclusion.__table__.alias("standing")  # type: ignore[attr-defined]
    later_row = (
        sa_select(col(CaseConclusion.id))
        .where(
            col(CaseConclusion.case_id) == Case.id,
            col(CaseConclusion.recorded_at) <= as_of,
            col(CaseConclusion.id) > row.c.id,
        )
        .exists()
    )
    new_b, went_b = _placed(col(Case.received_on), row.c.outcome, row.c.concluded_on, first, last)
    changed = (
        sa_select(col(Case.applicant_kind).label("kind"), new_b.label("new"), went_b.label("went"))
        .select_from(Case)
        .outerjoin(row, and_(row.c.case_id == Case.id, row.c.recorded_at <= as_of, ~later_row))
        .where(
            # looked up by id (a case's ledger rows carry its agency): not a scan of the
            # agencies' cases
            among(session, col(Case.id), changed_after),
            *common,
            or_(row.c.concluded_on.is_(None), row.c.concluded_on >= first),
            or_(row.c.voided.is_(None), row.c.voided == false()),
        )
    )

    placed = union_all(*settled, changed).subquery()
    query = sa_select(placed.c.kind, placed.c.new, placed.c.went, func.count()).group_by(
        placed.c.kind, placed.c.new, placed.c.went
    )
    return [(kind, bool(n_new), went_, int(n)) for kind, n_new, went_, n in session.execute(query)]
