"""The rows and columns of tables 三 and 四 by code or by official label.

A cell is named by our codes (an outcome code, "new", "total", "reconsideration" …) or by the
labels printed in the report (an outcome row's label, "自然人", "行政复议", "尚未审结"), half-width
brackets too. An unknown name is a NotFound that lists the codes: the URL names a cell the
table does not have."""

from __future__ import annotations

import re
from collections.abc import Iterable

from casework.errors import NotFound
from casework.services.appeals import KINDS, RESULT_COLUMNS, RESULTS
from casework.statistics.figures import COLUMNS
from casework.statistics.text import ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW, ROW_TOTAL
from workflows.outcomes import GROUP_LABELS, OUTCOMES, ApplicantKind, OutcomeGroup

TOTAL_LABEL = "总计"
REQUEST_ROWS: tuple[str, ...] = (
    "new",
    "carried_in",
    *(o.code for o in OUTCOMES),
    "concluded_total",
    "carried_out",
)
ROW_LABELS: dict[str, str] = {
    "new": ROW_NEW,
    "carried_in": ROW_CARRIED_IN,
    **{o.code: o.full_label for o in OUTCOMES},
    "concluded_total": ROW_TOTAL,
    "carried_out": ROW_CARRIED_OUT,
}
COLUMN_LABELS: dict[str, str] = {
    **{k.value: k.label for k in ApplicantKind},
    "total": TOTAL_LABEL,
}
APPEAL_RESULT_LABELS: dict[str, str] = {
    **RESULTS,
    "pending": "尚未审结",
    "total": TOTAL_LABEL,
}


def _short(label: str) -> str:
    """A row label without its parenthesised gloss: "（二）X（…）" → "（二）X"."""
    head = label.index("）") + 1
    return label[:head] + label[head:].split("（", 1)[0]


GROUP_SHORT_LABELS: dict[OutcomeGroup, str] = {g: _short(v) for g, v in GROUP_LABELS.items()}

SHORT_ROW_LABELS: dict[str, str] = {
    **ROW_LABELS,
    **{
        o.code: o.group_label[: o.group_label.index("）") + 1] + o.label
        if o.item is not None
        else GROUP_SHORT_LABELS[o.group]
        for o in OUTCOMES
    },
}
"""Outcome rows as "（二）X", "（三）1.…" (the group's number, the item): narrow tables."""

_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})
_BRACKETED = re.compile(r"（[^）]*）")


def _key(text: str) -> str:
    """Spaces dropped, half-width brackets and punctuation made full-width."""
    return "".join(text.split()).translate(_FULL_WIDTH)


def _outcome_names() -> Iterable[tuple[str, str]]:
    for o in OUTCOMES:
        head = o.group_label[: o.group_label.index("）") + 1]  # "（二）"
        yield o.full_label, o.code
        if o.item is None:  # "（二）X（…）" is also "（二）X" and "X"
            yield head + o.label, o.code
            yield o.label, o.code
        else:  # "（三）X 1.…" is also "1.…" and "（三）1.…"
            yield o.label, o.code
            yield head + o.label, o.code


def _index(codes: Iterable[str], names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Name → code; a label that would name two cells names none."""
    found: dict[str, set[str]] = {}
    for code in codes:
        found.setdefault(_key(code), set()).add(code)
    for name, code in names:
        found.setdefault(_key(name), set()).add(code)
    return {name: next(iter(codes_)) for name, codes_ in found.items() if len(codes_) == 1}


_ROWS = _index(REQUEST_ROWS, [*((v, k) for k, v in ROW_LABELS.items()), *_outcome_names()])
_COLUMNS = _index(COLUMNS, ((v, k) for k, v in COLUMN_LABELS.items()))
# "行政诉讼（复议后起诉）" is also the table's column head "复议后起诉"
_KINDS = _index(
    KINDS,
    [
        *((v, k) for k, v in KINDS.items()),
        *((m.strip("（）"), k) for k, v in KINDS.items() for m in _BRACKETED.findall(v)),
    ],
)
_RESULTS = _index(RESULT_COLUMNS, ((v, k) for k, v in APPEAL_RESULT_LABELS.items()))


def _resolve(value: str, index: dict[str, str], what: str, codes: Iterable[str]) -> str:
    code = index.get(_key(value))
    if code is None:
        raise NotFound(f"{what}没有“{value}”；可用：{'、'.join(codes)}（或表中印出的名称）")
    return code


def request_row(value: str) -> str:
    return _resolve(value, _ROWS, "表三的行", REQUEST_ROWS)


def request_column(value: str) -> str:
    return _resolve(value, _COLUMNS, "表三的列", COLUMNS)


def appeal_kind(value: str) -> str:
    return _resolve(value, _KINDS, "表四的类别", KINDS)


def appeal_result(value: str) -> str:
    return _resolve(value, _RESULTS, "表四的列", RESULT_COLUMNS)
