"""campaigns: campaigns, their runs, and each run's drafts

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("language_rule", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_campaigns_creditor_id_creditors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_creditor_id"), "campaigns", ["creditor_id"], unique=False)
    op.create_table(
        "campaign_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", moment, nullable=True),
        sa.Column("drafts_digest", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_runs_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_campaign_runs_creditor_id_creditors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_runs")),
        sa.UniqueConstraint(
            "campaign_id", "period", name=op.f("uq_campaign_runs_campaign_id_period")
        ),
    )
    op.create_index(
        op.f("ix_campaign_runs_campaign_id"), "campaign_runs", ["campaign_id"], unique=False
    )
    op.create_index(
        op.f("ix_campaign_runs_creditor_id"), "campaign_runs", ["creditor_id"], unique=False
    )
    op.create_table(
        "campaign_drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=True),
        sa.Column("facts_digest", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("delivery_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_campaign_drafts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_campaign_drafts_delivery_id_deliveries"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_campaign_drafts_document_id_issued_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["campaign_runs.id"], name=op.f("fk_campaign_drafts_run_id_campaign_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_drafts")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_campaign_drafts_delivery_id")),
        sa.UniqueConstraint("document_id", name=op.f("uq_campaign_drafts_document_id")),
        sa.UniqueConstraint("run_id", "case_id", name=op.f("uq_campaign_drafts_run_id_case_id")),
    )
    op.create_index(
        op.f("ix_campaign_drafts_case_id"), "campaign_drafts", ["case_id"], unique=False
    )
    op.create_index(
        "ix_campaign_drafts_run_id_status", "campaign_drafts", ["run_id", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_campaign_drafts_run_id_status", table_name="campaign_drafts")
    op.drop_index(op.f("ix_campaign_drafts_case_id"), table_name="campaign_drafts")
    op.drop_table("campaign_drafts")
    op.drop_index(op.f("ix_campaign_runs_creditor_id"), table_name="campaign_runs")
    op.drop_index(op.f("ix_campaign_runs_campaign_id"), table_name="campaign_runs")
    op.drop_table("campaign_runs")
    op.drop_index(op.f("ix_campaigns_creditor_id"), table_name="campaigns")
    op.drop_table("campaigns")
