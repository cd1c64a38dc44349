"""agreements numbered in their own register

Revision ID: 0007
Revises: 0006

Review #39: an agreement is a contract, not a letter, so it is numbered in an agreements' register,
not the outgoing-mail one. ``register`` joins the counters' key and the documents' unique number;
every document issued so far stays in the register it was numbered in, ``outgoing``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _register() -> sa.Column[str]:
    return sa.Column("register", sa.String(length=16), server_default="outgoing", nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("document_counters", schema=None) as batch_op:
        batch_op.add_column(_register())
        batch_op.drop_constraint("pk_document_counters", type_="primary")
        batch_op.create_primary_key("pk_document_counters", ["creditor_id", "register", "year"])
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.add_column(_register())
        batch_op.drop_constraint("uq_issued_documents_creditor_id_year_sequence", type_="unique")
        batch_op.create_unique_constraint(
            "uq_issued_documents_creditor_id_register_year_sequence",
            ["creditor_id", "register", "year", "sequence"],
        )


def downgrade() -> None:
    # Back to one register: only possible while no agreement was numbered in its own register
    # (two documents would then share a year and sequence).
    bind = op.get_bind()
    apart = bind.execute(
        sa.text("SELECT COUNT(*) FROM issued_documents WHERE register <> 'outgoing'")
    ).scalar_one()
    if apart:
        raise RuntimeError(
            f"{apart} documents are numbered in another register than outgoing: cannot downgrade"
        )
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_issued_documents_creditor_id_register_year_sequence", type_="unique"
        )
        batch_op.create_unique_constraint(
            "uq_issued_documents_creditor_id_year_sequence", ["creditor_id", "year", "sequence"]
        )
        batch_op.drop_column("register")
    op.execute("DELETE FROM document_counters WHERE register <> 'outgoing'")
    with op.batch_alter_table("document_counters", schema=None) as batch_op:
        batch_op.drop_constraint("pk_document_counters", type_="primary")
        batch_op.create_primary_key("pk_document_counters", ["creditor_id", "year"])
        batch_op.drop_column("register")
