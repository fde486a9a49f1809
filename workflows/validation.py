"""Pydantic validation errors → one Chinese line per problem, naming the field."""

import re
from typing import Any

from pydantic import ValidationError

_MESSAGES: dict[str, str] = {
    "missing": "缺少此项",
    "extra_forbidden": "不是此操作的字段",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "string_type": "须为文本",
    "bool_parsing": "须为是/否",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_type": "须为日期（YYYY-MM-DD）",
    "list_type": "须为列表",
    "tuple_type": "须为列表",
    "model_type": "须为对象",
    "dict_type": "须为对象",
    "finite_number": "须为有限数字",
    "decimal_parsing": "须为金额（元）",
    "decimal_type": "须为金额（元）",
    "decimal_max_places": "最多两位小数",
    "decimal_max_digits": "金额过大",
    "decimal_whole_digits": "金额过大",
    "date_from_datetime_inexact": "须为日期（YYYY-MM-DD），不能带时间",
    "date_future": "不能是将来的日期",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "须为 JSON 对象",
    "json_type": "不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
    "bool_type": "须为是/否",
    "datetime_parsing": "须为日期时间（ISO 8601）",
    "datetime_type": "须为日期时间（ISO 8601）",
    "too_long": "项数过多",
    "too_short": "项数不足",
    "string_unicode": "须为文本",
}


def message(error: Any) -> str:
    """One pydantic error (a dict from `ValidationError.errors()`) in Chinese."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
        return f"须为以下之一：{'、'.join(part.strip() for part in expected.split(','))}"
    if kind == "greater_than_equal":
        return f"须不小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"须大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"须不大于 {ctx.get('le')}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"长度不能超过 {ctx.get('max_length')}"
    return _MESSAGES.get(kind, str(error["msg"]))


CONTROL_MESSAGE = "不能包含控制字符（如 \\0、\\a、\\f；换行和制表符可以）"
# C0 controls but tab, line feed and carriage return, and DEL: no person types them, PostgreSQL
# refuses NUL, and Word and Excel files cannot hold them (a \a or \f breaks a notice's layout)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


CONTROL_BYTES = re.compile(_CONTROL.pattern.encode())  # the same, in raw request bodies


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def control_at(value: Any, path: str = "") -> str | None:
    """The path of the first text (or key) holding a control character, or None."""
    if isinstance(value, str):
        return path or "body" if has_control(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if has_control(str(key)):
                return here
            found = control_at(item, here)
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = control_at(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def describe(exc: ValidationError) -> list[tuple[str, str]]:
    """(field path, Chinese message) for each problem."""
    out: list[tuple[str, str]] = []
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"])
        out.append((path, message(error)))
    return out
