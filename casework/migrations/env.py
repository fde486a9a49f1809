"""Alembic environment: runs on the connection `casework.migrate` hands over, or on the URL
from the settings when called by the alembic command line."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import casework.models  # noqa: F401  (registers the tables)
from casework.db import engine_for

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        with engine_for().connect() as conn:
            _run(conn)
            conn.commit()
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
