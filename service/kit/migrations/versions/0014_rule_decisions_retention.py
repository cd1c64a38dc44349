"""rule decisions, case retention state, audit events by subject

Revision ID: 0014
Revises: 0013

- ``rule_decisions``: what the rules decided on each real issuing attempt, refusals included.
- ``case_retention``: a case's legal hold and its anonymisation once past retention.
- an index on ``audit_events (creditor_id, subject)``: a case's history reads its own events,
  not the creditor's whole chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rule_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=True),
        sa.Column("requested_at", MOMENT, nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("passes_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_rule_decisions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_rule_decisions_creditor_id_creditors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_decisions")),
    )
    op.create_index(
        "ix_rule_decisions_case_requested", "rule_decisions", ["case_id", "requested_at"]
    )
    op.create_index(op.f("ix_rule_decisions_creditor_id"), "rule_decisions", ["creditor_id"])

    op.create_table(
        "case_retention",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("hold_reason", sa.Text(), nullable=True),
        sa.Column("hold_placed_at", MOMENT, nullable=True),
        sa.Column("hold_placed_by", sa.String(length=64), nullable=True),
        sa.Column("anonymised_at", MOMENT, nullable=True),
        sa.Column("anonymised_policy", sa.String(length=64), nullable=True),
        sa.Column("retention_ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_retention_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_case_retention_creditor_id_creditors")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_retention")),
    )
    op.create_index(op.f("ix_case_retention_creditor_id"), "case_retention", ["creditor_id"])

    op.create_index("ix_audit_events_creditor_subject", "audit_events", ["creditor_id", "subject"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_creditor_subject", table_name="audit_events")
    op.drop_index(op.f("ix_case_retention_creditor_id"), table_name="case_retention")
    op.drop_table("case_retention")
    op.drop_index(op.f("ix_rule_decisions_creditor_id"), table_name="rule_decisions")
    op.drop_index("ix_rule_decisions_case_requested", table_name="rule_decisions")
    op.drop_table("rule_decisions")
