"""A plain, immutable view of one case that guards and the machine work on (no database)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EventRecord:
    seq: int
    action: str
    on: date
    payload: Mapping[str, Any]
    from_state: str | None
    to_state: str


@dataclass(frozen=True)
class PartyWindow:
    name: str
    due: date | None
    answered: bool


@dataclass(frozen=True)
class Dues:
    """Current due dates, computed by `casework.clocks` from the events and the calendar."""

    reply: date | None = None
    reply_paused: bool = False
    correction: date | None = None
    correction_expires_on: date | None = None  # when the system may apply the expiry
    correction_provisional: bool = False
    payment: date | None = None
    payment_expires_on: date | None = None
    payment_provisional: bool = False
    parties: tuple[PartyWindow, ...] = ()
    opinion_expires_on: date | None = None  # every unanswered window has run out by then
    opinion_provisional: bool = False


@dataclass(frozen=True)
class Policy:
    """Agency settings the rules depend on."""

    signoff_required: bool = False  # 审核签发: replies go through draft_reply/approve_reply
    post_grace_days: int = 0  # calendar days added to an applicant's period for post
    correction_period_wd: int = 15


@dataclass(frozen=True)
class CaseSnapshot:
    state: str
    received_on: date | None
    events: tuple[EventRecord, ...] = ()
    outcome: str | None = None
    dues: Dues = field(default_factory=Dues)
    policy: Policy = field(default_factory=Policy)

    @property
    def last_on(self) -> date | None:
        return self.events[-1].on if self.events else None

    def count(self, action: str) -> int:
        return sum(1 for e in self.events if e.action == action)

    def last(self, *actions: str) -> EventRecord | None:
        for event in reversed(self.events):
            if event.action in actions:
                return event
        return None

    @property
    def pending_draft(self) -> EventRecord | None:
        """The draft reply awaiting sign-off, if any."""
        last = self.last("draft_reply", "approve_reply", "reject_draft")
        return last if last is not None and last.action == "draft_reply" else None

    @property
    def pending_parties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.dues.parties if not p.answered)
