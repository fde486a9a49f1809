"""Explicit fault-injection points for crash tests (never a sleep).

`CASEWORK_FAULT=<point>` makes the process kill itself with SIGKILL the first time it passes
that point; with `CASEWORK_FAULT_ONCE=<file>` set too, only if the file does not exist yet
(it is created just before the kill), so a restarted process runs through."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def checkpoint(point: str) -> None:
    if os.environ.get("CASEWORK_FAULT") != point:
        return
    marker = os.environ.get("CASEWORK_FAULT_ONCE")
    if marker:
        path = Path(marker)
        if path.exists():
            return
        path.write_text(point, encoding="utf-8")
    os.kill(os.getpid(), signal.SIGKILL)
