"""Migrations carry existing data forward: a database at revision 0004 with documents, keys,
agreements and audit events comes out at head with every new column and table filled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.agreements.models import AgreementRow
from service.agreements.repository import to_agreement
from service.audit.chain import GENESIS, chain_problems, event_body, event_hash
from service.audit.repository import entries as audit_entries
from service.audit.repository import events_for
from service.evidence.checks import TOKEN
from service.kit.engine import downgrade, make_engine, migrate
from tests.conftest import POSTGRES_URL
from tests.postgres import throwaway_schema

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
CREDITOR, CASE, DEBTOR = "c-1", "case-1", "debtor-1"


@pytest.fixture
def old_database(tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the suite's kind (SQLite, or PostgreSQL in CI's second run), to be
    migrated only to 0004, the schema before this change."""
    if not POSTGRES_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    with throwaway_schema(POSTGRES_URL, "m") as schema:
        engine = make_engine(POSTGRES_URL, schema=schema)
        try:
            yield engine
        finally:
            engine.dispose()


RESTRUCTURING = {
    "installments": 2,
    "first_due": "2027-01-10",
    "waive_penalty": False,
    "default_after_days": 30,
    "grace_days": 5,
    "penalty_account": "current",
    "totals": {"current": "100.00", "savings": "0.00", "penalty": "10.00", "total": "110.00"},
    "acknowledged": {"principal": "100.00", "penalty": "10.00", "total": "110.00"},
    "schedule": [
        {"number": 1, "due": "2027-01-10", "current": "50.00", "savings": "0.00",
         "penalty": "5.00", "total": "55.00"},
        {"number": 2, "due": "2027-02-10", "current": "50.00", "savings": "0.00",
         "penalty": "5.00", "total": "55.00"},
    ],
}  # fmt: skip


def _document(number: int, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"doc-{number}",
        "creditor_id": CREDITOR,
        "case_id": CASE,
        "kind": kind,
        "language": "bilingual" if kind == "restructuring" else "kk",
        "year": 2026,
        "sequence": number,
        "number": f"2026-{number:05d}",
        "issue_date": dt.date(2026, 11, 20),
        "template_version": f"{kind}/kk@0",
        "sha256": f"{number:064x}",
        "size": 100,
        "request_hash": "0" * 64,
        "idempotency_key": None,
        "signer_subject": "CN=test",
        "development_signature": True,
        "created_at": NOW,
        **fields,
    }


