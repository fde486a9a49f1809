"""Reading published reports: a year's revisions and their stored files (no rendering here, so
the document, the drift and the doors can all look a publication up without a cycle)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from casework.models import ReportFile, ReportPublication


def latest(
    session: Session,
    agency_id: int,
    year: int,
    *,
    revision: int | None = None,
    published_by: datetime | None = None,
) -> ReportPublication | None:
    """The year's latest revision (or the one asked for); with `published_by`, the latest
    published at or before that instant — what a report as of then saw."""
    query = select(ReportPublication).where(
        ReportPublication.agency_id == agency_id, ReportPublication.year == year
    )
    if revision is not None:
        query = query.where(ReportPublication.revision == revision)
    if published_by is not None:
        query = query.where(col(ReportPublication.published_at) <= published_by)
    return session.exec(query.order_by(col(ReportPublication.revision).desc()).limit(1)).first()


def revisions(session: Session, agency_id: int, year: int) -> list[ReportPublication]:
    return list(
        session.exec(
            select(ReportPublication)
            .where(ReportPublication.agency_id == agency_id, ReportPublication.year == year)
            .order_by(col(ReportPublication.revision))
        ).all()
    )


def stored_files(session: Session, publication: ReportPublication) -> list[ReportFile]:
    """The publication's files, in the order they were published (the registry's order)."""
    return list(
        session.exec(
            select(ReportFile)
            .where(ReportFile.publication_id == publication.id)
            .order_by(col(ReportFile.id))
        ).all()
    )
