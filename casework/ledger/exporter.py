"""A ledger from the event log: one row per case, in the columns the import reads.

The row is what the ledger can say: the latest outcome (an amended one included) on the date
the case was first concluded, one correction, one consultation, one extension, one fee notice.
Steps a row has no column for are named in 备注; void cases are left out (they count nowhere).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from casework.ledger.rows import APPROVER, NO_REASON
from casework.ledger.vocabulary import LABELS, NO_ANSWER
from casework.ledger.workbook import SHEET_TITLE, write_ledger
from casework.masking import mask_digits, mask_name
from casework.models import Agency, Applicant, Case, CaseEvent
from workflows.actions import ACTION_BY_NAME
from workflows.states import State

BATCH = 500
# Steps a row states without a column of their own (the outcome and its date; expiries the
# import's rules apply again) or that change nothing a ledger records: not listed in 备注.
_SILENT = frozenset(
    {
        "register",
        "assign",
        "draft_reply",
        "reject_draft",
        "request_reasons",
        "withdraw",
        "correction_deadline_passed",
        "payment_deadline_passed",
        "opinion_deadline_passed",
        "confirm_expiry",
    }
)


@dataclass
class ExportCount:
    rows: int = 0
    void: int = 0  # left out


def export_ledger(
    session: Session, agency: Agency, year: int | None, path: Path, *, mask: bool, created: datetime
) -> ExportCount:
    """Write the agency's ledger (cases received in `year`, or all) to `path`."""
    count = ExportCount()
    title = f"{year}年{SHEET_TITLE}" if year is not None else SHEET_TITLE
    rows = ledger_rows(session, agency, year, mask=mask, count=count)
    write_ledger(rows, path, created=created, title=title)
    return count


def ledger_rows(
    session: Session, agency: Agency, year: int | None, *, mask: bool, count: ExportCount
) -> Iterator[dict[str, Any]]:
    """The rows of an agency's ledger (cases received in `year`, or all), oldest first."""
    query = select(Case.id).where(Case.agency_id == agency.id)
    if year is not None:
        query = query.where(
            col(Case.received_on) >= date(year, 1, 1), col(Case.received_on) <= date(year, 12, 31)
        )
    ids = session.exec(query.order_by(col(Case.received_on), col(Case.ref))).all()
    for start in range(0, len(ids), BATCH):
        chunk = [i for i in ids[start : start + BATCH] if i is not None]
        cases = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(chunk))).all()}
        people = {
            a.id: a
            for a in session.exec(
                select(Applicant).where(
                    col(Applicant.id).in_([c.applicant_id for c in cases.values()])
                )
            ).all()
        }
        events: dict[int, list[CaseEvent]] = {i: [] for i in chunk}
        for event in session.exec(
            select(CaseEvent)
            .where(col(CaseEvent.case_id).in_(chunk))
            .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
        ).all():
            events[event.case_id].append(event)
        for case_id in chunk:
            case = cases[case_id]
            if case.state == State.VOID:
                count.void += 1
                continue
            count.rows += 1
            yield row_of(case, people[case.applicant_id], events[case_id], mask=mask)


def row_of(
    case: Case, applicant: Applicant, events: Sequence[CaseEvent], *, mask: bool
) -> dict[str, Any]:
    labels = LABELS
    row: dict[str, Any] = {
        "ref": case.ref,
        "received_on": case.received_on,
        "channel": labels["channel"].get(case.channel, case.channel),
        "applicant.name": mask_name(applicant.name) if mask else applicant.name,
        "applicant.kind": labels["applicant.kind"][case.applicant_kind],
        "applicant.id_number": mask_digits(applicant.id_number) if mask else applicant.id_number,
        "applicant.phone": mask_digits(applicant.phone) if mask else applicant.phone,
        "applicant.address": None if mask else applicant.address,
        "applicant.email": None if mask else applicant.email,
        "request": case.request_text,
        "delivery": labels["delivery"].get(case.delivery or "", case.delivery),
    }
    _Steps(row, case).fold(events)
    return {k: v for k, v in row.items() if v not in (None, "")}


