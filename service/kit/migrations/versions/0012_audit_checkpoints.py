"""signed checkpoints of each audit log's Merkle tree

Revision ID: 0012
Revises: 0011

``audit_checkpoints``: per log (a creditor id, or ``global`` as in ``audit_chain_heads``) and tree
size, the RFC 9162 root, when, the signature over the checkpoint text and the signer certificate.
Nothing existing changes: the tree is recomputed from ``audit_events`` as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chain", sa.String(length=36), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("signer_certificate", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
        sa.UniqueConstraint(
            "chain", "tree_size", name=op.f("uq_audit_checkpoints_chain_tree_size")
        ),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
