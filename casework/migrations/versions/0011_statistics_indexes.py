"""statistics indexes: a year's figures from indexes alone (DESIGN §3.6, §8)

- `ix_cases_statistics`: a covering index on cases (agency, conclusion, receipt, outcome,
  column, state, created_at, origin_appeal_id, id) — table 三 reads the cases' own standing
  from it, the cases of a period as two ranges (open; concluded from the period's start on);
- `case_conclusion.received_on`: the case's receipt date on each ledger row (filled in from
  the cases; the guard that makes the ledger append-only is lifted for that and put back),
  and `ix_case_conclusion_agency_recorded` (agency, recorded_at, received_on, case_id)
  instead of the index on agency_id alone: the cases received by a period's end whose
  standing changed after T;
- `ix_appeal_event_recorded` (recorded_at, appeal_id): the appeals with events recorded
  after T (table 四);
- `ix_case_event_action_effective` (action, effective_on, case_id, recorded_at): the cases
  with fee events in a year (the fee statement).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.append_only import create_guard, drop_guard

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATISTICS_COLUMNS = [
    "agency_id",
    "concluded_on",
    "received_on",
    "outcome",
    "applicant_kind",
    "state",
    "created_at",
    "origin_appeal_id",
    "id",
]


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_statistics", STATISTICS_COLUMNS, unique=False)
    drop_guard("case_conclusion")
    with op.batch_alter_table("case_conclusion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE case_conclusion SET received_on = "
        "(SELECT cases.received_on FROM cases WHERE cases.id = case_conclusion.case_id)"
    )
    with op.batch_alter_table("case_conclusion", schema=None) as batch_op:
        batch_op.alter_column("received_on", existing_type=sa.Date(), nullable=False)
        batch_op.drop_index("ix_case_conclusion_agency_id")
        batch_op.create_index(
            "ix_case_conclusion_agency_recorded",
            ["agency_id", "recorded_at", "received_on", "case_id"],
            unique=False,
        )
    create_guard("case_conclusion")
    with op.batch_alter_table("appeal_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appeal_event_recorded", ["recorded_at", "appeal_id"], unique=False
        )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_event_action_effective",
            ["action", "effective_on", "case_id", "recorded_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index("ix_case_event_action_effective")
    with op.batch_alter_table("appeal_event", schema=None) as batch_op:
        batch_op.drop_index("ix_appeal_event_recorded")
    drop_guard("case_conclusion")
    with op.batch_alter_table("case_conclusion", schema=None) as batch_op:
        batch_op.drop_index("ix_case_conclusion_agency_recorded")
        batch_op.create_index("ix_case_conclusion_agency_id", ["agency_id"], unique=False)
        batch_op.drop_column("received_on")
    create_guard("case_conclusion")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_statistics")
