"""The information processing fee (信息处理费) of 国办函〔2020〕109号, as pure arithmetic.

Art. 3: a request is charged per item (按件) or per volume (按量), never both, each in
progressive bands (超额累进: every unit is charged at the rate of the band it falls in).
Art. 4 (per item): the applicant's requests in one calendar month are counted in order;
the 1st–10th are free, the 11th–30th cost 100 元 each, and from the 31st every further band
of 10 costs 100 元 more per item (31–40: 200 元, 41–50: 300 元 …). A request with several
matters may be split into items (一事一申请), each counted.
Art. 5 (per volume, paper copies, e-mail, copied data): per request, pages 1–30 are free,
31–100 cost 10 元 a page, 101–200 20 元, from 201 on 40 元.

Amounts are `Decimal` yuan. Nothing here knows about cases: the caller says which items of
the month (or how many pages) the request is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class FeeBasis(StrEnum):
    PER_ITEM = "per_item"
    PER_VOLUME = "per_volume"

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeBasis.PER_ITEM else "按量计收"

    @property
    def unit(self) -> str:
        return "件" if self is FeeBasis.PER_ITEM else "页"

    @property
    def article(self) -> str:
        return (
            "国办函〔2020〕109号第四条"
            if self is FeeBasis.PER_ITEM
            else "国办函〔2020〕109号第五条"
        )


PER_ITEM_FREE = 10
PER_ITEM_FIRST_PAID_LAST = 30  # 11–30 at the first paid rate
PER_ITEM_STEP = Decimal(100)  # the first paid rate, and the rise per further band
PER_ITEM_BAND = 10  # width of the bands from the 31st item on
# (first page, last page or None for "and above", rate in 元 per page)
PER_VOLUME_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)
MAX_UNITS = 1_000_000  # a bound far beyond any real request; keeps the arithmetic finite
MAX_PAGES = MAX_UNITS
MAX_ITEMS = 1_000  # items one request may be split into (一事一申请)


@dataclass(frozen=True)
class FeeBand:
    """The units of one rate band that this request is charged for."""

    first: int  # first unit of the band that this request covers (1-based)
    last: int  # last unit covered
    rate: Decimal  # 元 per unit
    unit: str  # 件 or 页

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> Decimal:
        return self.rate * self.count

    @property
    def line(self) -> str:
        """第11–30件：20件 × 100元 = 2000元 (or 免费 for the free band)."""
        span = f"第{self.first}{self.unit}" if self.first == self.last else (
            f"第{self.first}–{self.last}{self.unit}"
        )  # fmt: skip
        if not self.rate:
            return f"{span}：{self.count}{self.unit}，免费"
        return f"{span}：{self.count}{self.unit} × {yuan(self.rate)}元 = {yuan(self.amount)}元"


@dataclass(frozen=True)
class Fee:
    """What one request costs on one basis, with its breakdown band by band."""

    basis: FeeBasis
    bands: tuple[FeeBand, ...]

    @property
    def amount(self) -> Decimal:
        return sum((b.amount for b in self.bands), Decimal(0)).quantize(Decimal("0.01"))

    @property
    def units(self) -> int:
        return sum(b.count for b in self.bands)

    @property
    def lines(self) -> list[str]:
        """The breakdown in Chinese, one band a line, then the total."""
        return [*(b.line for b in self.bands), f"合计：{yuan(self.amount)}元"]


def yuan(amount: Decimal) -> str:
    """100 → "100", 12.5 → "12.50": whole yuan without decimals, otherwise two."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return str(amount.quantize(Decimal("0.01")))


def per_item_rate(position: int) -> Decimal:
    """The rate of the `position`-th item an applicant asks for in a calendar month."""
    _check_units(position, "件次")
    if position <= PER_ITEM_FREE:
        return Decimal(0)
    if position <= PER_ITEM_FIRST_PAID_LAST:
        return PER_ITEM_STEP
    bands_above = (position - PER_ITEM_FIRST_PAID_LAST - 1) // PER_ITEM_BAND + 1
    return PER_ITEM_STEP * (1 + bands_above)


def per_item_fee(earlier: int, items: int = 1) -> Fee:
    """The fee for a request of `items` items when the applicant already made `earlier` items
    of requests in the month: its items are the (earlier+1)-th … (earlier+items)-th."""
    if earlier < 0:
        raise ValueError("本月此前的申请件数不能为负数")
    _check_units(items, "件数")
    _check_units(earlier + items, "件次")
    bands: list[FeeBand] = []
    first = earlier + 1
    while first <= earlier + items:
        rate = per_item_rate(first)
        last = min(earlier + items, _per_item_band_end(first))
        bands.append(FeeBand(first, last, rate, FeeBasis.PER_ITEM.unit))
        first = last + 1
    return Fee(FeeBasis.PER_ITEM, tuple(bands))


def _per_item_band_end(position: int) -> int:
    if position <= PER_ITEM_FREE:
        return PER_ITEM_FREE
    if position <= PER_ITEM_FIRST_PAID_LAST:
        return PER_ITEM_FIRST_PAID_LAST
    above = position - PER_ITEM_FIRST_PAID_LAST - 1
    return PER_ITEM_FIRST_PAID_LAST + (above // PER_ITEM_BAND + 1) * PER_ITEM_BAND


def per_volume_fee(pages: int) -> Fee:
    """The fee for providing `pages` pages (electronic files counted as A4 pages)."""
    _check_units(pages, "页数")
    bands = tuple(
        FeeBand(first, min(pages, last or pages), rate, FeeBasis.PER_VOLUME.unit)
        for first, last, rate in PER_VOLUME_BANDS
        if first <= pages
    )
    return Fee(FeeBasis.PER_VOLUME, bands)


def _check_units(value: int, what: str) -> None:
    if value < 1:
        raise ValueError(f"{what}须为正整数")
    if value > MAX_UNITS:
        raise ValueError(f"{what}不能超过 {MAX_UNITS}")
