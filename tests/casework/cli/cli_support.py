"""Helpers for the command-line tests: reading the database behind the CLI, checking errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import func, inspect, select, table
from sqlmodel import SQLModel

import casework.models  # noqa: F401  (fills SQLModel.metadata)
from casework.db import make_engine

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SAMPLE_2023 = EXAMPLES / "sample-2023.json"
OPEN_2026 = EXAMPLES / "open-cases-2026.json"

# For tests of commands that never open a database: run them once, not once per backend.
NO_DATABASE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

CJK = re.compile(r"[\u4e00-\u9fff]")


class Result(Protocol):
    code: int
    out: str
    err: str


class CliRunner(Protocol):
    def __call__(self, *args: str) -> Any: ...


class HistoryWriter(Protocol):
    def __call__(
        self,
        cases: list[dict[str, Any]],
        agency: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> Path: ...


def database_url() -> str:
    return os.environ["CASEWORK_DATABASE_URL"]


def db_state() -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table (as text, sorted): equal before and after = nothing written."""
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            return {
                t.name: sorted(tuple(repr(v) for v in row) for row in conn.execute(select(t)))
                for t in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def count_rows(name: str) -> int:
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table(name))).scalar_one())
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def assert_clean_error(result: Result, *parts: str, code: int | None = None) -> str:
    """A refused command: non-zero exit, one Chinese line on stderr, nothing on stdout,
    no traceback; the line names every one of `parts`. Returns the line."""
    assert result.code != 0, result
    if code is not None:
        assert result.code == code, result
    assert "Traceback" not in result.err + result.out
    line = result.err.strip()
    assert line and "\n" not in line, result.err
    assert line.startswith("错误："), line
    assert CJK.search(line.removeprefix("错误：")), line
    for part in parts:
        assert part in line, (part, line)
    assert result.out == "", result.out
    return line


def show_json(cli: CliRunner, ref: str, *extra: str) -> dict[str, Any]:
    result = cli("case", "show", ref, "--json", *extra)
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def deadline_of(detail: dict[str, Any], clock: str = "reply") -> dict[str, Any]:
    """The current deadline of one clock in `case show --json`."""
    found = [d for d in detail["deadlines"] if d["clock"] == clock and d.get("current", True)]
    assert len(found) == 1, detail["deadlines"]
    return found[0]
