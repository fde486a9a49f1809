"""Migration 0011 copies each case's receipt date onto its existing conclusion-ledger rows and
leaves the ledger append-only, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from casework.migrate import alembic_config, upgrade

ROWS = (
    "INSERT INTO agency (id, code, name, supervises_subtree, active, signoff_required,"
    " post_grace_days, correction_period_wd, count_follow_up_cases, remind_before_wd,"
    " remind_at, escalate_overdue, created_at)"
    " VALUES (1, 'a', '甲局', false, true, false, 0, 15, true, '5,2', '09:00', true,"
    " CURRENT_TIMESTAMP)",
    "INSERT INTO applicant (id, kind, name, created_at)"
    " VALUES (1, 'natural_person', '张三', CURRENT_TIMESTAMP)",
    "INSERT INTO cases (id, agency_id, ref, applicant_id, applicant_kind, channel, received_on,"
    " request_text, state, outcome, concluded_on, workflow_version, version, reply_paused,"
    " due_provisional, created_at, updated_at)"
    " VALUES (1, 1, 'R1', 1, 'natural_person', 'online', '2024-03-04', 'x', 'disclosed',"
    " 'disclosed', '2024-03-20', 1, 3, false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO case_conclusion (id, case_id, agency_id, applicant_kind, outcome,"
    " concluded_on, voided, event_seq, recorded_at)"
    " VALUES (1, 1, 1, 'natural_person', 'disclosed', '2024-03-20', false, 3,"
    " CURRENT_TIMESTAMP)",
)


@pytest.fixture
def upgraded(engine: Engine) -> Iterator[Engine]:
    """A database at 0010 with one concluded case, then upgraded to head."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade(engine)
    yield engine


def test_existing_ledger_rows_get_their_cases_receipt_date(upgraded: Engine) -> None:
    with upgraded.connect() as connection:
        received = connection.execute(text("SELECT received_on FROM case_conclusion")).scalar()
    assert received in (date(2024, 3, 4), "2024-03-04")  # SQLite gives the stored text


def test_the_ledger_stays_append_only(upgraded: Engine) -> None:
    with pytest.raises(DBAPIError, match="append-only"), upgraded.begin() as connection:
        connection.execute(text("UPDATE case_conclusion SET voided = true"))
