"""``Database.transaction``: the only commit, its follow-ups, and read-only transactions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError, StatementError

from service.archive import MemoryArchive
from service.bootstrap import Wiring
from service.creditors.models import CreditorRow
from service.kit.blobs import keep_with

PDF = b"%PDF-1.7\n% staged with a transaction\n%%EOF\n"
NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def test_a_committed_transaction_promotes_what_it_staged(wiring: Wiring) -> None:
    archive = MemoryArchive()
    with wiring.db.transaction() as session:
        stored = keep_with(session, archive, PDF)
        assert not archive.exists(stored.sha256)  # nothing visible before the commit
    assert archive.get(stored.sha256) == PDF and archive.staged() == []


def test_a_rolled_back_transaction_discards_what_it_staged(wiring: Wiring) -> None:
    archive = MemoryArchive()
    with pytest.raises(RuntimeError), wiring.db.transaction() as session:
        stored = keep_with(session, archive, PDF)
        raise RuntimeError("the use case failed after rendering")
    assert not archive.exists(stored.sha256) and archive.staged() == []


def test_a_commit_of_unknown_outcome_leaves_the_staged_object_for_the_sweep(
    wiring: Wiring,
) -> None:
    """When COMMIT itself fails the database may still have committed: discarding would lose
    the object of a record that exists, promoting could publish one that does not. Neither
    runs; the sweep decides later from what the database holds."""
    archive = MemoryArchive()

    def lost_connection(connection: Any) -> None:
        raise ConnectionError("the connection dropped during COMMIT")

    event.listen(wiring.db.engine, "commit", lost_connection)
    try:
        with pytest.raises(ConnectionError), wiring.db.transaction() as session:
            session.execute(select(CreditorRow.id))  # the transaction has begun
            stored = keep_with(session, archive, PDF)
    finally:
        event.remove(wiring.db.engine, "commit", lost_connection)
    assert not archive.exists(stored.sha256)
    assert [s.sha256 for s in archive.staged()] == [stored.sha256]


def test_a_read_only_transaction_refuses_writes(wiring: Wiring) -> None:
    """Reads and dry runs run read-only (SQLite ``query_only``, PostgreSQL ``READ ONLY``): a
    write slipped into one fails instead of racing the writers it does not queue with."""
    with pytest.raises(DBAPIError), wiring.db.transaction(read_only=True) as session:
        session.add(
            CreditorRow(id="ro-test", bin="000000000000", form="osi", profile={}, created_at=NOW)
        )
        session.flush()
    with wiring.db.transaction(read_only=True) as session:
        assert session.scalar(select(CreditorRow).where(CreditorRow.id == "ro-test")) is None


def test_moments_read_back_aware_in_utc_and_naive_ones_are_refused(wiring: Wiring) -> None:
    """SQLite keeps no time zone: ``UtcDateTime`` gives every moment back in UTC, so the API
    never answers a moment without its zone."""
    almaty = dt.timezone(dt.timedelta(hours=5))
    with wiring.db.transaction() as session:
        session.add(
            CreditorRow(
                id="tz",
                bin="000000000000",
                form="osi",
                profile={},
                created_at=NOW.astimezone(almaty),
            )
        )
    with wiring.db.transaction(read_only=True) as session:
        stored = session.scalar(select(CreditorRow.created_at).where(CreditorRow.id == "tz"))
    assert stored == NOW and stored is not None and stored.utcoffset() == dt.timedelta(0)
    with pytest.raises(StatementError, match="naive"), wiring.db.transaction() as session:
        naive = NOW.replace(tzinfo=None)
        session.add(
            CreditorRow(id="naive", bin="000000000000", form="osi", profile={}, created_at=naive)
        )
        session.flush()
