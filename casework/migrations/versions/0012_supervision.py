"""supervision: a district office's 督办 of a sub-agency's case (append-only; DESIGN §1)

A record of its own, not a case event: case, the case's agency, the supervising office, who,
the note, an optional day to act by, when; `key` is unique (a double submit is one record).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import casework.models.types
from casework.append_only import create_guard, drop_guard

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("supervising_agency_id", sa.Integer(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=True),
        sa.Column("created_at", casework.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["by_user_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["supervising_agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_supervision_supervising_case", ["supervising_agency_id", "case_id"], unique=False
        )
    create_guard("supervision")


def downgrade() -> None:
    drop_guard("supervision")
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_supervising_case")
        batch_op.drop_index(batch_op.f("ix_supervision_case_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_agency_id"))
    op.drop_table("supervision")
