"""delivery attempts with their provider events

Revision ID: 0013
Revises: 0012

- ``deliveries`` becomes the attempt: ``status`` → ``state`` (the event status in force, now up
  to ``permanent_failure``), ``delivered_at`` → ``legal_date``, plus ``recipient``,
  ``state_at``, ``outcome`` (the legal outcome), ``actor``, ``updated_at``; tracking numbers
  are indexed (a return receipt is attached by its number).
- ``delivery_events``: every provider event a row, with the raw receipt's SHA-256.
- ``delivery_proofs.event_id``: the event a proof came with.
- Data: each existing delivery gets one event (``source`` ``migration``) carrying what the client
  reported: ``delivered``/``returned``/``refused`` as such, ``failed`` → ``permanent_failure``,
  ``pending`` → ``queued``; a reported date becomes noon in Kazakhstan of that day. Its proofs
  point at that event.
- Data: the policy parameter ``count_returned_refused`` moves from the two ladder rules to the
  one setting ``delivery-outcome``: a creditor's override row keeps its date and author.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATES = {"failed": "permanent_failure", "pending": "queued"}
OUTCOMES = {
    "delivered": "delivered",
    "returned": "returned",
    "refused": "refused",
    "failed": "not_delivered",
    "pending": "unknown",
}
KZ = dt.timezone(dt.timedelta(hours=5))
RULES = ("warning-after-reminder-delivery", "pretrial-after-warning-deadline")
SETTING = "delivery-outcome"


def upgrade() -> None:
    op.create_table(
        "delivery_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=True),
        sa.Column("receipt_size", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_events_delivery_id_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_events")),
    )
    with op.batch_alter_table("delivery_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_events_delivery_id"), ["delivery_id"], unique=False
        )

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column(
            "status",
            new_column_name="state",
            existing_type=sa.String(length=16),
            type_=sa.String(length=32),
            existing_nullable=False,
        )
        batch_op.alter_column("delivered_at", new_column_name="legal_date", existing_type=sa.Date())
        batch_op.add_column(sa.Column("recipient", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("state_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_deliveries_tracking_number"), ["tracking_number"], unique=False
        )

    with op.batch_alter_table("delivery_proofs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_delivery_proofs_event_id"), ["event_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_proofs_event_id_delivery_events"),
            "delivery_events",
            ["event_id"],
            ["id"],
        )

    bind = op.get_bind()
    _events_for_existing_deliveries(bind)
    _move_policy_parameter(bind)

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("outcome", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("actor", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def _events_for_existing_deliveries(bind: sa.engine.Connection) -> None:
    rows = bind.execute(
        sa.text("SELECT id, state, legal_date, recorded_at FROM deliveries ORDER BY recorded_at")
    ).all()
    events = sa.table(
        "delivery_events",
        sa.column("delivery_id", sa.String()),
        sa.column("status", sa.String()),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("source", sa.String()),
        sa.column("details", sa.JSON()),
    )
    for row in rows:
        recorded = _moment(row.recorded_at)
        day = _date(row.legal_date)
        occurred = (
            dt.datetime.combine(day, dt.time(12, 0), tzinfo=KZ).astimezone(dt.UTC)
            if day is not None
            else recorded
        )
        state = STATES.get(row.state, row.state)
        outcome = OUTCOMES.get(row.state, "unknown")
        bind.execute(
            events.insert().values(
                delivery_id=row.id,
                status=state,
                occurred_at=occurred,
                recorded_at=recorded,
                source="migration",
                details={"reported_status": row.state, "date_only": day is not None},
            )
        )
        bind.execute(
            sa.text(
                "UPDATE deliveries SET state = :state, state_at = :state_at, outcome = :outcome, "
                "legal_date = :legal_date, actor = :actor, updated_at = :updated_at "
                "WHERE id = :id"
            ),
            {
                "state": state,
                "state_at": occurred,
                "outcome": outcome,
                "legal_date": day if outcome in ("delivered", "returned", "refused") else None,
                "actor": "client",
                "updated_at": recorded,
                "id": row.id,
            },
        )
    bind.execute(
        sa.text(
            "UPDATE delivery_proofs SET event_id = (SELECT MIN(e.id) FROM delivery_events e "
            "WHERE e.delivery_id = delivery_proofs.delivery_id)"
        )
    )


def _move_policy_parameter(bind: sa.engine.Connection) -> None:
    """``count_returned_refused`` was a parameter of each of the two ladder rules; it is one
    setting now. The warning rule's rows decide (the pre-court rule's where a creditor set it only
    there): each of that rule's rows becomes a ``delivery-outcome`` row of the same date and
    author, with the value it set, or ``{}`` (the default) where it set other parameters only —
    a row replaced the rule's earlier override as a whole, so the timeline stays as it was."""
    overrides = sa.table(
        "policy_overrides",
        sa.column("id", sa.Integer()),
        sa.column("creditor_id", sa.String()),
        sa.column("rule_id", sa.String()),
        sa.column("parameters", sa.JSON()),
        sa.column("effective_from", sa.Date()),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String()),
    )
    rows = bind.execute(
        sa.select(overrides)
        .where(overrides.c.rule_id.in_(RULES))
        .order_by(overrides.c.effective_from, overrides.c.recorded_at, overrides.c.id)
    ).all()
    setters: dict[str, set[str]] = {}
    for row in rows:
        if "count_returned_refused" in _json(row.parameters):
            setters.setdefault(row.creditor_id, set()).add(row.rule_id)
    for row in rows:
        parameters = _json(row.parameters)
        value = parameters.pop("count_returned_refused", None)
        if value is not None:
            bind.execute(
                overrides.update().where(overrides.c.id == row.id).values(parameters=parameters)
            )
        ruled = setters.get(row.creditor_id, set())
        deciding = RULES[0] if RULES[0] in ruled else RULES[1]
        if row.rule_id != deciding or not ruled:
            continue
        bind.execute(
            overrides.insert().values(
                creditor_id=row.creditor_id,
                rule_id=SETTING,
                parameters={} if value is None else {"count_returned_refused": value},
                effective_from=row.effective_from,
                recorded_at=row.recorded_at,
                actor=row.actor,
            )
        )


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value)


def _moment(value: Any) -> dt.datetime:
    moment: dt.datetime = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def downgrade() -> None:
    with op.batch_alter_table("delivery_proofs", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_delivery_proofs_event_id_delivery_events"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_delivery_proofs_event_id"))
        batch_op.drop_column("event_id")
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE deliveries SET state = CASE state WHEN 'permanent_failure' THEN 'failed' "
            "WHEN 'delivered' THEN 'delivered' WHEN 'returned' THEN 'returned' "
            "WHEN 'refused' THEN 'refused' ELSE 'pending' END"
        )
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_tracking_number"))
        batch_op.drop_column("updated_at")
        batch_op.drop_column("actor")
        batch_op.drop_column("outcome")
        batch_op.drop_column("state_at")
        batch_op.drop_column("recipient")
        batch_op.alter_column("legal_date", new_column_name="delivered_at", existing_type=sa.Date())
        batch_op.alter_column(
            "state",
            new_column_name="status",
            existing_type=sa.String(length=32),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
    with op.batch_alter_table("delivery_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_events_delivery_id"))
    op.drop_table("delivery_events")
