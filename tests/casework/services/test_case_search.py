"""The work queue's reading of the case search (casework.services.case_search) on both
backends: urgency order a page at a time, the total for the pager, the handlers to filter by."""

from __future__ import annotations

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from casework.db import unit_of_work
from casework.models import Case
from casework.services.case_search import CaseFilter, count_cases, handlers_of, search_cases
from casework.services.directory import add_user, agency_by_code, grant
from tests.casework.services.helpers import TODAY, act, agency, register
from workflows.roles import Role

OPEN = CaseFilter(open_only=True)


def _ids(engine: Engine, *codes: str) -> list[int]:
    with Session(engine) as s:
        return [agency_by_code(s, c).id or 0 for c in codes]


def test_urgency_puts_the_soonest_due_first_and_no_due_last(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for ref, received in [("LATER", "2026-11-20"), ("NONE", "2026-11-02"),
                              ("LATE", "2026-10-09"), ("SOON", "2026-10-30"),
                              ("SAME_DAY_B", "2026-11-04"), ("SAME_DAY_A", "2026-11-04")]:  # fmt: skip
            register(s, ref, received)
        # a case without a running deadline (its next due day unknown) comes last
        s.execute(update(Case).where(col(Case.ref) == "NONE").values(next_due=None))
    ids = _ids(engine, "zhz")
    with Session(engine) as s:
        found = search_cases(s, ids, OPEN, TODAY, order="urgency", limit=10)
        newest = search_cases(s, ids, OPEN, TODAY, limit=10)
    assert [f.case.ref for f in found] == ["LATE", "SOON", "SAME_DAY_B", "SAME_DAY_A", "LATER",
                                           "NONE"]  # fmt: skip
    assert [f.case.ref for f in newest][:2] == ["SAME_DAY_A", "SAME_DAY_B"]  # newest first


def test_urgency_pages_by_offset_and_the_count_is_the_whole(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n in range(7):
            register(s, f"R{n}", f"2026-11-{n + 2:02d}")
        closed = register(s, "CLOSED", "2026-10-09")
        act(s, closed, "withdraw", "2026-10-12")
    ids = _ids(engine, "zhz")
    with Session(engine) as s:
        pages = [
            [
                f.case.ref
                for f in search_cases(s, ids, OPEN, TODAY, order="urgency", offset=start, limit=3)
            ]
            for start in (0, 3, 6)
        ]
        assert count_cases(s, ids, OPEN, TODAY) == 7
        assert count_cases(s, ids, CaseFilter(), TODAY) == 8
        assert count_cases(s, ids, CaseFilter(text="R3"), TODAY) == 1
        assert count_cases(s, [], OPEN, TODAY) == 0
    assert pages == [["R0", "R1", "R2"], ["R3", "R4", "R5"], ["R6"]]


def test_the_handlers_are_those_of_the_agencies_cases(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "other")
        for username, code in [("wang", "zhz"), ("li", "zhz"), ("zhao", "other")]:
            user = add_user(s, username, username.title())
            grant(s, user, agency_by_code(s, code), Role.CLERK)
        add_user(s, "idle", "Idle")
        act(s, register(s, "A", "2026-11-02"), "assign", "2026-11-03", handler="wang")
        act(s, register(s, "B", "2026-11-02"), "assign", "2026-11-03", handler="li")
        act(s, register(s, "C", "2026-11-02"), "assign", "2026-11-03", handler="wang")
        register(s, "D", "2026-11-02")  # no handler yet
        act(s, register(s, "E", "2026-11-02", code="other"), "assign", "2026-11-03",
            handler="zhao")  # fmt: skip
    with Session(engine) as s:
        assert [u.username for u in handlers_of(s, _ids(engine, "zhz"))] == ["li", "wang"]
        assert handlers_of(s, []) == []
