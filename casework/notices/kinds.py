"""The notice kinds (LEGAL.md §7) and which step of a case offers which notice."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from casework.choices import parse_choice
from workflows.outcomes import OUTCOME_BY_CODE
from workflows.states import State


class NoticeKind(StrEnum):
    RECEIPT = "receipt"
    CORRECTION = "correction"
    EXTENSION = "extension"
    CONSULTATION = "consultation"
    DISCLOSURE_DECISION = "disclosure_decision"
    FEE = "fee"
    REPLY = "reply"
    TERMINATION = "termination"

    @property
    def label(self) -> str:
        return KIND_INFO[self].title

    @property
    def code(self) -> str:
        """The one character that tells the kinds apart in a 文号 (placeholder {类})."""
        return KIND_INFO[self].code


@dataclass(frozen=True)
class KindInfo:
    title: str
    code: str
    to_third_party: bool = False


KIND_INFO: dict[NoticeKind, KindInfo] = {
    NoticeKind.RECEIPT: KindInfo("政府信息公开申请登记回执", "收"),
    NoticeKind.CORRECTION: KindInfo("政府信息公开申请补正告知书", "补"),
    NoticeKind.EXTENSION: KindInfo("政府信息公开申请延期答复告知书", "延"),
    NoticeKind.CONSULTATION: KindInfo("政府信息公开征求第三方意见书", "征", True),
    NoticeKind.DISCLOSURE_DECISION: KindInfo("政府信息决定公开告知书", "决", True),
    NoticeKind.FEE: KindInfo("政府信息公开信息处理费收费通知", "费"),
    NoticeKind.REPLY: KindInfo("政府信息公开申请答复告知书", "复"),
    NoticeKind.TERMINATION: KindInfo("政府信息公开申请终止处理告知书", "终"),
}

# The notice a step offers as a matter of course (shown beside the action before it is taken)
ACTION_NOTICE: dict[str, NoticeKind] = {
    "register": NoticeKind.RECEIPT,
    "request_correction": NoticeKind.CORRECTION,
    "extend": NoticeKind.EXTENSION,
    "start_consultation": NoticeKind.CONSULTATION,
    "issue_fee_notice": NoticeKind.FEE,
    "reply": NoticeKind.REPLY,
    "approve_reply": NoticeKind.REPLY,
    "amend_outcome": NoticeKind.REPLY,  # a corrected reply, when the new outcome is a reply's
    "withdraw": NoticeKind.TERMINATION,
    "correction_deadline_passed": NoticeKind.TERMINATION,
    "payment_deadline_passed": NoticeKind.TERMINATION,
    "confirm_expiry": NoticeKind.TERMINATION,  # when it closes the case (not a consultation's)
}


def parse_kind(value: str) -> NoticeKind:
    return parse_choice(NoticeKind, value, "告知书类型")


def discloses(outcome: str | None) -> bool:
    """A reply that provides information (in full or in part)."""
    found = OUTCOME_BY_CODE.get(outcome or "")
    return found is not None and found.state is State.DISCLOSED


def offered_by_action(action: str) -> dict[str, str] | None:
    """The notice an action offers, for the list of actions a user may take now."""
    kind = ACTION_NOTICE.get(action)
    return {"kind": kind.value, "title": kind.label} if kind is not None else None
