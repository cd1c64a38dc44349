"""The delivery-events migration carries existing deliveries and policy forward: each earlier
delivery becomes an attempt with one event (its proofs attached to it), and the policy parameter
``count_returned_refused`` moves from the two ladder rules to the one ``delivery-outcome``
setting with its dates; the downgrade gives the old columns back."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from sqlalchemy import Engine, MetaData, select, text
from sqlalchemy.orm import Session

from service.kit.engine import downgrade, migrate
from tests.kit.test_migrations import CREDITOR, NOW, _seed, old_database

__all__ = ["old_database"]  # the fixture, shared with the kit's migration tests

VERSIONS = Path(__file__).resolve().parents[2] / "service" / "kit" / "migrations" / "versions"


def _revisions() -> tuple[str, str]:
    """This migration's revision and the one before it (renumbered when lanes land)."""
    (path,) = VERSIONS.glob("*_delivery_events.py")
    spec = importlib.util.spec_from_file_location("delivery_events", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.revision), str(module.down_revision)


def _seed_deliveries(engine: Engine) -> None:
    meta = MetaData()
    meta.reflect(engine)
    deliveries, proofs = meta.tables["deliveries"], meta.tables["delivery_proofs"]
    overrides = meta.tables["policy_overrides"]
    row = {"document_id": "doc-1", "creditor_id": CREDITOR, "details": {}, "note": None}
    with engine.begin() as conn:
        conn.execute(
            deliveries.insert(),
            [
                {**row, "id": "d-1", "channel": "registered_post", "status": "returned",
                 "delivered_at": dt.date(2026, 11, 23), "tracking_number": "RR1KZ",
                 "recorded_at": NOW},
                {**row, "id": "d-2", "channel": "email", "status": "failed",
                 "delivered_at": None, "tracking_number": None,
                 "recorded_at": NOW + dt.timedelta(minutes=1)},
                {**row, "id": "d-3", "channel": "hand_delivery", "status": "pending",
                 "delivered_at": None, "tracking_number": None,
                 "recorded_at": NOW + dt.timedelta(minutes=2)},
            ],
        )  # fmt: skip
        conn.execute(
            proofs.insert().values(
                delivery_id="d-1", filename="r.pdf", content_type="application/pdf",
                sha256="f" * 64, size=10,
            )
        )  # fmt: skip
        conn.execute(
            overrides.insert(),
            [
                {"creditor_id": CREDITOR, "rule_id": "warning-after-reminder-delivery",
                 "parameters": {"count_returned_refused": True, "working_days": 5},
                 "effective_from": dt.date(2026, 1, 1), "recorded_at": NOW, "actor": "a"},
                {"creditor_id": CREDITOR, "rule_id": "warning-after-reminder-delivery",
                 "parameters": {"working_days": 7},
                 "effective_from": dt.date(2026, 6, 1), "recorded_at": NOW, "actor": "b"},
                {"creditor_id": CREDITOR, "rule_id": "pretrial-after-warning-deadline",
                 "parameters": {"count_returned_refused": True},
                 "effective_from": dt.date(2026, 1, 1), "recorded_at": NOW, "actor": "a"},
            ],
        )  # fmt: skip


def test_each_delivery_becomes_an_attempt_with_one_event(old_database: Engine) -> None:
    mine, before = _revisions()
    migrate(old_database, "0004")
    _seed(old_database)
    migrate(old_database, before)
    _seed_deliveries(old_database)
    migrate(old_database, mine)
    meta = MetaData()
    meta.reflect(old_database)
    table = meta.tables["policy_overrides"]
    with Session(old_database) as session:
        attempts = session.execute(
            text(
                "SELECT id, state, outcome, legal_date, actor FROM deliveries ORDER BY recorded_at"
            )
        ).all()
        assert [(a.id, a.state, a.outcome, str(a.legal_date), a.actor) for a in attempts] == [
            ("d-1", "returned", "returned", "2026-11-23", "client"),
            ("d-2", "permanent_failure", "not_delivered", "None", "client"),
            ("d-3", "queued", "unknown", "None", "client"),
        ]
        events = session.execute(
            text("SELECT id, delivery_id, status, source FROM delivery_events ORDER BY id")
        ).all()
        assert [(e.delivery_id, e.status, e.source) for e in events] == [
            ("d-1", "returned", "migration"),
            ("d-2", "permanent_failure", "migration"),
            ("d-3", "queued", "migration"),
        ]
        (proof_event,) = session.execute(text("SELECT event_id FROM delivery_proofs")).scalars()
        assert proof_event == events[0].id
        rows = session.execute(select(table).order_by(table.c.id)).mappings().all()
    by_rule = [(r["rule_id"], r["parameters"], str(r["effective_from"]), r["actor"]) for r in rows]
    assert by_rule == [
        ("warning-after-reminder-delivery", {"working_days": 5}, "2026-01-01", "a"),
        ("warning-after-reminder-delivery", {"working_days": 7}, "2026-06-01", "b"),
        ("pretrial-after-warning-deadline", {}, "2026-01-01", "a"),
        ("delivery-outcome", {"count_returned_refused": True}, "2026-01-01", "a"),
        ("delivery-outcome", {}, "2026-06-01", "b"),  # that row reset it to the default
    ]


def test_the_downgrade_gives_the_old_columns_back(old_database: Engine) -> None:
    mine, before = _revisions()
    migrate(old_database, "0004")
    _seed(old_database)
    migrate(old_database, before)
    _seed_deliveries(old_database)
    migrate(old_database, mine)
    downgrade(old_database, before)
    with Session(old_database) as session:
        rows = session.execute(
            text("SELECT id, status, delivered_at FROM deliveries ORDER BY recorded_at")
        ).all()
    assert [(r.id, r.status, str(r.delivered_at)) for r in rows] == [
        ("d-1", "returned", "2026-11-23"),
        ("d-2", "failed", "None"),
        ("d-3", "pending", "None"),
    ]
    migrate(old_database)
