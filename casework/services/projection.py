"""The case row's deadline columns, projected from its current clocks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from casework.clocks import ClockView
from workflows.clocks import Clock


def deadline_columns(current: Sequence[ClockView]) -> dict[str, Any]:
    reply = next((v for v in current if v.clock is Clock.REPLY), None)
    # The correction-notice window is advisory (a late notice is only flagged): not a 'next due'.
    pending = [
        v
        for v in current
        if v.due is not None and v.met is None and v.clock is not Clock.CORRECTION_NOTICE
    ]
    nearest = min(pending, key=lambda v: v.due or date.max) if pending else None
    return {
        "reply_due": reply.due if reply else None,
        "reply_paused": bool(reply and reply.paused),
        "next_due": nearest.due if nearest else None,
        "next_clock": nearest.clock.value if nearest else None,
        "due_provisional": any(v.provisional for v in current),
    }