def _seed(engine: Engine) -> list[str]:
    meta = MetaData()
    meta.reflect(engine)
    tables: dict[str, Table] = dict(meta.tables)
    hashes = []
    with engine.begin() as conn:
        conn.execute(
            tables["creditors"]
            .insert()
            .values(id=CREDITOR, bin="190340018228", form="osi", profile={}, created_at=NOW)
        )
        conn.execute(
            tables["debtors"].insert().values(
                id=DEBTOR, creditor_id=CREDITOR, full_name="X", iin=None, language="kk",
                contacts={},
            )
        )  # fmt: skip
        conn.execute(
            tables["cases"].insert().values(
                id=CASE, creditor_id=CREDITOR, external_id="K-1", debtor_id=DEBTOR, unit={},
                basis=[], created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        conn.execute(
            tables["issued_documents"].insert(),
            [
                _document(1, "reminder", snapshot={"deadline": "2026-12-04"}, request={},
                          idempotency_key="run-1", request_hash="a" * 64),
                _document(2, "pretrial", snapshot={"deadline": "2026-12-05"},
                          request={"route": "court"}),
                _document(3, "restructuring", snapshot={"deadline": "2026-12-06",
                                                        "restructuring": RESTRUCTURING},
                          request={}),
            ],
        )  # fmt: skip
        prev = GENESIS
        for number, (creditor, action) in enumerate(
            [(CREDITOR, "CreditorRegistered"), (None, "ApiKeyCreated"), (CREDITOR, "CaseCreated")],
            1,
        ):
            body = event_body(creditor, "cli", action, f"s:{number}", {"n": number}, NOW)
            chain_prev = prev if creditor else GENESIS
            digest = event_hash(chain_prev, body)
            conn.execute(
                tables["audit_events"].insert().values(
                    creditor_id=creditor, occurred_at=NOW, actor="cli", action=action,
                    subject=f"s:{number}", payload={"n": number}, prev_hash=chain_prev,
                    hash=digest,
                )
            )  # fmt: skip
            if creditor:
                prev = digest
            hashes.append(digest)
    return hashes


def test_data_at_0004_is_carried_to_head(old_database: Engine) -> None:
    migrate(old_database, "0004")
    hashes = _seed(old_database)
    migrate(old_database)
    assert "audit_chain_heads" in inspect(old_database).get_table_names()
    with Session(old_database) as session:
        rows = session.execute(
            text("SELECT id, deadline, route FROM issued_documents ORDER BY sequence")
        ).all()
        assert [(r.id, str(r.deadline), r.route) for r in rows] == [
            ("doc-1", "2026-12-04", None),
            ("doc-2", "2026-12-05", "court"),
            ("doc-3", "2026-12-06", None),
        ]
        keys = session.execute(
            text("SELECT creditor_id, key, request_hash, document_id FROM idempotency_keys")
        ).all()
        assert [tuple(k) for k in keys] == [(CREDITOR, "run-1", "a" * 64, "doc-1")]
        heads = dict(session.execute(text("SELECT chain, last_hash FROM audit_chain_heads")).all())
        assert heads == {CREDITOR: hashes[2], "global": hashes[1]}
        entries = audit_entries(events_for(session, CREDITOR))
        assert len(entries) == 2 and chain_problems(entries, heads[CREDITOR]) == []
        (agreement,) = session.scalars(select(AgreementRow)).all()
        assert (agreement.document_id, agreement.state) == ("doc-3", "issued")
        restored = to_agreement(agreement, ())  # the schedule's sums are checked on the way
        assert str(restored.schedule.total) == "110.00"
        assert str(restored.schedule.penalty) == "10.00"
        assert restored.terms.default_after_days == 30


def test_0005_downgrades_with_data_and_upgrades_again(old_database: Engine) -> None:
    migrate(old_database, "0004")
    _seed(old_database)
    migrate(old_database)
    downgrade(old_database, "0004")
    names = inspect(old_database).get_table_names()
    assert "idempotency_keys" not in names and "audit_chain_heads" not in names
    migrate(old_database)
    with Session(old_database) as session:
        assert session.execute(text("SELECT count(*) FROM agreements")).scalar_one() == 1
        assert session.execute(text("SELECT count(*) FROM idempotency_keys")).scalar_one() == 1
        routes = session.execute(text("SELECT route FROM issued_documents ORDER BY sequence"))
        assert [r.route for r in routes] == [None, "court", None]


def test_0006_gives_every_earlier_document_its_own_public_verification_token(
    old_database: Engine,
) -> None:
    """#19: documents issued before the public page get an unguessable token each (and a
    second document cannot take the same one); the downgrade drops the column again."""
    migrate(old_database, "0004")
    _seed(old_database)
    migrate(old_database)
    with Session(old_database) as session:
        tokens = session.execute(text("SELECT id, verify_token FROM issued_documents"))
        by_id = {row.id: row.verify_token for row in tokens}
    found = list(by_id.values())
    assert len(found) == 3 and len(set(found)) == 3
    assert all(TOKEN.fullmatch(t) and len(t) == 32 for t in found), found
    with pytest.raises(IntegrityError), old_database.begin() as connection:
        connection.execute(
            text("UPDATE issued_documents SET verify_token = :t WHERE id = 'doc-2'"),
            {"t": by_id["doc-1"]},
        )
    downgrade(old_database, "0005")
    columns = {c["name"] for c in inspect(old_database).get_columns("issued_documents")}
    assert "verify_token" not in columns
    migrate(old_database)
    with Session(old_database) as session:
        again = session.execute(text("SELECT verify_token FROM issued_documents")).scalars()
        assert len(set(again)) == 3


def test_0009_leaves_one_active_agreement_per_case(old_database: Engine) -> None:
    """Reliability review D4: a case that reached two active agreements before the partial
    unique index keeps the latest signed one active; the earlier one is closed, and the offer
    issued before that signing is superseded. The index then refuses a second active row."""
    migrate(old_database, "0004")
    _seed(old_database)
    migrate(old_database, "0005")
    meta = MetaData()
    meta.reflect(old_database)
    documents, agreements = meta.tables["issued_documents"], meta.tables["agreements"]
    with old_database.begin() as conn:
        (offer,) = conn.execute(select(agreements)).mappings().all()
        conn.execute(
            documents.insert(),
            [
                _document(n, "restructuring", snapshot={}, request={}, deadline=None, route=None)
                for n in (4, 5)
            ],
        )
        for n, signed in ((4, dt.date(2026, 11, 21)), (5, dt.date(2026, 11, 25))):
            conn.execute(
                agreements.insert().values(
                    {
                        **offer,
                        "id": f"agr-{n}",
                        "document_id": f"doc-{n}",
                        "state": "active",
                        "signed_on": signed,
                        "signed_recorded_at": NOW,
                    }
                )
            )
    migrate(old_database)
    with Session(old_database) as session:
        states = dict(session.execute(text("SELECT document_id, state FROM agreements")).all())
        assert states == {"doc-3": "superseded", "doc-4": "closed", "doc-5": "active"}
        with pytest.raises(IntegrityError):
            session.execute(text("UPDATE agreements SET state = 'active' WHERE id = 'agr-4'"))
