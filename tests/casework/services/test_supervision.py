"""督办 (DESIGN §1): a district office's clerk or approver supervises an open case below it; a
record of its own (not a case event), its own notification to the case's handler and the
agency's clerks and approvers, once per double submit; append-only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import Forbidden, Invalid
from casework.models import Alert, Case, CaseEvent, Supervision
from casework.services.access import scope_of
from casework.services.directory import (
    actor_for,
    add_user,
    agency_by_code,
    ensure_agency,
    grant,
    user_by_name,
)
from casework.services.supervision import (
    Supervised,
    office_for,
    supervise,
    supervisions_of,
    tallies,
)
from tests.casework.services.alerting import inbox_of, people
from tests.casework.services.helpers import TODAY, act, register
from workflows.roles import Role


def _case(session: Session) -> Case:
    people(session)
    user = add_user(session, "qian", "钱查看")
    grant(session, user, agency_by_code(session, "qu"), Role.AUDITOR)
    case = register(session, "R1", "2026-10-20")
    return case


def _as(
    session: Session,
    username: str,
    case: Case,
    note: str = "请尽快答复",
    due_by: date | None = None,
) -> Supervised:
    user = user_by_name(session, username)
    office = office_for(session, scope_of(session, user, TODAY), case)
    actor = actor_for(session, username, office.agency, TODAY)
    return supervise(session, case, office, actor, note, due_by, today=TODAY)


def test_supervising_records_it_and_tells_the_agency_not_the_case_log(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        version = case.version
        done = _as(s, "zhao", case, due_by=date(2026, 12, 1))
        assert done.created and done.notified == 2  # li (clerk, no handler yet) and wang
    with Session(engine) as s:
        row = s.exec(select(Supervision)).one()
        assert (row.note, row.due_by) == ("请尽快答复", date(2026, 12, 1))
        assert s.get(Case, row.case_id).version == version  # type: ignore[union-attr]
        assert [e.action for e in s.exec(select(CaseEvent))] == ["register"]
        for who in ("li", "wang"):
            (alert,) = inbox_of(s, who)
            assert alert.kind == "supervision" and "某区政务公开办督办" in alert.subject
            assert "请尽快答复" in alert.body and "2026-12-01" in alert.body
        assert inbox_of(s, "zhao") == []
        (view,) = supervisions_of(s, s.get(Case, row.case_id))  # type: ignore[arg-type]
        assert (view.office, view.by_name, view.ref) == ("qu", "赵主任", "R1")


def test_the_handler_is_told_too(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        other = add_user(s, "sun", "孙经办")
        grant(s, other, agency_by_code(s, "qu"), Role.CLERK)  # an office clerk handles nothing
        act(s, case, "assign", "2026-10-21", handler="li")
        assert _as(s, "sun", case).notified == 2
    with Session(engine) as s:
        assert len(inbox_of(s, "li")) == 1 and len(inbox_of(s, "wang")) == 1


def test_a_double_submit_is_one_supervision_and_one_notification(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        first = _as(s, "zhao", case)
        again = _as(s, "zhao", case)
        assert (first.created, again.created, again.notified) == (True, False, 0)
        assert again.supervision.id == first.supervision.id
        assert _as(s, "zhao", case, note="另一条意见").created  # a different note is another
    with Session(engine) as s:
        assert len(s.exec(select(Supervision)).all()) == 2
        assert len(inbox_of(s, "li")) == 2
        assert tallies(s, [case.id or 0])[case.id or 0].count == 2


def test_only_an_office_above_the_case_may_supervise(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        for who in ("li", "wang", "qian"):  # the agency itself; the office's auditor
            with pytest.raises(Forbidden):
                office_for(s, scope_of(s, user_by_name(s, who), TODAY), case)
        # an office elsewhere, handed to supervise() directly
        ensure_agency(s, "elsewhere", "另一区政务公开办").supervises_subtree = True
        zhao = user_by_name(s, "zhao")
        grant(s, zhao, agency_by_code(s, "elsewhere"), Role.APPROVER)
        scope = scope_of(s, zhao, TODAY)
        (wrong,) = [a for a in scope.agencies.values() if a.agency.code == "elsewhere"]
        with pytest.raises(Forbidden):
            supervise(s, case, wrong, actor_for(s, "zhao", wrong.agency, TODAY), "x", None,
                      today=TODAY)  # fmt: skip
        assert s.exec(select(Supervision)).all() == []


@pytest.mark.parametrize(
    ("note", "due_by", "field"),
    [("  ", None, "note"), ("x" * 1001, None, "note"), ("请办理", date(2026, 11, 25), "due_by")],
)
def test_a_note_is_required_and_the_due_day_not_past(
    engine: Engine, note: str, due_by: date | None, field: str
) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        with pytest.raises(Invalid) as refused:
            _as(s, "zhao", case, note=note, due_by=due_by)
        assert refused.value.field == field


def test_a_concluded_case_is_not_supervised(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        case = _case(s)
        act(s, case, "reply", "2026-11-02", outcome="disclosed")
        with pytest.raises(Invalid, match="无需督办"):
            _as(s, "zhao", case)
        assert s.exec(select(Alert).where(col(Alert.kind) == "supervision")).all() == []


def test_supervisions_are_append_only(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        _as(s, "zhao", _case(s))
    for statement in ("UPDATE supervision SET note = 'x'", "DELETE FROM supervision"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
