"""creditor form wide enough for management_company

Revision ID: 0008
Revises: 0007

``creditors.form`` was VARCHAR(16): PostgreSQL refused «management_company» (18 characters), so a
management company could not register (#1).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite does not enforce a VARCHAR length (and rebuilding the table would
        # drop a referenced table under foreign keys)
    with op.batch_alter_table("creditors", schema=None) as batch_op:
        batch_op.alter_column(
            "form", existing_type=sa.String(length=16), type_=sa.String(length=32)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    with op.batch_alter_table("creditors", schema=None) as batch_op:
        batch_op.alter_column(
            "form", existing_type=sa.String(length=32), type_=sa.String(length=16)
        )
