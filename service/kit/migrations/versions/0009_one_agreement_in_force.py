"""one agreement in force per case (reliability review D4)

Revision ID: 0009
Revises: 0008

- A partial unique index on ``agreements.case_id`` where ``state = 'active'``: two signings on
  one case cannot both leave an active agreement, even when they race.
- Data: where a case already has several active agreements (possible before this change), the
  latest signed stays active and the earlier ones become ``closed`` (the payments after a later
  signing already counted for the later agreement only); open offers issued before that signing
  become ``superseded``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "uq_agreements_case_id_active"
WHERE = "state = 'active'"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, case_id, state, issued_on, signed_on, created_at FROM agreements "
            "ORDER BY case_id, signed_on, created_at"
        )
    ).all()
    latest: dict[str, sa.Row[tuple[object, ...]]] = {}
    for row in rows:
        if row.state == "active":
            previous = latest.get(row.case_id)
            if previous is not None:
                _set_state(bind, previous.id, "closed")
            latest[row.case_id] = row
    for row in rows:
        signed = latest.get(row.case_id)
        if row.state == "issued" and signed is not None and row.issued_on <= signed.signed_on:
            _set_state(bind, row.id, "superseded")
    op.create_index(
        INDEX,
        "agreements",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="agreements")


def _set_state(bind: sa.engine.Connection, agreement_id: str, state: str) -> None:
    bind.execute(
        sa.text("UPDATE agreements SET state = :state WHERE id = :id"),
        {"state": state, "id": agreement_id},
    )
