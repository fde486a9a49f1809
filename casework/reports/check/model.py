"""A published report as read back: its tables keyed by our row codes and column names (the
shape of `Report.as_json()`), its narrative text, and the problems found in reading it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from casework.errors import Invalid
from casework.statistics.figures import COLUMNS

Number = int | float


class Unreadable(Invalid):
    """A file that is no readable report: missing, empty, binary, or without the tables."""


class Kind(StrEnum):
    ROW_SUM = "row_sum"  # (a) the columns of a row do not add up to its 总计
    COLUMN_SUM = "column_sum"  # (b) the result rows do not add up to （七）总计
    SUBTOTAL = "subtotal"  # a group's own row does not equal the sum of its leaves
    BALANCE = "balance"  # (c) 一 + 二 ≠ 三（七） + 四
    APPEAL_TOTAL = "appeal_total"  # (d) a group of table 四 does not add up to its 总计
    CARRY_OVER = "carry_over"  # (e) 二 ≠ the previous year's 四
    NARRATIVE = "narrative"  # (f) a number in the text contradicts the table
    STRUCTURE = "structure"  # (g) a missing table, row or number, a cell that is no number
    FORMAT = "format"  # (g) the tables mix the 2019 and 2021 formats


@dataclass(frozen=True)
class Problem:
    kind: Kind
    message: str  # one Chinese line naming the table, row and column and both numbers
    table: str | None = None  # "表二", "表三", "表四"; None for the text or the whole file
    row: str | None = None  # the row's label as the official layout prints it
    column: str | None = None  # the column's label
    expected: Number | str | None = None  # what the other figures make it
    found: Number | str | None = None  # what the report says
    row_code: str | None = None
    column_code: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"kind": self.kind.value}


@dataclass
class ParsedReport:
    """`requests` maps a row code ("new", "carried_in", an outcome code, "concluded_total",
    "carried_out"; in the 2019 format "other" for （六） as one row, and a group's code
    where a report prints a group's own numbers) to its 7 numbers over COLUMNS; `appeals` is
    shaped as Report.appeals; `proactive` as Report.proactive for the 2021 format."""

    source: str  # "text" or "html"
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    format_version: str | None = None  # "2021", "2019", or None where it cannot be told
    requests: dict[str, list[int]] = field(default_factory=dict)
    appeals: dict[str, dict[str, int]] = field(default_factory=dict)
    proactive: dict[str, Any] = field(default_factory=dict)
    narrative: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # found while reading

    def requests_json(self) -> dict[str, Any]:
        """The shape of `Report.as_json()["requests"]`."""
        return {"columns": list(COLUMNS), "rows": self.requests}

    def figures_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests_json(),
            "appeals": self.appeals,
            "proactive": self.proactive,
        }
