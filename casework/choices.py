"""Parse a value into one of an enumeration's members, refusing anything else with a Chinese
line that lists the choices with their labels (附件类别, 告知书类型 …)."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], value: str, what: str) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = "、".join(f"{k.value}（{getattr(k, 'label', k.value)}）" for k in enum)
        raise ValueError(f"未知的{what}“{value}”；可用：{choices}") from None
