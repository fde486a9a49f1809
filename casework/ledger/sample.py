"""The sample ledger under `examples/`: the demo history replayed into a scratch SQLite
database and exported, so the committed file can be rebuilt (and checked) at any time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from casework.db import make_engine, read_session, unit_of_work
from casework.ledger.exporter import ExportCount, export_ledger
from casework.migrate import upgrade
from casework.services.directory import agency_by_code
from casework.services.replay import load_file, replay

SAMPLE_CREATED = datetime(2024, 1, 1)  # the workbook's stamp: fixed, so rebuilds are identical


def build_sample(history: Path, output: Path, today: date, scratch: Path) -> ExportCount:
    """Replay `history` into a new database under `scratch` and export every case to `output`
    (personal data unmasked: the sample's applicants are placeholders)."""
    engine = make_engine(f"sqlite:///{(scratch / 'ledger-sample.sqlite').as_posix()}")
    try:
        upgrade(engine)
        data = load_file(history)
        with unit_of_work(engine) as session:
            replay(session, data, today, today)
        with read_session(engine) as session:
            agency = agency_by_code(session, data.agency.code)
            return export_ledger(session, agency, None, output, mask=False, created=SAMPLE_CREATED)
    finally:
        engine.dispose()
