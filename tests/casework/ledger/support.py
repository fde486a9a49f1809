"""Importing and exporting ledgers in the service tests, as the CLI does: one transaction,
committed only when every row imports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from casework.db import unit_of_work, write_engine
from casework.ledger.exporter import export_ledger
from casework.ledger.importer import LedgerImport, import_ledger
from casework.ledger.mapping import MappingFile
from casework.ledger.reader import open_ledger
from casework.services.directory import agency_by_code
from casework.services.replay import FileAgency, parse, replay
from casework.statistics.figures import report
from casework.timeutil import utcnow
from tests.casework.services.helpers import TODAY

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SAMPLE_HISTORY = EXAMPLES / "sample-2023.json"
SAMPLE_LEDGER = EXAMPLES / "ledger-sample-2023.xlsx"


def import_file(
    engine: Engine,
    path: Path,
    code: str = "ledger",
    spec: MappingFile | None = None,
    *,
    dry_run: bool = False,
    progress: Any = None,
) -> LedgerImport:
    with (
        open_ledger(path, spec or MappingFile()) as ledger,
        Session(write_engine(engine), expire_on_commit=False) as session,
    ):
        agency = FileAgency(code=code, name=f"台账导入测试机关{code}")
        result = import_ledger(session, ledger, agency, TODAY, TODAY, progress)
        if result.ok and not dry_run:
            session.commit()
    return result


def replay_file(engine: Engine, path: Path) -> str:
    raw = json.loads(path.read_text("utf-8"))
    with unit_of_work(engine) as session:
        replay(session, parse(raw), TODAY, TODAY)
    return str(raw["agency"]["code"])


def replay_raw(engine: Engine, raw: dict[str, Any]) -> None:
    with unit_of_work(engine) as session:
        replay(session, parse(raw), TODAY, TODAY)


def export_file(
    engine: Engine, code: str, path: Path, *, year: int | None = None, mask: bool = False
) -> Path:
    with Session(engine) as session:
        export_ledger(
            session, agency_by_code(session, code), year, path, mask=mask, created=utcnow()
        )
    return path


def figures(engine: Engine, code: str, year: int) -> dict[str, Any]:
    """A year's figures as data: table 三, table 四 and the fee statement (table 二 is entered
    per year, not in a ledger)."""
    with Session(engine) as session:
        data = report(session, agency_by_code(session, code), year, utcnow()).as_json()
    return {key: data[key] for key in ("requests", "appeals", "fees")}


def total_new(data: dict[str, Any]) -> int:
    return int(data["requests"]["rows"]["new"][-1])


def on(text: str) -> date:
    return date.fromisoformat(text)
