"""contract column sizes: columns as wide as the contract's fields that are stored in them

A debtor's ``full_name`` is up to 500 characters in the contract (``kit.fields.Text``) but was
stored in 300, and so was the post list's addressee copied from it; an audit event's subject is
``case:`` and an external id of up to 100 characters but was 100 wide. PostgreSQL answered 500
where SQLite stored the value (reliability review D5).

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

WIDENED = (
    ("debtors", "full_name", 300, 500),
    ("post_list_lines", "addressee", 300, 500),
    ("audit_events", "subject", 100, 200),
)


def upgrade() -> None:
    for table, column, before, after in WIDENED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                column, type_=sa.String(length=after), existing_type=sa.String(length=before)
            )


def downgrade() -> None:
    # Narrowing fails on PostgreSQL if a longer value was stored since: as it should.
    for table, column, before, after in WIDENED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                column, type_=sa.String(length=before), existing_type=sa.String(length=after)
            )
