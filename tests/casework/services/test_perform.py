"""The one door: events, projection, version checks, the append-only log, all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from casework.db import unit_of_work
from casework.errors import ActionError, Conflict
from casework.models import Applicant, Case, CaseEvent
from tests.casework.services.helpers import act, agency, register


def test_register_writes_case_event_and_projection(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "2025-001", "2025-09-26")
    with Session(engine) as s:
        row = s.exec(select(Case)).one()
        events = s.exec(select(CaseEvent)).all()
        assert row.state == "received" and row.version == 1
        assert row.reply_due == date(2025, 10, 30)  # DESIGN §3.2: Fri 2025-09-26 + 20 WD
        assert [e.action for e in events] == ["register"]
        assert events[0].seq == 1 and events[0].effective_on == date(2025, 9, 26)
        assert events[0].recorded_at.tzinfo is not None
        # personal data stays on the applicant row; the event only references it
        assert "张三" not in str(events[0].payload)
        assert s.get(Applicant, events[0].payload["applicant_id"]).name == "张三"
    assert case.ref == "2025-001"


def test_each_action_bumps_version_and_appends_gapless_seq(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        act(s, case, "start_consultation", "2025-09-10", party="某公司")
        act(s, case, "receive_opinion", "2025-09-24", opinion="objection")
        done = act(s, case, "reply", "2025-10-10", outcome="withheld.third_party_rights")
    assert done.case.version == 4
    assert done.case.reply_due is None and done.case.outcome == "withheld.third_party_rights"
    assert done.case.concluded_on == date(2025, 10, 10)
    with Session(engine) as s:
        seqs = s.exec(select(CaseEvent.seq).order_by(col(CaseEvent.seq))).all()
    assert list(seqs) == [1, 2, 3, 4]


def test_stale_version_is_a_conflict_and_writes_nothing(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(Conflict, match="已被他人更新"), unit_of_work(engine) as s:
        act(s, case, "reply", "2025-09-05", expected_version=0, outcome="disclosed")
    with Session(engine) as s:
        assert s.exec(select(CaseEvent)).all().__len__() == 1
        assert s.exec(select(Case)).one().version == 1


def test_matching_version_is_accepted(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with unit_of_work(engine) as s:
        done = act(s, case, "reply", "2025-09-05", expected_version=1, outcome="disclosed")
    assert done.case.version == 2 and done.case.state == "disclosed"


def test_refused_action_names_case_and_action_and_writes_nothing(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "2025-007", "2025-09-01")
    with pytest.raises(ActionError) as info, unit_of_work(engine) as s:
        act(s, case, "receive_payment", "2025-09-05")
    assert "2025-007" in str(info.value) and "receive_payment" in str(info.value)
    with Session(engine) as s:
        assert len(s.exec(select(CaseEvent)).all()) == 1


def test_event_log_is_append_only_in_the_database(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2025-09-01")
    for statement in (
        "UPDATE case_event SET action = 'void'",
        "DELETE FROM case_event",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with Session(engine) as s:
        assert s.exec(select(CaseEvent)).one().action == "register"


def test_duplicate_seq_is_rejected_by_the_database(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(IntegrityError), unit_of_work(engine) as s:
        s.add(
            CaseEvent(
                case_id=case.id or 0,
                seq=1,
                action="assign",
                to_state="received",
                effective_on=date(2025, 9, 2),
                actor_kind="user",
                actor_name="x",
                payload={},
                payload_schema=1,
                workflow_version=1,
            )
        )
        s.flush()


def test_duplicate_ref_in_agency_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="已有案号"), unit_of_work(engine) as s:
        register(s, "A", "2025-09-02")


def test_register_on_an_existing_case_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="不能重复登记"), unit_of_work(engine) as s:
        act(s, case, "register", "2025-09-02")
    with Session(engine) as s:
        assert len(s.exec(select(Case)).all()) == 1


def test_blank_text_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="reason：不能为空"), unit_of_work(engine) as s:
        act(s, case, "extend", "2025-09-05", days_wd=5, reason="   ")


def test_padded_ref_is_the_same_ref(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="已有案号为“A”"), unit_of_work(engine) as s:
        register(s, " A ", "2025-09-01")


@pytest.mark.parametrize("amount", ["inf", "NaN", "0.001", "-5", "1e20"])
def test_fee_amount_must_be_a_sum_of_money(engine: Engine, amount: str) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="amount"), unit_of_work(engine) as s:
        act(s, case, "issue_fee_notice", "2025-09-05", amount=amount, basis="per_item")


def test_fee_amount_is_stored_exactly(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        done = act(s, case, "issue_fee_notice", "2025-09-05", amount="300.50", basis="per_item")
    assert done.event.payload["amount"] == "300.50"


def test_correction_period_defaults_to_the_agencys(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-22")
        done = act(s, case, "request_correction", "2025-09-26")
    assert done.event.payload["period_wd"] == 15
    assert done.case.next_due == date(2025, 10, 23)


def test_handler_must_work_in_the_agency(engine: Engine) -> None:
    from casework.services import directory
    from workflows.roles import Role

    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "xyz")
        chen = directory.add_user(s, "chen", "陈")
        directory.grant(s, chen, directory.agency_by_code(s, "xyz"), Role.CLERK)
        case = register(s, "A", "2025-09-01")
    with pytest.raises(ActionError, match="不是本机关"), unit_of_work(engine) as s:
        act(s, case, "assign", "2025-09-02", handler="chen")
