"""post lists: registered post, courier and hand delivery lists and their lines

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "post_lists",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_post_lists_creditor_id_creditors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_lists")),
        sa.UniqueConstraint(
            "creditor_id", "year", "sequence", name=op.f("uq_post_lists_creditor_id_year_sequence")
        ),
    )
    with op.batch_alter_table("post_lists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_lists_creditor_id"), ["creditor_id"], unique=False
        )

    op.create_table(
        "post_list_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("document_number", sa.String(length=32), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("addressee", sa.String(length=300), nullable=False),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_post_list_lines_delivery_id_deliveries"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_post_list_lines_document_id_issued_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"], ["post_lists.id"], name=op.f("fk_post_list_lines_list_id_post_lists")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_list_lines")),
        sa.UniqueConstraint(
            "list_id", "position", name=op.f("uq_post_list_lines_list_id_position")
        ),
    )
    with op.batch_alter_table("post_list_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_list_lines_delivery_id"), ["delivery_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_post_list_lines_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_post_list_lines_list_id"), ["list_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post_list_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_list_lines_list_id"))
        batch_op.drop_index(batch_op.f("ix_post_list_lines_document_id"))
        batch_op.drop_index(batch_op.f("ix_post_list_lines_delivery_id"))

    op.drop_table("post_list_lines")
    with op.batch_alter_table("post_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_lists_creditor_id"))

    op.drop_table("post_lists")
