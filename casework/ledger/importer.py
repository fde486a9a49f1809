"""Checking and importing a ledger: every row through `replay`, in the caller's transaction.

Each well-formed row is replayed as a one-case history inside a savepoint, so a row the
workflow refuses is rolled back alone and reported, and the others still meet the real rules
(case numbers already taken, expiries, dates). The caller commits only when no row is broken
and it is not a dry run: the dry run is the import, rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from casework.errors import CaseworkError, Invalid
from casework.ledger.reader import Ledger
from casework.ledger.rows import LedgerRow, RowReader
from casework.models import Agency, Case
from casework.services.directory import ensure_agency
from casework.services.replay import FileAgency, ReplayFile, ReplayResult, replay
from casework.services.snapshots import contexts_for
from workflows.clocks import Clock
from workflows.outcomes import OUTCOME_BY_CODE
from workflows.states import State


@dataclass
class LedgerImport:
    agency: str
    rows: int = 0  # data rows read
    applied: ReplayResult = field(default_factory=lambda: ReplayResult(agency=""))
    problems: list[str] = field(default_factory=list)  # one line per broken row
    warnings: list[str] = field(default_factory=list)  # imported, but worth a look

    @property
    def ok(self) -> bool:
        return not self.problems


Progress = Callable[[int], None]


def import_ledger(
    session: Session,
    ledger: Ledger,
    agency: FileAgency,
    until: date,
    today: date,
    progress: Progress | None = None,
) -> LedgerImport:
    """Apply every row; broken rows are reported (not applied). The caller commits only if
    `ok` and not a dry run — otherwise it rolls back and nothing is imported."""
    if until > today:
        raise Invalid(f"--until {until} 晚于今日 {today}")
    if ledger.plan.missing_required:
        names = "、".join(c.header for c in ledger.plan.missing_required)
        raise Invalid(
            f"台账缺少必需的列：{names}（可用映射文件的 columns 指明，或用 defaults 给出默认值）"
        )
    row_agency = ensure_agency(session, agency.code, agency.name, agency.parent)
    result = LedgerImport(agency=row_agency.code)
    result.applied.agency, result.applied.until = row_agency.code, until
    reader = RowReader(ledger.plan)
    seen: dict[str, int] = {}
    applied: dict[int, int] = {}  # case id → row number
    for number, cells in ledger.rows():
        result.rows += 1
        row = reader.read(number, cells)
        if row.ref is not None and row.ref in seen:
            row.problems.append(f"编号“{row.ref}”与第{seen[row.ref]}行重复")
        elif row.ref is not None:
            seen[row.ref] = number
        if row.problems:
            result.problems.append(row.line())
        else:
            case_id = _apply(session, row, row_agency, agency, until, today, result)
            if case_id is not None:
                applied[case_id] = number
        if progress is not None:
            progress(1)
    result.warnings = _late(session, applied)
    return result


def _apply(
    session: Session,
    row: LedgerRow,
    agency: Agency,
    file_agency: FileAgency,
    until: date,
    today: date,
    result: LedgerImport,
) -> int | None:
    """Replay one row in a savepoint: its case's id, or None when refused (rolled back)."""
    assert row.case is not None
    savepoint = session.begin_nested()
    try:
        applied = replay(session, ReplayFile(agency=file_agency, cases=[row.case]), until, today)
        case = session.exec(
            select(Case).where(Case.agency_id == agency.id, Case.ref == row.case.ref)
        ).one()
        mismatch = _expected(row, case)
    except CaseworkError as error:
        savepoint.rollback()
        row.problems.append(row.refusal(error))
        result.problems.append(row.line())
        return None
    if mismatch:
        savepoint.rollback()
        row.problems.append(mismatch)
        result.problems.append(row.line())
        return None
    savepoint.commit()
    total = result.applied
    total.cases += applied.cases
    total.actions += applied.actions
    total.expiries += applied.expiries
    total.held += applied.held
    return case.id


def _expected(row: LedgerRow, case: Case) -> str | None:
    """A deemed abandonment the ledger records must be what the rules made of the row."""
    expect = row.expect
    if expect is None:
        return None
    if case.outcome != expect.outcome:
        now = State(case.state).label
        if case.outcome:
            now += f"，{OUTCOME_BY_CODE[case.outcome].full_label}"
        return f"{expect.outcome_cell}与按期限规则导入的结果不符：导入后案件为“{now}”"
    if expect.on is not None and case.concluded_on != expect.on:
        return (
            f"{expect.date_cell}与依法推算的视为放弃之日 {case.concluded_on} 不一致"
            "（期限最后一日的次日；留空则按推算）"
        )
    return None


def _late(session: Session, rows: dict[int, int], batch: int = 500) -> list[str]:
    """Deadlines the agency missed, as the clocks derive them (imported, but worth knowing);
    the cases' clocks are computed a batch at a time."""
    notes: list[tuple[int, str]] = []
    ids = list(rows)
    for start in range(0, len(ids), batch):
        cases = session.exec(select(Case).where(col(Case.id).in_(ids[start : start + batch]))).all()
        for case_id, context in contexts_for(session, cases).items():
            for view in context.clocks.views:
                if view.met is not False:
                    continue
                if view.clock is Clock.CORRECTION_NOTICE:
                    text = f"补正告知晚于收到申请后7个工作日的期限（{view.due}，条例第三十条）"
                elif view.clock is Clock.REPLY:
                    text = f"答复晚于答复期限（{view.due}）"
                else:
                    continue
                notes.append((rows[case_id], text))
    return [f"第{number}行 {text}" for number, text in sorted(notes)]
