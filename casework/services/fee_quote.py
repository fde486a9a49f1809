"""The fee a case would cost (国办函〔2020〕109号), quoted before a fee notice is issued, and
the check of a notice's amount against the quote.

Per item: the applicant's requests received by the case's agency (and the agencies merged
into it) in the calendar month of the case's receipt are counted in order of receipt date,
requests received the same day in order of registration (case id), up to and including this
case; void cases (registration errors, duplicates) do not count. A request counts as the
items it was split into (一事一申请: its smallest reasonable units, Art. 4): an earlier case as
the `items` recorded by its latest fee notice, this case as the number the clerk gives; one
when none is given.
Per volume: the pages this case provides (Art. 5), nothing else counts.

The quote is advice, not a rule: a notice may differ from it (reductions and waivers exist),
and the difference is recorded in the notice's event and shown as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from casework.errors import Invalid
from casework.models import Agency, Case, CaseEvent
from casework.services.applicant_history import (
    agency_family,
    key_of_case,
    other_requests,
)
from workflows.fees import (
    MAX_ITEMS,
    MAX_PAGES,
    MAX_UNITS,
    Fee,
    FeeBasis,
    per_item_fee,
    per_volume_fee,
    yuan,
)
from workflows.states import State


@dataclass(frozen=True)
class EarlierRequest:
    """A request counted before this one, and how many items (件) it counts as."""

    case_id: int
    ref: str
    agency_code: str
    received_on: date
    items: int


@dataclass(frozen=True)
class FeeQuote:
    case_id: int
    ref: str
    basis: FeeBasis
    fee: Fee
    month: str  # "2026-11"
    earlier: tuple[EarlierRequest, ...]  # per item: the month's earlier requests, in order
    items: int | None
    pages: int | None

    @property
    def earlier_items(self) -> int:
        return sum(r.items for r in self.earlier)

    @property
    def first_position(self) -> int | None:
        return self.earlier_items + 1 if self.basis is FeeBasis.PER_ITEM else None

    @property
    def summary(self) -> str:
        if self.basis is FeeBasis.PER_VOLUME:
            return f"本申请提供 {self.pages} 页"
        year, month = self.month.split("-")
        n, items = self.earlier_items, self.items or 1
        which = (
            f"第{n + 1}件" if items == 1 else f"第{n + 1}–{n + items}件（本申请拆分计为{items}件）"
        )
        return f"同一申请人{year}年{int(month)}月向本机关提出的申请中，本申请为{which}（此前{n}件）"

    @property
    def lines(self) -> list[str]:
        """The quote in Chinese: basis, the count, each band, the total."""
        head = f"{self.basis.label}（{self.basis.article}）"
        return [head, self.summary, *self.fee.lines]

    def as_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "ref": self.ref,
            "basis": self.basis.value,
            "basis_label": self.basis.label,
            "standard": self.basis.article,
            "month": self.month,
            "items": self.items,
            "pages": self.pages,
            "first_position": self.first_position,
            "earlier": [
                {
                    "ref": r.ref,
                    "agency": r.agency_code,
                    "received_on": r.received_on.isoformat(),
                    "items": r.items,
                }
                for r in self.earlier
            ],
            "bands": [
                {
                    "first": b.first,
                    "last": b.last,
                    "count": b.count,
                    "rate": str(b.rate),
                    "amount": str(b.amount),
                    "line": b.line,
                }
                for b in self.fee.bands
            ],
            "amount": str(self.fee.amount),
            "lines": self.lines,
        }


def parse_basis(value: str) -> FeeBasis:
    try:
        return FeeBasis(value)
    except ValueError:
        raise Invalid(
            f"计收方式“{value}”无效：须为 per_item（按件）或 per_volume（按量）", "basis"
        ) from None


def quote_fee(
    session: Session,
    case: Case,
    basis: str,
    *,
    pages: int | None = None,
    items: int | None = None,
) -> FeeQuote:
    """The fee for `case` on `basis`; bad input is `Invalid` naming the field."""
    chosen = parse_basis(basis)
    assert case.id is not None
    month = received_month(case.received_on)
    if chosen is FeeBasis.PER_VOLUME:
        if items is not None:
            raise Invalid("按量计收按页数计算，不能同时给出件数（items）", "items")
        if pages is None:
            raise Invalid("按量计收须给出提供的页数（pages）", "pages")
        _units(pages, MAX_PAGES, "页数", "pages")
        return FeeQuote(case.id, case.ref, chosen, per_volume_fee(pages), month, (), None, pages)
    if pages is not None:
        raise Invalid("按件计收按件数计算，不能同时给出页数（pages）", "pages")
    count = 1 if items is None else _units(items, MAX_ITEMS, "件数", "items")
    earlier = tuple(earlier_in_month(session, case))
    before = sum(r.items for r in earlier)
    if before + count > MAX_UNITS:
        raise Invalid(f"本月累计件数不能超过 {MAX_UNITS}", "items")
    fee = per_item_fee(before, count)
    return FeeQuote(case.id, case.ref, chosen, fee, month, earlier, count, None)


def _units(value: int, most: int, what: str, field: str) -> int:
    if value < 1 or value > most:
        raise Invalid(f"{what}须为 1–{most} 的整数", field)
    return value


def earlier_in_month(session: Session, case: Case) -> list[EarlierRequest]:
    """The same applicant's requests to the agency received earlier in the case's month
    (same day: registered earlier), in order, each with its items; void cases left out."""
    key = key_of_case(session, case)
    agency = session.get(Agency, case.agency_id)
    if key is None or agency is None:
        return []
    first = case.received_on.replace(day=1)
    found = other_requests(
        session,
        key,
        agency_family(session, agency),
        col(Case.received_on) >= first,
        col(Case.received_on) <= case.received_on,
        col(Case.state) != State.VOID.value,
        col(Case.id) != case.id,
    )
    before = sorted(
        (r for r in found if (r.received_on, r.case_id) < (case.received_on, case.id or 0)),
        key=lambda r: (r.received_on, r.case_id),
    )
    items = recorded_items(session, [r.case_id for r in before])
    return [
        EarlierRequest(r.case_id, r.ref, r.agency_code, r.received_on, items.get(r.case_id, 1))
        for r in before
    ]


def recorded_items(session: Session, case_ids: list[int]) -> dict[int, int]:
    """The items each case's latest fee notice split it into, for the cases that recorded
    a number (a per-volume notice, or one without `items`, records none)."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(col(CaseEvent.case_id), col(CaseEvent.payload))
        .where(
            col(CaseEvent.case_id).in_(case_ids),
            col(CaseEvent.action) == "issue_fee_notice",
        )
        .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
    ).all()
    found: dict[int, int] = {}
    for case_id, payload in rows:  # in order of seq: the latest notice wins
        items = payload.get("items") if isinstance(payload, dict) else None
        if isinstance(items, int) and not isinstance(items, bool) and items >= 1:
            found[case_id] = items
        else:
            found.pop(case_id, None)
    return found


