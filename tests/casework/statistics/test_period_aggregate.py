"""The year statistics counted by the database (casework.statistics.aggregate, the fast path)
equal the reference — `compute_period` over `classify` of each case's standing — for random
histories through the real door, as recorded at random instants, for years and for any
period; and table 四 counted by the database equals `table_for_period` over `standings`."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import NotFound
from casework.models import Agency, Case
from casework.services import appeals, directory
from casework.services.perform import perform
from casework.statistics.figures import (
    COLUMNS,
    _standing_rows,
    compute_period,
    period_table,
)
from casework.timeutil import utcnow
from tests.casework.services.random_history import END, random_step
from workflows.roles import Actor, Role

_AGENCIES = itertools.count(1)
_REFS = itertools.count(1)
YEARS = [(date(y, 1, 1), date(y, 12, 31)) for y in range(2023, 2027)]
HYPOTHESIS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _periods(data: st.DataObject) -> list[tuple[date, date]]:
    """The report years and two drawn periods (a day, a quarter, a year and a half …)."""
    drawn = []
    for _ in range(2):
        first = date(2022, 6, 1) + timedelta(days=data.draw(st.integers(0, 1700)))
        drawn.append((first, first + timedelta(days=data.draw(st.integers(0, 500)))))
    return YEARS + drawn


def _agencies(engine: Engine) -> tuple[int, int]:
    """A district office and a department under it that leaves replies ordered anew out."""
    n = next(_AGENCIES)
    with unit_of_work(engine) as s:
        district = directory.ensure_agency(s, f"pd{n}", "区政务公开办")
        department = directory.ensure_agency(s, f"pa{n}", "区某局", parent=district.code)
        department.count_follow_up_cases = False
        s.add(department)
        try:
            user = directory.user_by_name(s, "wang")  # the handler the payloads assign
        except NotFound:
            user = directory.add_user(s, "wang", "王经办")
        for agency in (district, department):
            directory.grant(s, user, agency, Role.CLERK)
        assert district.id is not None and department.id is not None
        return district.id, department.id


def _register(engine: Engine, agency_id: int, ref: str, kind: str, received: date) -> int:
    with unit_of_work(engine) as s:
        agency = s.get_one(Agency, agency_id)
        case = perform(
            s,
            action="register",
            payload={
                "agency": agency.code,
                "ref": ref,
                "applicant": {"kind": kind, "name": "甲"},
                "channel": "online",
                "received_on": received.isoformat(),
                "request": "x",
            },
            actor=Actor.replay(),
            today=END,
        ).case
    assert case.id is not None
    return case.id


def _order_a_reply_anew(
    engine: Engine, case_ids: list[int], data: st.DataObject
) -> tuple[int, date] | None:
    """A reconsideration corrects a concluded reply; the reply ordered anew is a new case
    (counted or not, as its agency says)."""
    with unit_of_work(engine) as s:
        concluded = [
            c
            for c in s.exec(select(Case).where(col(Case.id).in_(case_ids))).all()
            if c.concluded_on is not None and c.concluded_on < date(2026, 6, 1)
        ]
        if not concluded:
            return None
        origin = data.draw(st.sampled_from(sorted(concluded, key=lambda c: c.id or 0)))
        agency = s.get_one(Agency, origin.agency_id)
        assert origin.concluded_on is not None
        filed = origin.concluded_on + timedelta(days=data.draw(st.integers(1, 40)))
        decided = filed + timedelta(days=data.draw(st.integers(1, 90)))
        appeal = appeals.add_appeal(s, agency, "reconsideration", filed, "t", END, case=origin)
        appeals.decide(s, appeal, "corrected", decided, "t", END)
        received = decided + timedelta(days=data.draw(st.integers(0, 5)))
        follow = perform(
            s,
            action="register",
            payload={
                "agency": agency.code,
                "ref": f"F{next(_REFS)}",
                "applicant": {"kind": origin.applicant_kind, "name": "甲"},
                "channel": "post",
                "received_on": received.isoformat(),
                "request": "重新答复",
                "follow_up_of": appeal.id,
            },
            actor=Actor.replay(),
            today=END,
        ).case
    assert follow.id is not None
    return follow.id, received


@HYPOTHESIS
@given(data=st.data())
def test_the_database_counts_table_three_as_classify_does(
    engine: Engine, data: st.DataObject
) -> None:
    district, department = _agencies(engine)
    instants: list[datetime] = [utcnow()]  # before any case
    histories: list[tuple[int, date]] = []
    for n in range(data.draw(st.integers(1, 5))):
        received = date(2023, 1, 2) + timedelta(days=data.draw(st.integers(0, 1000)))
        agency_id = data.draw(st.sampled_from([district, department]))
        kind = data.draw(st.sampled_from(COLUMNS[:-1]))
        histories.append((_register(engine, agency_id, f"R{n}", kind, received), received))
    instants.append(utcnow())

    for _ in range(data.draw(st.integers(1, 3))):  # rounds: some steps back-dated, some later
        for i, (case_id, on) in enumerate(histories):
            on = min(on + timedelta(days=data.draw(st.integers(0, 60))), END)
            random_step(engine, case_id, on, data)
            histories[i] = (case_id, on)
        if data.draw(st.booleans()):
            follow = _order_a_reply_anew(engine, [c for c, _ in histories], data)
            if follow is not None:
                histories.append(follow)
        instants.append(utcnow())

    with Session(engine) as s:
        for ids in ([district, department], [department]):
            for as_of in instants:
                rows = _standing_rows(s, ids, as_of)
                for first, last in _periods(data):
                    expected = compute_period(rows, first, last)
                    assert period_table(s, ids, first, last, as_of) == expected, (first, last)


@HYPOTHESIS
@given(data=st.data())
def test_the_database_counts_table_four_as_place_does(engine: Engine, data: st.DataObject) -> None:
    district, department = _agencies(engine)
    instants: list[datetime] = [utcnow()]
    undecided: list[int] = []
    with unit_of_work(engine) as s:
        for _ in range(data.draw(st.integers(1, 6))):
            agency = s.get_one(Agency, data.draw(st.sampled_from([district, department])))
            kind = data.draw(st.sampled_from(list(appeals.KINDS)))
            role = data.draw(st.sampled_from([None, "co_defendant_review_body"]))
            filed = date(2022, 10, 1) + timedelta(days=data.draw(st.integers(0, 1400)))
            appeal = appeals.add_appeal(s, agency, kind, filed, "t", END, role=role)
            assert appeal.id is not None
            undecided.append(appeal.id)
    instants.append(utcnow())
    for _ in range(data.draw(st.integers(1, 3))):
        with unit_of_work(engine) as s:
            for appeal_id in list(undecided):
                if data.draw(st.booleans()):
                    appeal = appeals.appeal_by_id(s, appeal_id)
                    room = (END - appeal.filed_on).days
                    on = appeal.filed_on + timedelta(days=data.draw(st.integers(0, room)))
                    result = data.draw(st.sampled_from(list(appeals.RESULTS)))
                    appeals.decide(s, appeal, result, on, "t", END)
                    undecided.remove(appeal_id)
        instants.append(utcnow())

    with Session(engine) as s:
        for ids in ([district, department], [department]):
            for as_of in instants:
                items = appeals.standings(s, ids, as_of)
                for first, last in _periods(data):
                    expected = appeals.table_for_period(items, first, last)
                    assert appeals.period_appeals(s, ids, first, last, as_of) == expected
