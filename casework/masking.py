"""Masking of applicants' personal data where a view does not need it (DESIGN §6)."""


def mask_name(name: str) -> str:
    """张三丰 → 张**; an organisation keeps its first two characters."""
    if len(name) <= 1:
        return "*"
    keep = 2 if len(name) > 6 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_digits(value: str | None, head: int = 3, tail: int = 4) -> str | None:
    if value is None:
        return None
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
