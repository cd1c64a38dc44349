"""creditors: one creditor per БИН (a unique index on creditors.bin)

Two creditors with one БИН each numbered their documents from 2026-00001, so the association's
outgoing register was no longer unique (reliability review D8). A database that already holds
such a pair is not merged here: both have issued numbered, signed documents, and which one is the
creditor is an operator's decision. The upgrade stops and names the БИН and the creditors' ids.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _duplicates() -> list[tuple[str, str]]:
    rows = op.get_bind().execute(
        sa.text(
            "SELECT bin, id FROM creditors WHERE bin IN "
            "(SELECT bin FROM creditors GROUP BY bin HAVING COUNT(*) > 1) ORDER BY bin, created_at"
        )
    )
    return [(str(bin_), str(id_)) for bin_, id_ in rows]


def upgrade() -> None:
    duplicates = _duplicates()
    if duplicates:
        listed = "; ".join(f"БИН {bin_}: creditor {id_}" for bin_, id_ in duplicates)
        raise RuntimeError(
            "several creditors share a БИН, so the unique index on creditors.bin cannot be "
            f"made ({listed}); keep one creditor per БИН (move or retire the others' keys) and "
            "migrate again"
        )
    with op.batch_alter_table("creditors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creditors_bin"))
        batch_op.create_index(batch_op.f("ix_creditors_bin"), ["bin"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("creditors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creditors_bin"))
        batch_op.create_index(batch_op.f("ix_creditors_bin"), ["bin"], unique=False)
