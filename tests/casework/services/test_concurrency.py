"""Concurrent edits of one case are detected, never merged (DESIGN §2.7)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError, CaseworkError, Conflict
from casework.models import Case, CaseEvent
from tests.casework.services.helpers import act, agency, register


def _race(engine: Engine, work: Callable[[Session], object], n: int = 2) -> list[object]:
    """Run `work` in n threads, each in its own unit of work, started together."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def runner(i: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as session:
                results[i] = work(session)
        except CaseworkError as error:
            results[i] = error

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _setup(engine: Engine) -> Case:
    with unit_of_work(engine) as s:
        agency(s)
        return register(s, "A", "2025-09-01")


def test_stale_writer_gets_a_conflict(engine: Engine) -> None:
    case = _setup(engine)
    results = _race(
        engine,
        lambda s: act(s, case, "reply", "2025-09-05", expected_version=1, outcome="disclosed"),
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    successes = [r for r in results if not isinstance(r, CaseworkError)]
    assert len(successes) == 1 and len(conflicts) == 1
    with Session(engine) as s:
        assert s.exec(select(Case)).one().version == 2
        assert len(s.exec(select(CaseEvent)).all()) == 2


def test_concurrent_replies_without_version_are_not_merged(engine: Engine) -> None:
    case = _setup(engine)
    results = _race(engine, lambda s: act(s, case, "reply", "2025-09-05", outcome="disclosed"), n=3)
    refused = [r for r in results if isinstance(r, ActionError)]
    assert len(refused) == 2  # the case was no longer open for them
    with Session(engine) as s:
        seqs = s.exec(select(CaseEvent.seq).order_by(col(CaseEvent.seq))).all()
    assert list(seqs) == [1, 2]
