"""Property tests over random histories through the real door and database (DESIGN §3.6):
every column balances, next year's carry-in equals this year's carry-out, a report as of T is
unchanged by anything recorded after T, and void cases count nowhere."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import NotFound
from casework.models import Case
from casework.services import appeals, directory
from casework.services.perform import perform
from casework.statistics.figures import COLUMNS, ROW_CODES, Report, report
from casework.timeutil import utcnow
from tests.casework.services.random_history import END, random_step
from workflows.roles import Actor, Role

YEARS = range(2023, 2027)
_AGENCIES = itertools.count(1)


def _tables(engine: Engine, code: str, as_of: object) -> dict[int, Report]:
    with Session(engine) as s:
        agency = directory.agency_by_code(s, code)
        return {y: report(s, agency, y, as_of) for y in YEARS}  # type: ignore[arg-type]


def _order_a_reply_anew(
    engine: Engine, code: str, histories: list[tuple[int, date]], data: st.DataObject
) -> None:
    """A reconsideration corrects a concluded reply; the reply ordered anew is a new case."""
    with unit_of_work(engine) as s:
        agency = directory.agency_by_code(s, code)
        concluded = [
            c
            for c in s.exec(select(Case).where(Case.agency_id == agency.id)).all()
            if c.concluded_on is not None and c.concluded_on < date(2026, 6, 1)
        ]
        if not concluded:
            return
        origin = data.draw(st.sampled_from(concluded))
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
                "agency": code,
                "ref": f"F{origin.ref}",
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
    histories.append((follow.id, received))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_histories_balance_and_stay_reproducible(
    engine: Engine, data: st.DataObject
) -> None:
    code = f"a{next(_AGENCIES)}"
    with unit_of_work(engine) as s:
        a = directory.ensure_agency(s, code, "测试机关")
        try:
            user = directory.user_by_name(s, "wang")  # the handler the payloads assign
        except NotFound:
            user = directory.add_user(s, "wang", "王经办")
        directory.grant(s, user, a, Role.CLERK)
    histories: list[tuple[int, date]] = []
    for n in range(data.draw(st.integers(1, 5))):
        received = date(2023, 1, 2) + timedelta(days=data.draw(st.integers(0, 1000)))
        kind = data.draw(st.sampled_from(COLUMNS[:-1]))
        with unit_of_work(engine) as s:
            case = perform(
                s,
                action="register",
                payload={
                    "agency": code,
                    "ref": f"R{n}",
                    "applicant": {"kind": kind, "name": "甲"},
                    "channel": "online",
                    "received_on": received.isoformat(),
                    "request": "x",
                },
                actor=Actor.replay(),
                today=END,
            ).case
        assert case.id is not None
        histories.append((case.id, received))

    def play(rounds: int) -> None:
        for i, (case_id, received) in enumerate(histories):
            on = received
            for _ in range(rounds):
                on = min(on + timedelta(days=data.draw(st.integers(0, 60))), END)
                random_step(engine, case_id, on, data)
            histories[i] = (case_id, on)

    play(data.draw(st.integers(1, 3)))
    if data.draw(st.booleans()):
        _order_a_reply_anew(engine, code, histories, data)
    frozen_at = utcnow()
    frozen = _tables(engine, code, frozen_at)
    play(data.draw(st.integers(1, 3)))  # later records, some back-dated into earlier years
    now = _tables(engine, code, utcnow())

    for tables in (frozen, now):
        for year, r in tables.items():
            t = r.requests
            for c in range(len(COLUMNS)):
                assert t.new[c] + t.carried_in[c] == t.concluded_total[c] + t.carried_out[c]
                assert t.concluded_total[c] == sum(t.outcomes[code_][c] for code_ in ROW_CODES)
            for row in (t.new, t.carried_in, t.concluded_total, t.carried_out):
                assert row[-1] == sum(row[:-1])
            if year + 1 in tables:
                assert t.carried_out == tables[year + 1].requests.carried_in
            for group in r.appeals.values():
                assert group["total"] == sum(
                    group[k] for k in ("upheld", "corrected", "other", "pending")
                )
    assert _tables(engine, code, frozen_at) == frozen  # nothing recorded after T changes it

    with Session(engine) as s:
        agency = directory.agency_by_code(s, code)
        cases = s.exec(select(Case).where(Case.agency_id == agency.id)).all()
    live = [c for c in cases if c.state != "void"]
    counted_new = sum(now[y].requests.new[-1] for y in YEARS)
    assert counted_new == sum(1 for c in live if c.received_on.year in YEARS)
