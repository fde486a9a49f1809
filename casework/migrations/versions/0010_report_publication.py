"""report publication: published annual reports and their files (append-only); agency.report_due

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import casework.models.types
from casework.append_only import create_guard, drop_guard

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("as_of", casework.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("published_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("published_at", casework.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "year", "revision"),
    )
    with op.batch_alter_table("report_publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_publication_agency_id"), ["agency_id"], unique=False
        )
    op.create_table(
        "report_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["report_publication.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("publication_id", "format"),
    )
    with op.batch_alter_table("report_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_file_publication_id"), ["publication_id"], unique=False
        )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("report_due", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True)
        )
    create_guard("report_publication")
    create_guard("report_file")


def downgrade() -> None:
    drop_guard("report_file")
    drop_guard("report_publication")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("report_due")
    op.drop_table("report_file")
    op.drop_table("report_publication")
