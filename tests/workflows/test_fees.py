"""The fee arithmetic of 国办函〔2020〕109号: the bands at their boundaries, and properties over
any count (progressive, additive, monotone, every unit in exactly one band)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.fees import MAX_UNITS, FeeBasis, per_item_fee, per_item_rate, per_volume_fee

# The 109号 tables written out by hand, one rate per unit, as the oracle for the properties.
PAGE_TABLE = [(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, 10_000, 40)]

items = st.integers(min_value=1, max_value=200)
earlier = st.integers(min_value=0, max_value=200)
pages = st.integers(min_value=1, max_value=5_000)


def oracle_item_rate(unit: int) -> int:
    """Art. 4 read literally: free to 10, 100 to 30, then 100 more per started band of 10."""
    if unit <= 10:
        return 0
    if unit <= 30:
        return 100
    return 100 + 100 * math.ceil((unit - 30) / 10)


def oracle_rate(table: list[tuple[int, int, int]], unit: int) -> int:
    for first, last, rate in table:
        if first <= unit <= last:
            return rate
    raise AssertionError(unit)


@pytest.mark.parametrize(
    ("position", "rate"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300),
     (51, 400), (60, 400), (61, 500), (101, 900)],
)  # fmt: skip
def test_per_item_rate_at_the_band_boundaries(position: int, rate: int) -> None:
    assert per_item_rate(position) == Decimal(rate)


@pytest.mark.parametrize(
    ("count", "amount"),
    [(1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
     (250, 4700)],
)  # fmt: skip
def test_per_volume_amount_at_the_band_boundaries(count: int, amount: int) -> None:
    assert per_volume_fee(count).amount == Decimal(amount)


def test_a_month_of_45_items_in_one_request_is_charged_band_by_band() -> None:
    fee = per_item_fee(0, 45)
    assert [(b.first, b.last, b.rate) for b in fee.bands] == [
        (1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 45, 300)]  # fmt: skip
    assert fee.amount == Decimal(20 * 100 + 10 * 200 + 5 * 300)
    assert fee.lines == [
        "第1–10件：10件，免费",
        "第11–30件：20件 × 100元 = 2000元",
        "第31–40件：10件 × 200元 = 2000元",
        "第41–45件：5件 × 300元 = 1500元",
        "合计：5500元",
    ]


def test_the_eleventh_request_of_a_month_costs_100_and_says_so() -> None:
    fee = per_item_fee(10)
    assert fee.amount == Decimal("100.00") and fee.basis is FeeBasis.PER_ITEM
    assert fee.lines == ["第11件：1件 × 100元 = 100元", "合计：100元"]


def test_per_volume_lines_name_every_band_it_reaches() -> None:
    assert per_volume_fee(120).lines == [
        "第1–30页：30页，免费",
        "第31–100页：70页 × 10元 = 700元",
        "第101–120页：20页 × 20元 = 400元",
        "合计：1100元",
    ]


@pytest.mark.parametrize("bad", [0, -1, MAX_UNITS + 1])
def test_counts_outside_the_range_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="页数"):
        per_volume_fee(bad)
    with pytest.raises(ValueError, match="件"):
        per_item_fee(0, bad)


@given(earlier, items)
def test_per_item_bands_sum_to_the_amount_and_each_unit_has_the_table_rate(
    before: int, count: int
) -> None:
    fee = per_item_fee(before, count)
    assert fee.units == count
    assert fee.amount == sum(b.rate * b.count for b in fee.bands)
    assert fee.bands[0].first == before + 1 and fee.bands[-1].last == before + count
    for band in fee.bands:
        assert {oracle_item_rate(u) for u in range(band.first, band.last + 1)} == {band.rate}
    assert fee.amount == sum(oracle_item_rate(u) for u in range(before + 1, before + count + 1))


@given(earlier, items, items)
def test_per_item_is_additive_a_split_request_costs_the_same(before: int, a: int, b: int) -> None:
    """Counting a+b items at once or a then b gives the same total (超额累进)."""
    assert per_item_fee(before, a + b).amount == (
        per_item_fee(before, a).amount + per_item_fee(before + a, b).amount
    )


@given(earlier, items)
def test_per_item_is_monotone_in_the_month_count_and_in_items(before: int, count: int) -> None:
    assert per_item_fee(before + 1, count).amount >= per_item_fee(before, count).amount
    assert per_item_fee(before, count + 1).amount >= per_item_fee(before, count).amount
    assert per_item_rate(before + 2) >= per_item_rate(before + 1)


@given(pages)
def test_per_volume_bands_sum_and_match_the_table(count: int) -> None:
    fee = per_volume_fee(count)
    assert fee.units == count and fee.basis is FeeBasis.PER_VOLUME
    assert fee.amount == sum(b.amount for b in fee.bands)
    assert fee.amount == sum(oracle_rate(PAGE_TABLE, p) for p in range(1, count + 1))


@given(pages)
def test_per_volume_is_monotone_and_never_cheaper_per_extra_page(count: int) -> None:
    here, next_ = per_volume_fee(count).amount, per_volume_fee(count + 1).amount
    assert next_ >= here
    assert next_ - here == oracle_rate(PAGE_TABLE, count + 1)
