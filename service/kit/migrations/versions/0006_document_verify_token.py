"""a public verification token per document

Revision ID: 0006
Revises: 0005

- ``issued_documents.verify_token``: the unguessable part of the public verification URL
  (``/verify/<token>``, no API key; finding #19). Every document issued before gets its own
  random token here; its PDF still prints the keyed URL it was issued with, while its record
  answers the public one.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NOT NULL with a placeholder default, filled at once, then (PostgreSQL) the default
    # dropped. No batch rebuild of the table on SQLite: it would trip the foreign keys of the
    # rows that refer to the documents (see 0005's downgrade).
    bind = op.get_bind()
    op.add_column(
        "issued_documents",
        sa.Column("verify_token", sa.String(length=64), nullable=False, server_default=""),
    )
    documents = sa.table("issued_documents", sa.column("id"), sa.column("verify_token"))
    for (document_id,) in bind.execute(sa.select(documents.c.id)).all():
        bind.execute(
            documents.update()
            .where(documents.c.id == document_id)
            .values(verify_token=secrets.token_urlsafe(24))
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("issued_documents", "verify_token", server_default=None)
    op.create_index(
        op.f("ix_issued_documents_verify_token"),
        "issued_documents",
        ["verify_token"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_documents_verify_token"), table_name="issued_documents")
    # A plain DROP COLUMN (SQLite ≥ 3.35 has it), as in 0005.
    op.execute("ALTER TABLE issued_documents DROP COLUMN verify_token")
