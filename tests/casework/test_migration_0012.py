"""Migration 0012 adds the supervision table (督办) to a database holding cases, append-only and
with its key unique, on both databases; going down removes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from casework.migrate import alembic_config, upgrade

ROWS = (
    "INSERT INTO agency (id, code, name, supervises_subtree, active, signoff_required,"
    " post_grace_days, correction_period_wd, count_follow_up_cases, remind_before_wd,"
    " remind_at, escalate_overdue, created_at)"
    " VALUES (1, 'qu', '某区政务公开办', true, true, false, 0, 15, true, '5,2', '09:00', true,"
    " CURRENT_TIMESTAMP)",
    "INSERT INTO agency (id, code, name, parent_id, supervises_subtree, active,"
    " signoff_required, post_grace_days, correction_period_wd, count_follow_up_cases,"
    " remind_before_wd, remind_at, escalate_overdue, created_at)"
    " VALUES (2, 'a', '甲局', 1, false, true, false, 0, 15, true, '5,2', '09:00', true,"
    " CURRENT_TIMESTAMP)",
    "INSERT INTO app_user (id, username, display_name, active, created_at)"
    " VALUES (1, 'zhao', '赵主任', true, CURRENT_TIMESTAMP)",
    "INSERT INTO applicant (id, kind, name, created_at)"
    " VALUES (1, 'natural_person', '张三', CURRENT_TIMESTAMP)",
    "INSERT INTO cases (id, agency_id, ref, applicant_id, applicant_kind, channel, received_on,"
    " request_text, state, workflow_version, version, reply_paused, due_provisional,"
    " created_at, updated_at)"
    " VALUES (1, 2, 'R1', 1, 'natural_person', 'online', '2026-10-20', 'x', 'received', 1, 1,"
    " false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
)
SUPERVISION = (
    "INSERT INTO supervision (key, case_id, agency_id, supervising_agency_id, by_user_id, note,"
    " due_by, created_at) VALUES ('k1', 1, 2, 1, 1, '请尽快答复', '2026-12-01', CURRENT_TIMESTAMP)"
)


@pytest.fixture
def upgraded(engine: Engine) -> Iterator[Engine]:
    """A database at 0011 with a case, then upgraded to head."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert "supervision" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade(engine)
    yield engine


def test_a_supervision_of_an_existing_case_is_kept(upgraded: Engine) -> None:
    with upgraded.begin() as connection:
        connection.execute(text(SUPERVISION))
    with upgraded.connect() as connection:
        row = connection.execute(text("SELECT case_id, note FROM supervision")).one()
    assert tuple(row) == (1, "请尽快答复")


def test_supervisions_are_append_only_and_their_key_unique(upgraded: Engine) -> None:
    with upgraded.begin() as connection:
        connection.execute(text(SUPERVISION))
    for statement in ("UPDATE supervision SET note = 'x'", "DELETE FROM supervision"):
        with pytest.raises(DBAPIError, match="append-only"), upgraded.begin() as connection:
            connection.execute(text(statement))
    with pytest.raises(IntegrityError), upgraded.begin() as connection:
        connection.execute(text(SUPERVISION))


def test_going_down_removes_the_table_and_its_guard(upgraded: Engine) -> None:
    config = alembic_config()
    with upgraded.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert "supervision" not in inspect(upgraded).get_table_names()
    upgrade(upgraded)  # and up again: the guard is made afresh
    with upgraded.begin() as connection:
        connection.execute(text(SUPERVISION))
