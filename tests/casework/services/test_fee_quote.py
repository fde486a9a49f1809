"""The fee quote for a case (国办函〔2020〕109号) on both backends: which requests count, in
which order, and the fee notice's check against the quote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work
from casework.errors import ActionError, Invalid
from casework.models import Case
from casework.services.directory import agency_by_code, merge_agency
from casework.services.fee_quote import quote_fee
from tests.casework.services.applicants import register_for
from tests.casework.services.helpers import act, agency

# the same person as typed on ten different letters
SPELLINGS = [
    ("张三", "11010119900307001X"),
    ("张 三", "11010119900307001x"),
    ("张　三", "１１０１０１１９９００３０７００１Ｘ"),
    ("张三", "110101-19900307-001X"),
    ("张三 ", "110101 19900307 001x"),
]


def _quote(engine: Engine, case: Case, basis: str = "per_item", **kw: int) -> Decimal:
    with Session(engine) as s:
        return quote_fee(s, s.get_one(Case, case.id), basis, **kw).fee.amount


def test_the_eleventh_request_of_a_month_costs_100_however_the_applicant_is_spelled(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        cases = [
            register_for(s, f"A{n:02d}", f"2026-11-{n + 1:02d}",
                         name=SPELLINGS[n % 5][0], id_number=SPELLINGS[n % 5][1])
            for n in range(1, 12)
        ]  # fmt: skip
    assert _quote(engine, cases[9]) == Decimal("0.00")  # the 10th
    with Session(engine) as s:
        quote = quote_fee(s, s.get_one(Case, cases[10].id), "per_item")
    assert quote.fee.amount == Decimal("100.00") and quote.first_position == 11
    assert [r.ref for r in quote.earlier] == [f"A{n:02d}" for n in range(1, 11)]
    assert quote.month == "2026-11"
    assert quote.lines == [
        "按件计收（国办函〔2020〕109号第四条）",
        "同一申请人2026年11月向本机关提出的申请中，本申请为第11件（此前10件）",
        "第11件：1件 × 100元 = 100元",
        "合计：100元",
    ]


def test_order_is_receipt_date_then_registration_and_later_requests_do_not_count(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n in range(9):
            register_for(s, f"A{n}", "2026-11-02")
        tenth = register_for(s, "T10", "2026-11-10")
        same_day_later = register_for(s, "T11", "2026-11-10")  # registered after T10
        back_dated = register_for(s, "T09", "2026-11-09")  # registered last, received earlier
        register_for(s, "LATE", "2026-11-20")
    with Session(engine) as s:
        assert quote_fee(s, s.get_one(Case, back_dated.id), "per_item").first_position == 10
        assert quote_fee(s, s.get_one(Case, tenth.id), "per_item").first_position == 11
        assert quote_fee(s, s.get_one(Case, same_day_later.id), "per_item").first_position == 12


def test_other_months_applicants_agencies_and_void_cases_do_not_count(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "other")
        for n in range(10):
            register_for(s, f"OCT{n}", "2026-10-30")  # last month
            register_for(s, f"LI{n}", "2026-11-02", name="李四", id_number=None)
            register_for(s, f"ELS{n}", "2026-11-02", code="other")  # another agency
            register_for(s, f"ID{n}", "2026-11-02", id_number="110101199003070028")
        for n in range(3):
            void = register_for(s, f"V{n}", "2026-11-02")
            act(s, void, "void", "2026-11-03", reason="重复登记")
        case = register_for(s, "NOV", "2026-11-05")
    with Session(engine) as s:
        quote = quote_fee(s, s.get_one(Case, case.id), "per_item")
    assert quote.first_position == 1 and quote.earlier == ()
    assert quote.fee.amount == Decimal("0.00")


def test_requests_to_an_agency_merged_into_this_one_count(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        agency(s, "old")
        for n in range(10):
            register_for(s, f"OLD{n}", "2026-11-02", code="old")
        merge_agency(s, agency_by_code(s, "old"), agency_by_code(s, "zhz"), date(2026, 11, 3))
        case = register_for(s, "NEW", "2026-11-05")
    with Session(engine) as s:
        quote = quote_fee(s, s.get_one(Case, case.id), "per_item")
    assert quote.first_position == 11 and quote.fee.amount == Decimal("100.00")
    assert {r.agency_code for r in quote.earlier} == {"old"}


def test_a_request_split_into_items_counts_each_item(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n in range(9):
            register_for(s, f"A{n}", "2026-11-02")
        case = register_for(s, "SPLIT", "2026-11-05")
    # items 10, 11, 12 of the month: one free, two at 100
    assert _quote(engine, case, items=3) == Decimal("200.00")
    with Session(engine) as s:
        quote = quote_fee(s, s.get_one(Case, case.id), "per_item", items=3)
    assert "本申请为第10–12件（本申请拆分计为3件）" in quote.summary


def test_an_earlier_request_counts_the_items_its_fee_notice_split_it_into(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        split = register_for(s, "SPLIT", "2026-11-02")
        volume = register_for(s, "VOL", "2026-11-02")  # a per-volume notice records no items
        plain = register_for(s, "PLAIN", "2026-11-03")
        case = register_for(s, "NEXT", "2026-11-05")
    with unit_of_work(engine) as s:
        act(s, split, "issue_fee_notice", "2026-11-04", amount="200", basis="per_item", items=12)
        act(s, volume, "issue_fee_notice", "2026-11-04", amount="1100", basis="per_volume",
            pages=120)  # fmt: skip
    with Session(engine) as s:
        quote = quote_fee(s, s.get_one(Case, case.id), "per_item")
        document = quote.as_json()
    # 12 + 1 + 1 earlier items: this request is the 15th, charged at 100
    assert quote.first_position == 15 and quote.fee.amount == Decimal("100.00")
    assert [(r.ref, r.items) for r in quote.earlier] == [("SPLIT", 12), ("VOL", 1), ("PLAIN", 1)]
    assert "本申请为第15件（此前14件）" in quote.summary
    assert [e["items"] for e in document["earlier"]] == [12, 1, 1]
    with Session(engine) as s:  # and the case after the split one only: the 14th
        assert quote_fee(s, s.get_one(Case, plain.id), "per_item").first_position == 14


def test_per_volume_counts_only_the_pages(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n in range(20):
            register_for(s, f"A{n}", "2026-11-02")
        case = register_for(s, "BIG", "2026-11-05")
    assert _quote(engine, case, "per_volume", pages=120) == Decimal("1100.00")
    assert _quote(engine, case, "per_volume", pages=30) == Decimal("0.00")


@pytest.mark.parametrize(
    ("basis", "kw", "field"),
    [
        ("per_volume", {}, "pages"),
        ("per_volume", {"pages": 10, "items": 2}, "items"),
        ("per_item", {"pages": 10}, "pages"),
        ("per_item", {"items": 0}, "items"),
        ("per_volume", {"pages": 0}, "pages"),
        ("by_weight", {}, "basis"),
    ],
)
def test_bad_input_names_the_field(
    engine: Engine, basis: str, kw: dict[str, int], field: str
) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register_for(s, "A", "2026-11-02")
    with Session(engine) as s, pytest.raises(Invalid) as refused:
        quote_fee(s, s.get_one(Case, case.id), basis, **kw)
    assert refused.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))


def test_a_fee_notice_keeps_the_quote_and_warns_only_when_the_amount_differs(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        for n in range(10):
            register_for(s, f"A{n}", "2026-11-02")
        eleventh = register_for(s, "E", "2026-11-03")
        reduced = register_for(s, "R", "2026-11-03")  # the 12th
        volume = register_for(s, "V", "2026-11-03", name="李四", id_number=None)
        unpaged = register_for(s, "U", "2026-11-03", name="王五", id_number=None)
    with unit_of_work(engine) as s:
        right = act(s, eleventh, "issue_fee_notice", "2026-11-10", amount="100", basis="per_item")
        waived = act(s, reduced, "issue_fee_notice", "2026-11-10", amount="50", basis="per_item")
        pages = act(s, volume, "issue_fee_notice", "2026-11-10", amount="1100.00",
                    basis="per_volume", pages=120)  # fmt: skip
        blind = act(s, unpaged, "issue_fee_notice", "2026-11-10", amount="20", basis="per_volume")
    assert right.warnings == () and right.event.payload["quoted_amount"] == "100.00"
    assert right.event.payload["quoted_position"] == 11
    assert waived.event.payload["quoted_amount"] == "100.00"
    assert waived.warnings == (
        "收费金额 50 元与按标准试算的 100 元不一致（少 50 元）；如属减免或另有原因，请在收费通知中写明",
    )
    assert pages.warnings == () and pages.event.payload["pages"] == 120
    assert "quoted_amount" not in blind.event.payload
    assert blind.warnings and "页数" in blind.warnings[0]
    assert waived.case.state == "fee_pending"  # recorded, not refused


def test_a_fee_notice_for_per_item_with_pages_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        agency(s)
        case = register_for(s, "A", "2026-11-02")
    with pytest.raises(ActionError, match="pages"), unit_of_work(engine) as s:
        act(s, case, "issue_fee_notice", "2026-11-10", amount="100", basis="per_item", pages=3)
