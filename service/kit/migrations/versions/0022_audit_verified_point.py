"""audit checkpoints remember the last event they cover (its id and hash)

A checkpoint is signed only after the whole chain up to it re-hashed cleanly; keeping that
event's id and hash lets verifying a document re-hash only the events after it (review D16).
Older checkpoints keep NULL: verification then reads the whole chain, as before.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.add_column(sa.Column("last_event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.drop_column("last_hash")
        batch.drop_column("last_event_id")
