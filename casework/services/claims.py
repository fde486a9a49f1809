"""Atomic claims of due rows, shared by the timer sweep and the delivery queue: PostgreSQL
`FOR UPDATE SKIP LOCKED`, SQLite a conditional `UPDATE … RETURNING` (one writer at a time), so
overlapping sweeps never take the same row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, SQLModel, col, select


def claim(
    session: Session,
    table: type[SQLModel],
    due: ColumnElement[bool],
    order_by: tuple[Any, ...],
    values: dict[str, Any],
    limit: int,
) -> list[int]:
    """Set `values` on up to `limit` rows matching `due`; return their ids."""
    ident = col(table.id)  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        ids = [
            int(i)
            for i in session.exec(
                select(ident)
                .where(due)
                .order_by(*order_by)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
        ]
        if ids:
            session.execute(update(table).where(ident.in_(ids)).values(**values))
        return ids
    picked = select(ident).where(due).order_by(*order_by).limit(limit).scalar_subquery()
    result = session.execute(
        update(table).where(ident.in_(picked), due).values(**values).returning(ident)
    )
    return sorted(int(row[0]) for row in result.all())
