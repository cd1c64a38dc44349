"""audit chain heads, Idempotency-Key claims, deadline and route columns on documents

Revision ID: 0005
Revises: 0004

- ``audit_chain_heads``: each chain's last event (its lock row), filled from the events.
- ``idempotency_keys``: claims taken before rendering, filled from the documents' keys.
- ``issued_documents.deadline`` and ``.route``: read by the rules instead of the snapshot,
  filled from each document's snapshot and request.
- An agreement row for every restructuring document issued before agreements were recorded
  (from its snapshot), so no code reads schedules back from snapshots any more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_chain_heads",
        sa.Column("chain", sa.String(length=36), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_heads")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("creditor_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creditor_id"],
            ["creditors.id"],
            name=op.f("fk_idempotency_keys_creditor_id_creditors"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_idempotency_keys_document_id_issued_documents"),
        ),
        sa.PrimaryKeyConstraint("creditor_id", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("route", sa.String(length=16), nullable=True))
    _fill(op.get_bind())


def _fill(bind: sa.Connection) -> None:
    meta = sa.MetaData()
    events = sa.Table("audit_events", meta, autoload_with=bind)
    heads = sa.Table("audit_chain_heads", meta, autoload_with=bind)
    documents = sa.Table("issued_documents", meta, autoload_with=bind)
    keys = sa.Table("idempotency_keys", meta, autoload_with=bind)
    agreements = sa.Table("agreements", meta, autoload_with=bind)

    last: dict[str, tuple[int, str]] = {}
    query = sa.select(events.c.id, events.c.creditor_id, events.c.hash).order_by(events.c.id)
    for event in bind.execute(query).mappings():
        last[event["creditor_id"] or "global"] = (event["id"], event["hash"])  # the last wins
    if last:
        bind.execute(
            heads.insert(),
            [{"chain": c, "last_event_id": i, "last_hash": h} for c, (i, h) in last.items()],
        )

    with_agreement = set(bind.execute(sa.select(agreements.c.document_id)).scalars())
    for row in bind.execute(sa.select(documents)).mappings().all():
        snapshot: dict[str, Any] = row["snapshot"] or {}
        request: dict[str, Any] = row["request"] or {}
        deadline = snapshot.get("deadline")
        bind.execute(
            documents.update()
            .where(documents.c.id == row["id"])
            .values(
                deadline=dt.date.fromisoformat(deadline) if deadline else None,
                route=request.get("route") if row["kind"] == "pretrial" else None,
            )
        )
        if row["idempotency_key"]:
            bind.execute(
                keys.insert().values(
                    creditor_id=row["creditor_id"],
                    key=row["idempotency_key"],
                    request_hash=row["request_hash"],
                    document_id=row["id"],
                    created_at=row["created_at"],
                )
            )
        terms = snapshot.get("restructuring")
        if row["kind"] == "restructuring" and terms and row["id"] not in with_agreement:
            bind.execute(agreements.insert().values(**_agreement(row, terms)))


def _agreement(document: Any, terms: dict[str, Any]) -> dict[str, Any]:
    totals = terms["totals"]
    waived = Decimal(terms["acknowledged"]["penalty"]) - Decimal(totals["penalty"])
    return {
        "id": str(uuid.uuid4()),
        "creditor_id": document["creditor_id"],
        "case_id": document["case_id"],
        "document_id": document["id"],
        "schedule": {
            "instalments": list(terms["schedule"]),
            "principal": {"current": totals["current"], "savings": totals["savings"]},
            "penalty": totals["penalty"],
            "penalty_waived": str(waived.quantize(Decimal("0.01"))),
            "penalty_account": terms["penalty_account"],
        },
        "terms": {
            "grace_days": int(terms["grace_days"]),
            "default_after_days": int(terms["default_after_days"]),
        },
        "state": "issued",
        "issued_on": document["issue_date"],
        "signed_on": None,
        "signed_recorded_at": None,
        "created_at": document["created_at"],
    }


def downgrade() -> None:
    # The agreements filled in by the upgrade stay: they are what the documents say.
    op.drop_table("idempotency_keys")
    op.drop_table("audit_chain_heads")
    # A plain DROP COLUMN (SQLite ≥ 3.35 has it): a batch rebuild of the table would trip the
    # foreign keys of the rows that refer to the documents.
    op.execute("ALTER TABLE issued_documents DROP COLUMN route")
    op.execute("ALTER TABLE issued_documents DROP COLUMN deadline")
