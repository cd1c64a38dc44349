"""SMS messages and accepted gateway callbacks; webhook endpoints, attempts, announcements

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sms_messages",
        sa.Column("reference", sa.String(length=36), nullable=False),
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("gateway", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("encoding", sa.String(length=8), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditors.id"], name=op.f("fk_sms_messages_creditor_id_creditors")
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"], name=op.f("fk_sms_messages_delivery_id_deliveries")
        ),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_sms_messages")),
        sa.UniqueConstraint(
            "gateway", "message_id", name=op.f("uq_sms_messages_gateway_message_id")
        ),
    )
    op.create_index(op.f("ix_sms_messages_creditor_id"), "sms_messages", ["creditor_id"])
    op.create_index(op.f("ix_sms_messages_delivery_id"), "sms_messages", ["delivery_id"])
    op.create_table(
        "sms_callbacks",
        sa.Column("gateway", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("gateway", "signature", name=op.f("pk_sms_callbacks")),
    )
    op.create_index(op.f("ix_sms_callbacks_received_at"), "sms_callbacks", ["received_at"])
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("deleted_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["creditor_id"],
            ["creditors.id"],
            name=op.f("fk_webhook_endpoints_creditor_id_creditors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
        sa.UniqueConstraint(
            "creditor_id", "name", name=op.f("uq_webhook_endpoints_creditor_id_name")
        ),
    )
    op.create_index(op.f("ix_webhook_endpoints_creditor_id"), "webhook_endpoints", ["creditor_id"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("endpoint_id", sa.String(length=36), nullable=False),
        sa.Column("outbox_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_attempts_endpoint_id_webhook_endpoints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
    )
    op.create_index(op.f("ix_webhook_attempts_endpoint_id"), "webhook_attempts", ["endpoint_id"])
    op.create_index(op.f("ix_webhook_attempts_outbox_id"), "webhook_attempts", ["outbox_id"])
    op.create_table(
        "webhook_announcements",
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["creditor_id"],
            ["creditors.id"],
            name=op.f("fk_webhook_announcements_creditor_id_creditors"),
        ),
        sa.PrimaryKeyConstraint(
            "creditor_id", "event_type", "subject", name=op.f("pk_webhook_announcements")
        ),
    )


def downgrade() -> None:
    op.drop_table("webhook_announcements")
    op.drop_index(op.f("ix_webhook_attempts_outbox_id"), table_name="webhook_attempts")
    op.drop_index(op.f("ix_webhook_attempts_endpoint_id"), table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_index(op.f("ix_webhook_endpoints_creditor_id"), table_name="webhook_endpoints")
    op.drop_table("webhook_endpoints")
    op.drop_index(op.f("ix_sms_callbacks_received_at"), table_name="sms_callbacks")
    op.drop_table("sms_callbacks")
    op.drop_index(op.f("ix_sms_messages_delivery_id"), table_name="sms_messages")
    op.drop_index(op.f("ix_sms_messages_creditor_id"), table_name="sms_messages")
    op.drop_table("sms_messages")
