"""Publishing freezes a year (DESIGN §3.6): the snapshot stays as published while the log grows,
re-renders byte for byte at its frozen instant, and only an approver publishes a year that
has ended; a correction is a new revision with a reason; the tables refuse changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import Forbidden, Invalid
from casework.models import ReportFile, ReportPublication
from casework.reports.document import build
from casework.reports.publish import files, publish, published, verify
from casework.reports.render import FORMATS, render_all
from casework.services import directory
from casework.statistics.figures import report
from casework.timeutil import utcnow
from tests.casework.reports.office import office, publish_now
from tests.casework.services.helpers import TODAY, act, register


def _count(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(ReportPublication)).one())


def test_a_later_backdated_conclusion_changes_the_report_but_not_the_publication(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=where.boss, outcome="disclosed")
    with Session(engine) as s:
        row = published(s, where.agency, 2025)
        now = report(s, where.agency, 2025, utcnow()).as_json()["requests"]["rows"]
        assert row is not None
        frozen = row.figures["requests"]["rows"]
        assert (frozen["carried_out"][-1], frozen["disclosed"][-1]) == (1, 0)
        assert (now["carried_out"][-1], now["disclosed"][-1]) == (0, 1)


def test_the_stored_files_equal_a_fresh_render_at_the_frozen_instant(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        done = publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=where.boss, outcome="disclosed")
    with Session(engine) as s:
        row = s.get_one(ReportPublication, done.publication.id)
        stored = {f.format: f.content for f in files(s, row)}
        fresh = render_all(build(s, where.agency, 2025, row.as_of))
    assert set(stored) == set(FORMATS)
    assert stored == fresh


def test_verify_accepts_the_stored_rows_and_rejects_changed_bytes(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        register(s, "2025-001", "2025-03-03")
        done = publish_now(s, where, 2025)
    with Session(engine) as s:
        row = s.get_one(ReportPublication, done.publication.id)
        stored = files(s, row)
        assert verify(row, stored)
        changed = [replace_content(stored[0], stored[0].content + b" "), *stored[1:]]
        assert not verify(row, changed)


def replace_content(row: ReportFile, content: bytes) -> ReportFile:
    return ReportFile(**(row.model_dump() | {"content": content}))


def test_the_published_figures_are_the_document_json(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        register(s, "2025-001", "2025-03-03")
        done = publish_now(s, where, 2025)
    with Session(engine) as s:
        row = s.get_one(ReportPublication, done.publication.id)
        assert row.figures == build(s, where.agency, 2025, row.as_of).as_json()
        assert row.figures["year"] == 2025 and row.revision == 1 and row.reason is None


def test_a_second_publication_needs_a_reason(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        publish_now(s, where, 2025)
    with pytest.raises(Invalid, match="更正理由"), unit_of_work(engine) as s:
        publish_now(s, where, 2025)
    assert _count(engine) == 1


def test_a_correction_is_a_new_revision_and_the_first_stays(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        publish_now(s, where, 2025, reason="更正：补录一件12月答复")
    with Session(engine) as s:
        latest = published(s, where.agency, 2025)
        first = published(s, where.agency, 2025, revision=1)
        assert latest is not None and first is not None
        assert (latest.revision, latest.reason) == (2, "更正：补录一件12月答复")
        assert first.revision == 1 and verify(first, files(s, first))


def test_a_correction_may_not_freeze_an_earlier_instant(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        first = publish_now(s, where, 2025).publication
    earlier = first.as_of - timedelta(seconds=1)
    with pytest.raises(Invalid, match="不能早于第1版"), unit_of_work(engine) as s:
        publish_now(s, where, 2025, reason="更正", as_of=earlier)


def test_a_year_that_has_not_ended_cannot_be_published(engine: Engine) -> None:
    with pytest.raises(Invalid, match="2026年度尚未结束"), unit_of_work(engine) as s:
        where = office(s, years=(2026,))
        publish_now(s, where, 2026)
    assert _count(engine) == 0


def test_the_frozen_instant_may_not_be_in_the_future(engine: Engine) -> None:
    with pytest.raises(Invalid, match="不能晚于现在"), unit_of_work(engine) as s:
        where = office(s)
        publish_now(s, where, 2025, as_of=utcnow() + timedelta(minutes=5))
    assert _count(engine) == 0


def test_a_clerk_may_not_publish(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
    with pytest.raises(Forbidden, match="负责人"), unit_of_work(engine) as s:
        publish(s, where.agency, 2025, where.clerk, utcnow())
    assert _count(engine) == 0


def test_an_approver_of_another_agency_may_not_publish(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        elsewhere = office(s, "other")
    with pytest.raises(Forbidden, match="负责人"), unit_of_work(engine) as s:
        outsider = directory.actor_for(s, elsewhere.boss.name, where.agency, TODAY)
        publish(s, where.agency, 2025, outsider, utcnow())
    assert _count(engine) == 0


def test_unedited_starter_text_is_refused_without_the_flag(engine: Engine) -> None:
    with pytest.raises(Invalid, match="allow-starter-text"), unit_of_work(engine) as s:
        where = office(s, years=())
        publish_now(s, where, 2025)
    assert _count(engine) == 0


def test_unedited_starter_text_is_published_with_a_warning_when_allowed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s, years=())
        done = publish(s, where.agency, 2025, where.boss, utcnow(), allow_starter_text=True)
    assert any("系统草稿" in w for w in done.warnings), done.warnings
    assert done.publication.figures["narratives"]["revision"] == 0


def test_table_two_never_entered_is_published_with_a_warning(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        done = publish_now(s, where, 2025)
    assert any("第二部分" in w for w in done.warnings), done.warnings


@pytest.mark.parametrize("table", ["report_publication", "report_file"])
def test_the_publication_tables_are_append_only(engine: Engine, table: str) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        publish_now(s, where, 2025)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with Session(engine) as s:
        row = published(s, where.agency, 2025)
        assert row is not None and len(files(s, row)) == len(FORMATS)