# The fee notice (`issue_fee_notice`): the quote written into its event, and the warning a
# clerk sees when the amount differs.


def quoted_for_notice(
    session: Session, case: Case, basis: str, pages: int | None, items: int | None
) -> dict[str, Any]:
    """Fields recorded with a fee notice: the standard amount for what it charges for (per
    volume only when the pages are given)."""
    if basis == FeeBasis.PER_VOLUME and pages is None:
        return {}
    try:
        quote = quote_fee(session, case, basis, pages=pages, items=items)
    except Invalid:
        return {}  # the payload's own validation has spoken; nothing to compare against
    recorded: dict[str, Any] = {"quoted_amount": str(quote.fee.amount)}
    if quote.first_position is not None:
        recorded["quoted_position"] = quote.first_position
    return recorded


def notice_warnings(stored: Mapping[str, Any]) -> tuple[str, ...]:
    """What a clerk should look at again in a fee notice's recorded payload."""
    try:
        amount = Decimal(str(stored["amount"]))
    except (KeyError, InvalidOperation):
        return ()
    quoted = stored.get("quoted_amount")
    if quoted is None:
        if stored.get("basis") == FeeBasis.PER_VOLUME:
            return ("未填写页数（pages），收费金额未按国办函〔2020〕109号第五条核对",)
        return ()
    standard = Decimal(str(quoted))
    if amount == standard:
        return ()
    gap = amount - standard
    side = f"多 {yuan(gap)} 元" if gap > 0 else f"少 {yuan(-gap)} 元"
    return (
        f"收费金额 {yuan(amount)} 元与按标准试算的 {yuan(standard)} 元不一致（{side}）；"
        "如属减免或另有原因，请在收费通知中写明",
    )


def received_month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
