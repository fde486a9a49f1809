"""Section 六's information-processing-fee statement from the fee events: notices by the
notice's year, payments by the payment's year, exact amounts, void cases nowhere, and the
requests closed because the fee was not paid (table 三 row （六）2)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.reports.document import fee_statement
from casework.services.directory import agency_by_code
from casework.services.timers import run_due
from casework.statistics.figures import Report, report
from casework.timeutil import utcnow
from tests.casework.services.helpers import TODAY, act, agency, register
from workflows.outcomes import FEE_NOT_PAID


def _figures(engine: Engine, year: int) -> Report:
    with Session(engine) as s:
        return report(s, agency_by_code(s, "zhz"), year, utcnow())


def _paid_next_year(engine: Engine) -> None:
    """A notice of 300.50 issued in December 2025, paid in January 2026."""
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-12-01")
        act(s, case, "issue_fee_notice", "2025-12-15", amount="300.50", basis="per_item")
        act(s, case, "receive_payment", "2026-01-06")


def test_a_notice_counts_in_its_year_and_its_payment_in_the_payments(engine: Engine) -> None:
    _paid_next_year(engine)
    assert _figures(engine, 2025).fees == {
        "notices": 1,
        "amount_notified_yuan": "300.50",
        "payments": 0,
        "amount_collected_yuan": "0.00",
    }
    assert _figures(engine, 2026).fees == {
        "notices": 0,
        "amount_notified_yuan": "0.00",
        "payments": 1,
        "amount_collected_yuan": "300.50",
    }


def test_a_year_that_only_collected_last_years_fee_says_what_it_collected(engine: Engine) -> None:
    _paid_next_year(engine)
    text = fee_statement(_figures(engine, 2026))
    assert "未出现" not in text
    assert "2026年发出收费通知0件" in text and "实际收取信息处理费300.50元（1件）" in text


def test_amounts_add_up_exactly_to_the_fen(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for ref, amount in (("A", "0.10"), ("B", "0.20"), ("C", "100")):
            case = register(s, ref, "2026-03-02")
            act(s, case, "issue_fee_notice", "2026-03-05", amount=amount, basis="per_volume")
    fees = _figures(engine, 2026).fees
    assert fees["notices"] == 3 and fees["amount_notified_yuan"] == "100.30"
    assert "通知收取信息处理费100.30元" in fee_statement(_figures(engine, 2026))


def test_a_void_cases_notice_counts_nowhere(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2026-03-02")
        act(s, case, "issue_fee_notice", "2026-03-05", amount="100", basis="per_item")
        act(s, case, "void", "2026-03-09", reason="重复登记")
    figures = _figures(engine, 2026)
    assert figures.fees["notices"] == 0
    assert "未出现" in fee_statement(figures)


def test_the_statement_counts_the_requests_closed_for_an_unpaid_fee(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register(s, "A", "2025-09-01")
        act(s, case, "issue_fee_notice", "2025-09-05", amount=200, basis="per_item")
    with unit_of_work(engine) as s:
        run_due(s, TODAY, TODAY)  # the 20 working days ran out in October 2025
    figures = _figures(engine, 2025)
    assert figures.requests.outcomes[FEE_NOT_PAID][-1] == 1
    text = fee_statement(figures)
    assert "发出收费通知1件，通知收取信息处理费200元；实际收取信息处理费0元（0件）" in text
    assert "不再处理的政府信息公开申请1件" in text


def test_a_year_without_any_fee_says_none_was_charged(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        register(s, "A", "2026-03-02")
    text = fee_statement(_figures(engine, 2026))
    assert text == (
        "依据《政府信息公开信息处理费管理办法》，2026年未出现因申请人申请公开政府信息超出一定数量"
        "或者频次范围而收取信息处理费的情况。"
    )
