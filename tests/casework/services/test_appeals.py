"""Appeals: answer deadlines, and table 四 by year, role and as-of instant."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.services import appeals
from casework.services.directory import agency_by_code
from casework.statistics.figures import report
from casework.timeutil import utcnow
from tests.casework.services.helpers import TODAY, agency


def _add(s: Session, kind: str, filed: str, **kw: object) -> appeals.Appeal:
    return appeals.add_appeal(
        s,
        agency_by_code(s, "zhz"),
        kind,
        date.fromisoformat(filed),
        "t",
        TODAY,
        **kw,  # type: ignore[arg-type]
    )


def test_answer_deadlines_are_10_and_15_calendar_days(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        review = _add(s, "reconsideration", "2025-09-26", received_on=date(2025, 9, 29))
        suit = _add(s, "litigation_direct", "2025-09-26")
    assert review.answer_due == date(2025, 10, 9) and review.role == "respondent"
    assert suit.answer_due == date(2025, 10, 11) and suit.role == "defendant"


def test_table_four_counts_by_decision_year_and_pending_at_year_end(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        a = _add(s, "reconsideration", "2024-03-01")
        appeals.decide(s, a, "upheld", date(2024, 5, 1), "t", TODAY)
        b = _add(s, "reconsideration", "2024-11-20")
        appeals.decide(s, b, "corrected", date(2025, 2, 1), "t", TODAY)
        _add(s, "litigation_after_reconsideration", "2025-06-01")
        _add(s, "litigation_direct", "2025-06-01", role="co_defendant_review_body")
    with Session(engine) as s:
        zhz = agency_by_code(s, "zhz")
        y2024 = report(s, zhz, 2024, utcnow()).appeals
        y2025 = report(s, zhz, 2025, utcnow()).appeals
    assert y2024["reconsideration"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    assert y2025["reconsideration"] == {
        "upheld": 0,
        "corrected": 1,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert y2025["litigation_after_reconsideration"]["pending"] == 1
    assert y2025["litigation_direct"]["total"] == 0  # only a co-defendant review body


def test_a_decision_recorded_after_the_as_of_instant_is_still_pending(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        a = _add(s, "reconsideration", "2024-03-01")
    frozen = utcnow()
    with unit_of_work(engine) as s:
        appeals.decide(s, appeals.appeal_by_id(s, a.id or 0), "other", date(2024, 5, 1), "t", TODAY)
    with Session(engine) as s:
        zhz = agency_by_code(s, "zhz")
        assert report(s, zhz, 2024, frozen).appeals["reconsideration"]["pending"] == 1
        assert report(s, zhz, 2024, utcnow()).appeals["reconsideration"]["other"] == 1


def test_bad_appeal_input_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        a = _add(s, "reconsideration", "2025-03-01")
    for bad in (
        lambda s: _add(s, "complaint", "2025-03-01"),
        lambda s: _add(s, "reconsideration", "2027-01-01"),
        lambda s: appeals.decide(
            s, appeals.appeal_by_id(s, a.id or 0), "won", date(2025, 4, 1), "t", TODAY
        ),
        lambda s: appeals.decide(
            s, appeals.appeal_by_id(s, a.id or 0), "upheld", date(2025, 2, 1), "t", TODAY
        ),
    ):
        with pytest.raises(Invalid), unit_of_work(engine) as s:
            bad(s)


def test_appeal_log_is_append_only(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        _add(s, "reconsideration", "2025-03-01")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM appeal_event"))


def _follow_up_setup(engine: Engine, count: bool) -> int:
    from casework.services.perform import perform
    from tests.casework.services.helpers import REPLAY, act, register

    with unit_of_work(engine) as s:
        agency(s)
        zhz = agency_by_code(s, "zhz")
        zhz.count_follow_up_cases = count
        s.add(zhz)
        case = register(s, "A", "2024-03-01")
        act(s, case, "reply", "2024-03-20", outcome="unavailable.not_held")
        appeal = _add(s, "reconsideration", "2024-04-10", case=case)
        appeals.decide(s, appeal, "corrected", date(2024, 6, 3), "t", TODAY)
        done = perform(
            s,
            action="register",
            payload={
                "agency": "zhz",
                "ref": "A-重",
                "applicant": {"kind": "natural_person", "name": "张三"},
                "channel": "post",
                "received_on": "2024-06-05",
                "request": "重新答复",
                "follow_up_of": appeal.id,
            },
            actor=REPLAY,
            today=TODAY,
        )
        assert done.case.origin_case_id == case.id and done.case.origin_appeal_id == appeal.id
        return appeal.id or 0


def test_a_reply_ordered_anew_is_a_new_linked_case_counted_like_any(engine: Engine) -> None:
    _follow_up_setup(engine, count=True)
    with Session(engine) as s:
        t = report(s, agency_by_code(s, "zhz"), 2024, utcnow()).requests
    assert t.new[-1] == 2 and t.carried_out[-1] == 1  # the original, concluded, and the new one


def test_an_agency_may_leave_follow_up_cases_out(engine: Engine) -> None:
    _follow_up_setup(engine, count=False)
    with Session(engine) as s:
        t = report(s, agency_by_code(s, "zhz"), 2024, utcnow()).requests
    assert t.new[-1] == 1 and t.carried_out[-1] == 0


def test_only_a_corrected_decision_orders_a_follow_up(engine: Engine) -> None:
    from casework.errors import ActionError
    from casework.services.perform import perform
    from tests.casework.services.helpers import REPLAY

    with unit_of_work(engine) as s:
        agency(s)
        appeal = _add(s, "reconsideration", "2024-04-10")
        appeals.decide(s, appeal, "upheld", date(2024, 6, 3), "t", TODAY)
    with pytest.raises(ActionError, match="结果为纠正") as refused, unit_of_work(engine) as s:
        perform(
            s,
            action="register",
            payload={
                "agency": "zhz",
                "applicant": {"kind": "natural_person", "name": "张三"},
                "channel": "post",
                "received_on": "2024-06-05",
                "request": "x",
                "follow_up_of": appeal.id,
            },
            actor=REPLAY,
            today=TODAY,
        )
    # no case number was taken: the refusal names a new case, not a number never made
    assert refused.value.ref is None and str(refused.value).startswith("新案件")
