"""case log: calls, visits, promises to pay, hardship notes, debtor requests

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_log_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("amount_tiyn", sa.BigInteger(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("request", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_log_entries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"],
            ["creditors.id"],
            name=op.f("fk_case_log_entries_creditor_id_creditors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_log_entries")),
    )
    with op.batch_alter_table("case_log_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_log_entries_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_log_entries_creditor_id"), ["creditor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_log_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_log_entries_creditor_id"))
        batch_op.drop_index(batch_op.f("ix_case_log_entries_case_id"))
    op.drop_table("case_log_entries")
