"""Drift (DESIGN §3.6): report(Y, now) − report(Y, T_published), cell by cell, with the
recorded events that cause it.

The published side is the stored publication (what was published, byte for byte), not a
recomputation. Causes: each case or appeal event recorded after T that moves the case or the
appeal from one cell of year Y to another (a back-dated reply, an expiry the timers applied
late, an outcome amended, a void, a case registered back-dated …), fee events of year Y
recorded after T (the fee statement), and table 二 entered anew after T. Nothing recorded after
T that moves nothing in Y is listed; a drift with no cells and no causes is empty."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from casework.errors import NotFound
from casework.models import Agency, Case, CaseEvent, ReportInput
from casework.reports import publications
from casework.reports.changes import Place, Timeline, appeal_timelines, case_timelines, place
from casework.statistics.figures import agency_ids, report
from workflows.actions import ACTION_BY_NAME

TABLES = ("requests", "appeals", "proactive", "fees")
FEE_ACTIONS = ("issue_fee_notice", "receive_payment")
# A cause's action that is not a case action of the workflow table: an appeal's events, and
# table 二 entered anew (its kind)
OTHER_ACTIONS = {"filed": "提起", "answered": "答辩", "decided": "审结", "proactive": "录入"}


@dataclass(frozen=True)
class Cell:
    table: str  # requests | appeals | proactive | fees
    row: str  # requests: "new", an outcome code …; appeals: the kind; proactive/fees: the item
    column: str  # requests: applicant kind or "total"; appeals: result; else the sub-item or ""
    published: Any
    current: Any

    @property
    def delta(self) -> int | None:
        both = (self.published, self.current)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in both):
            return int(self.current) - int(self.published)
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "published": self.published,
            "current": self.current,
            "delta": self.delta,
        }


@dataclass(frozen=True)
class Cause:
    kind: str  # case | appeal | fee | input
    ref: str
    column: str  # a case's report column, an appeal's kind; "" for the others
    action: str
    effective_on: date | None
    recorded_at: datetime
    actor: str
    before: Place
    after: Place

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "column": self.column,
            "action": self.action,
            "effective_on": self.effective_on.isoformat() if self.effective_on else None,
            "recorded_at": _instant(self.recorded_at),
            "actor": self.actor,
            "from": list(self.before) if self.before else None,
            "to": list(self.after) if self.after else None,
        }


@dataclass(frozen=True)
class Drift:
    agency: str
    year: int
    revision: int
    published_as_of: datetime
    as_of: datetime
    cells: tuple[Cell, ...]
    causes: tuple[Cause, ...]

    @property
    def empty(self) -> bool:
        return not self.cells and not self.causes

    def as_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "year": self.year,
            "revision": self.revision,
            "published_as_of": _instant(self.published_as_of),
            "as_of": _instant(self.as_of),
            "empty": self.empty,
            "cells": [c.as_json() for c in self.cells],
            "causes": [c.as_json() for c in self.causes],
        }


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def action_label(name: str) -> str:
    """What a cause's action is called: the workflow's label, or an appeal's or input's."""
    spec = ACTION_BY_NAME.get(name)
    return spec.label if spec is not None else OTHER_ACTIONS.get(name, name)


def drift(session: Session, agency: Agency, year: int, now: datetime) -> Drift:
    """The latest publication of the year against the report as recorded by `now`."""
    assert agency.id is not None
    published = publications.latest(session, agency.id, year)
    if published is None:
        raise NotFound(f"{agency.code} 的{year}年度报告尚未公布")
    current = report(session, agency, year, now).as_json()
    cells = tuple(_cells(published.figures, current))
    ids = agency_ids(session, agency, False)
    first, last = date(year, 1, 1), date(year, 12, 31)
    causes = [
        *_moves("case", case_timelines(session, ids, published.as_of, now, last), first, last),
        *_moves("appeal", appeal_timelines(session, ids, published.as_of, now, last), first, last),
        *_fee_causes(session, ids, year, published.as_of, now),
        *_input_causes(session, agency.id, year, published.as_of, now),
    ]
    causes.sort(key=lambda c: (c.recorded_at, c.ref))
    return Drift(agency.code, year, published.revision, published.as_of, now, cells, tuple(causes))


def _cells(published: dict[str, Any], current: dict[str, Any]) -> Iterator[Cell]:
    rows_then = published["requests"]["rows"]
    rows_now = current["requests"]["rows"]
    columns = current["requests"]["columns"]
    for row in rows_now:
        then = rows_then.get(row, [0] * len(columns))
        for i, column in enumerate(columns):
            if then[i] != rows_now[row][i]:
                yield Cell("requests", row, column, then[i], rows_now[row][i])
    for table in ("appeals", "proactive", "fees"):
        yield from _leaf_cells(table, published.get(table, {}), current.get(table, {}))


def _leaf_cells(table: str, then: dict[str, Any], now: dict[str, Any]) -> Iterator[Cell]:
    """Two levels at most: {row: {column: value}} or {row: value}."""
    for row in now:
        a, b = then.get(row), now[row]
        if isinstance(b, dict):
            old = a if isinstance(a, dict) else {}
            for column in b:
                if old.get(column) != b[column]:
                    yield Cell(table, row, column, old.get(column), b[column])
        elif a != b:
            yield Cell(table, row, "", a, b)


def _moves(kind: str, timelines: list[Timeline], first: date, last: date) -> Iterator[Cause]:
    for timeline in timelines:
        before = place(timeline.start, first, last)
        for step in timeline.steps:
            after = place(step.standing, first, last)
            if after != before:
                yield Cause(
                    kind,
                    timeline.ref,
                    timeline.column,
                    step.action,
                    step.effective_on,
                    step.recorded_at,
                    step.actor,
                    before,
                    after,
                )
            before = after


def _fee_causes(
    session: Session, ids: list[int], year: int, since: datetime, until: datetime
) -> Iterator[Cause]:
    rows = session.execute(
        sa_select(CaseEvent, col(Case.ref), col(Case.applicant_kind))
        .join(Case, col(Case.id) == CaseEvent.case_id)
        .where(
            col(Case.agency_id).in_(ids),
            col(CaseEvent.action).in_(FEE_ACTIONS),
            col(CaseEvent.effective_on) >= date(year, 1, 1),
            col(CaseEvent.effective_on) <= date(year, 12, 31),
            col(CaseEvent.recorded_at) > since,
            col(CaseEvent.recorded_at) <= until,
        )
    ).all()
    for event, ref, column in rows:
        yield Cause(
            "fee", ref, column, event.action, event.effective_on, event.recorded_at,
            event.actor_name, None, None,
        )  # fmt: skip


def _input_causes(
    session: Session, agency_id: int, year: int, since: datetime, until: datetime
) -> Iterator[Cause]:
    rows = session.exec(
        select(ReportInput).where(
            ReportInput.agency_id == agency_id,
            ReportInput.year == year,
            ReportInput.kind == "proactive",
            col(ReportInput.recorded_at) > since,
            col(ReportInput.recorded_at) <= until,
        )
    ).all()
    for row in rows:
        yield Cause(
            "input", f"第{row.revision}版", "", row.kind, None, row.recorded_at,
            row.recorded_by, None, None,
        )  # fmt: skip