class _Steps:
    def __init__(self, row: dict[str, Any], case: Case) -> None:
        self.row, self.case = row, case
        self.parties: list[tuple[str, str | None]] = []  # (name, received_on)
        self.opinions: dict[str, str] = {}
        self.unlisted: list[str] = []
        self.seen: set[str] = set()

    def fold(self, events: Sequence[CaseEvent]) -> None:
        for event in events:
            action, on, pl = event.action, event.effective_on, event.payload
            first = action not in self.seen
            self.seen.add(action)
            handler = getattr(self, f"_{action}", None)
            if handler is not None and (first or action in ("receive_opinion", "record_service")):
                handler(on, pl, event)
            elif action not in _SILENT:
                self.unlisted.append(f"{ACTION_BY_NAME[action].label}（{on}）")
        if self.parties:
            names = [name for name, _ in self.parties]
            served = {received for _, received in self.parties}
            self.row["consultation.parties"] = "；".join(names)
            if len(served) == 1:
                self.row["consultation.served_on"] = _day(served.pop())
            words = [
                self.opinions.get(name, LABELS["opinion.opinion"][NO_ANSWER]) for name in names
            ]
            single = len(names) == 1
            self.row["opinion.opinion"] = (
                words[0]
                if single
                else "；".join(f"{n}：{w}" for n, w in zip(names, words, strict=True))
            )
        if self.case.outcome is not None:
            self.row["reply.outcome"] = LABELS["reply.outcome"][self.case.outcome]
            self.row["reply.on"] = self.case.concluded_on
        if self.unlisted:
            self.row["notes"] = "另有台账未列的操作：" + "、".join(self.unlisted)

    def _request_correction(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["correction.on"] = on
        self.row["correction.period_wd"] = pl.get("period_wd")
        self.row["correction.items"] = "；".join(pl.get("items") or ())
        self.row["correction.served_on"] = _day(pl.get("served_on"))

    def _receive_correction(self, on: date, _pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["correction.received_on"] = on

    def _start_consultation(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["consultation.on"] = on
        if pl.get("party"):
            self.parties = [(pl["party"], pl.get("party_received_on"))]
        else:
            self.parties = [(p["name"], p.get("received_on")) for p in pl.get("parties", ())]

    def _receive_opinion(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["opinion.on"] = on
        if pl.get("party"):
            self.opinions[pl["party"]] = LABELS["opinion.opinion"][pl["opinion"]]

    def _extend(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        reason = str(pl.get("reason", ""))
        approved = APPROVER.match(reason)
        if approved:
            reason = approved["reason"]
            self.row["extension.approver"] = approved["approver"]
        self.row["extension.on"] = on
        self.row["extension.days_wd"] = pl.get("days_wd")
        self.row["extension.reason"] = "" if reason == NO_REASON else reason

    def _issue_fee_notice(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["fee.on"] = on
        self.row["fee.amount"] = Decimal(str(pl["amount"]))
        self.row["fee.basis"] = LABELS["fee.basis"].get(pl.get("basis", ""), pl.get("basis"))
        self.row["fee.served_on"] = _day(pl.get("applicant_received_on"))

    def _receive_payment(self, on: date, _pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["fee.paid_on"] = on

    def _record_service(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        served = pl.get("served_on")
        if pl.get("notice") == "correction":
            self.row["correction.served_on"] = _day(served)
        elif pl.get("notice") == "fee":
            self.row["fee.served_on"] = _day(served)
        else:
            self.parties = [(n, served if n == pl.get("party") else r) for n, r in self.parties]

    def _reply(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["reply.basis"] = pl.get("basis")

    _approve_reply = _reply

    def _deliver(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.row["deliver.on"] = on
        self.row["deliver.method"] = LABELS["deliver.method"].get(pl.get("method", ""))

    def _amend_outcome(self, on: date, pl: dict[str, Any], _e: CaseEvent) -> None:
        self.unlisted.append(f"更正办理结果（{on}，已按更正后的结果列出）")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None
