"""One delivery as the channel sees it: plain values, read before the send, so no database
session is held open while a mail server or a webhook answers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    channel: str
    target: str
    key: str
    kind: str
    subject: str
    body: str
    link: str | None
    case_id: int | None
    agency_id: int | None
    created_at: datetime

    @property
    def key_digest(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()[:16]
