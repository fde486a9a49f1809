"""Case states (DESIGN §3.4): stored as strings, each with its Chinese label."""

from enum import StrEnum


class State(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CONSULTING = "consulting"
    FEE_PENDING = "fee_pending"
    DISCLOSED = "disclosed"
    REFUSED = "refused"
    CLOSED = "closed"
    VOID = "void"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "办理中",
    State.CORRECTION_REQUESTED: "待补正",
    State.CONSULTING: "征求意见中",
    State.FEE_PENDING: "待缴费",
    State.DISCLOSED: "已答复(公开)",
    State.REFUSED: "已答复(不予公开/无法提供/不予处理)",
    State.CLOSED: "已办结",
    State.VOID: "已作废",
}

OPEN_STATES: frozenset[State] = frozenset(
    {State.RECEIVED, State.CORRECTION_REQUESTED, State.CONSULTING, State.FEE_PENDING}
)
ANSWERED_STATES: frozenset[State] = frozenset({State.DISCLOSED, State.REFUSED})

# The machine's state before `register`; never stored on a case row.
UNREGISTERED = "unregistered"
