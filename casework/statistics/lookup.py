"""`IN` and `NOT IN` a subquery, written so that each database looks rows up by index.

The statistics restrict a scan to the rows (not) changed after T: usually few, after an old T
many. SQLite indexes an `IN (subquery)` list either way. PostgreSQL may plan `IN (subquery)` as
a semi-join that scans the whole table, and hashes a `NOT IN` list only while it fits in
work_mem — beyond, it scans the list for every row; there the first is `= ANY(array(…))`
(looked up one by one) and the second `NOT EXISTS (…)` (an anti-join).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Select, any_, func
from sqlmodel import Session


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column: Any, ids: Select[Any]) -> ColumnElement[bool]:
    """`column IN (ids)`."""
    if _postgresql(session):
        return cast(ColumnElement[bool], column == any_(func.array(ids.scalar_subquery())))
    return cast(ColumnElement[bool], column.in_(ids))


def not_among(
    session: Session, column: Any, ids: Select[Any], same_rows: Select[Any]
) -> ColumnElement[bool]:
    """`column NOT IN (ids)`; `same_rows` selects the same rows correlated to the outer row
    (its `NOT EXISTS` on PostgreSQL)."""
    if _postgresql(session):
        return ~same_rows.exists()
    return cast(ColumnElement[bool], column.not_in(ids))
