"""Drift (DESIGN §3.6) and back-dating into a published year (§2.5): a clerk is refused and
nothing is written; an approver's back-dated action, a late system expiry and a back-dated
appeal decision each show as drift with the event that causes it; the next year's carry-in
shows where it differs from what the previous year published."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, event, func
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import ActionError, Forbidden, NotFound
from casework.models import Agency, AppealEvent, CaseEvent
from casework.reports.backdating import refusal
from casework.reports.document import build
from casework.reports.drift import Cell, drift
from casework.services import appeals, directory, timers
from casework.timeutil import utcnow
from tests.casework.reports.office import office, on, publish_now
from tests.casework.services.helpers import TODAY, act, register

NP = "natural_person"


def _events(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(CaseEvent)).one())


def _cells(engine: Engine, code: str = "zhz") -> set[tuple[str, str, str, int | None]]:
    with Session(engine) as s:
        found = drift(s, directory.agency_by_code(s, code), 2025, utcnow())
    return {(c.table, c.row, c.column, c.delta) for c in found.cells}


def test_nothing_recorded_since_publishing_is_an_empty_drift(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    with Session(engine) as s:
        found = drift(s, where.agency, 2025, utcnow())
    assert found.empty and found.as_json()["empty"] is True


def test_drift_of_a_year_not_published_is_not_found(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
    with pytest.raises(NotFound, match="尚未公布"), Session(engine) as s:
        drift(s, where.agency, 2025, utcnow())


def test_an_approvers_backdated_reply_is_drift_with_exactly_its_cells(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=where.boss, outcome="disclosed")
    assert _cells(engine) == {
        (table, row, column, delta)
        for table, row, delta in (
            ("requests", "disclosed", 1),
            ("requests", "concluded_total", 1),
            ("requests", "carried_out", -1),
        )
        for column in (NP, "total")
    }


def test_an_approvers_backdated_reply_is_listed_as_the_cause(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=where.boss, outcome="disclosed")
    with Session(engine) as s:
        found = drift(s, where.agency, 2025, utcnow())
    [cause] = found.causes
    assert (cause.kind, cause.ref, cause.column, cause.action) == ("case", "2025-001", NP, "reply")
    assert (cause.effective_on, cause.actor) == (date(2025, 12, 30), where.boss.name)
    assert (cause.before, cause.after) == (("new", "carried_out"), ("new", "disclosed"))


def test_a_clerks_backdated_action_into_a_published_year_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    before = _events(engine)
    refused = r"2025年度报告已于.*公布；生效日期在该年度的办理须由负责人办理"
    with pytest.raises(ActionError, match=refused), unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=where.clerk, outcome="disclosed")
    assert _events(engine) == before
    assert _cells(engine) == set()


def test_a_clerks_backdated_registration_into_a_published_year_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        publish_now(s, where, 2025)
    with pytest.raises(ActionError, match="2025年度报告已于"), unit_of_work(engine) as s:
        register(s, "2025-009", "2025-12-29", actor=where.clerk)
    assert _events(engine) == 0


def test_a_clerk_acting_today_on_a_case_of_a_published_year_changes_nothing_published(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        act(s, case, "reply", TODAY.isoformat(), actor=where.clerk, outcome="disclosed")
    assert _cells(engine) == set()


def test_a_clerk_backdating_into_an_unpublished_year_is_not_asked_for_an_approver(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-03-03")
        publish_now(s, where, 2024)  # an earlier year: 2025 is open
    with unit_of_work(engine) as s:
        done = act(s, case, "reply", "2025-12-30", actor=where.clerk, outcome="disclosed")
    assert done.event.effective_on == date(2025, 12, 30)


def test_a_system_expiry_into_a_published_year_is_applied_and_shown_as_drift(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2025-001", "2025-10-09")
        act(s, case, "request_correction", "2025-10-10", period_wd=10)
        publish_now(s, where, 2025)  # the timers had not run: the case stood open
    with unit_of_work(engine) as s:
        run = timers.run_due(s, TODAY, TODAY)
    assert [name for _, name, _ in run.fired] == ["correction_deadline_passed"]
    with Session(engine) as s:
        [cause] = drift(s, where.agency, 2025, utcnow()).causes
    assert (cause.action, cause.actor) == ("correction_deadline_passed", "系统")
    assert cause.effective_on is not None and cause.effective_on.year == 2025
    assert cause.after == ("new", "other.correction_not_submitted")


def test_a_clerks_backdated_appeal_decision_into_a_published_year_is_refused(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        appeal = appeals.add_appeal(
            s, where.agency, "reconsideration", on("2025-05-06"), "t", TODAY
        )
        publish_now(s, where, 2025)
    with pytest.raises(Forbidden, match="2025年度报告已于"), unit_of_work(engine) as s:
        found = appeals.appeal_by_id(s, appeal.id or 0)
        appeals.decide(s, found, "upheld", on("2025-12-01"), where.clerk, TODAY)
    with Session(engine) as s:
        assert len(s.exec(select(AppealEvent)).all()) == 1


def test_an_approvers_backdated_appeal_decision_is_drift(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        appeal = appeals.add_appeal(
            s, where.agency, "reconsideration", on("2025-05-06"), "t", TODAY
        )
        publish_now(s, where, 2025)
    with unit_of_work(engine) as s:
        found = appeals.appeal_by_id(s, appeal.id or 0)
        appeals.decide(s, found, "upheld", on("2025-12-01"), where.boss, TODAY)
    with Session(engine) as s:
        result = drift(s, where.agency, 2025, utcnow())
    changed = {(c.row, c.column, c.delta) for c in result.cells}
    assert changed == {("reconsideration", "pending", -1), ("reconsideration", "upheld", 1)}
    [cause] = result.causes
    assert (cause.kind, cause.action, cause.actor) == ("appeal", "decided", where.boss.name)
    assert (cause.before, cause.after) == (
        ("reconsideration", "pending"),
        ("reconsideration", "upheld"),
    )


def test_a_case_of_a_merged_agency_is_guarded_by_the_report_it_counts_in(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        old = office(s, "old")
        case = register(s, "2025-001", "2025-03-03", code="old")
        old.agency.merged_into_id, old.agency.active = where.agency.id, False
        s.add(old.agency)
        publish_now(s, where, 2025)  # zhz's report counts old's cases
    with pytest.raises(ActionError, match="2025年度报告已于"), unit_of_work(engine) as s:
        act(s, case, "reply", "2025-12-30", actor=old.clerk, outcome="disclosed")


def test_the_check_reads_nothing_for_this_year_and_one_row_for_a_past_year(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with Session(engine) as s:
        agency = s.get_one(Agency, where.agency.id)  # loaded already, as in perform
        assert agency.merged_into_id is None
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert refusal(s, where.agency.id or 0, TODAY, where.clerk, TODAY) is None
            assert statements == []
            assert refusal(s, where.agency.id or 0, on("2025-12-30"), where.clerk, TODAY) is None
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "report_publication" in statements[0]


def test_the_carry_in_difference_lists_a_case_concluded_backdated_after_publishing(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2024-001", "2024-10-08")
        publish_now(s, where, 2024)  # 四: carried over into 2025
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2024-12-20", actor=where.boss, outcome="disclosed")
    with Session(engine) as s:
        document = build(s, where.agency, 2025, utcnow())
    difference = document.carry_in_difference
    assert difference is not None
    assert (difference.previous_year, difference.revision) == (2024, 1)
    assert (difference.published[-1], difference.carried_in[-1]) == (1, 0)
    [listed] = difference.cases
    assert (listed.ref, listed.published, listed.counted) == ("2024-001", True, False)
    assert listed.because == (("reply", date(2024, 12, 20)),)
    assert document.as_json()["carry_in_difference"]["cases"][0]["ref"] == "2024-001"


def test_publishing_the_next_year_warns_of_the_carry_in_difference_and_keeps_it(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2024-001", "2024-10-08")
        publish_now(s, where, 2024)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2024-12-20", actor=where.boss, outcome="disclosed")
    with unit_of_work(engine) as s:
        done = publish_now(s, where, 2025)
    assert any("2024年度报告公布的“结转下年度继续办理”不一致" in w for w in done.warnings)
    kept = done.publication.figures["carry_in_difference"]
    assert (kept["published_carried_out"][-1], kept["carried_in"][-1]) == (1, 0)


def test_no_carry_in_difference_where_the_next_year_agrees(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        where = office(s)
        case = register(s, "2024-001", "2024-10-08")
        publish_now(s, where, 2024)
    with unit_of_work(engine) as s:
        act(s, case, "reply", "2025-01-20", actor=where.clerk, outcome="disclosed")
    with Session(engine) as s:
        document = build(s, where.agency, 2025, utcnow())
    assert document.carry_in_difference is None
    assert "carry_in_difference" not in document.as_json()


def test_drift_cells_name_their_values() -> None:
    cell = Cell("requests", "new", NP, 3, 1)
    assert cell.delta == -2 and cell.as_json()["delta"] == -2
    assert Cell("fees", "amount_notified_yuan", "", "0.00", "30.00").delta is None
