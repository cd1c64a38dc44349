"""Delivery events at scale: N documents, each with an attempt and its provider events (queued,
sent, a stale sending, delivered with a 2 KiB raw receipt, a late duplicate), appended through
the real ``append_event`` one transaction each, then read back as the rules and the listing do.

    .venv/bin/python -m bench.bench_deliveries [N ...] [--database-url postgresql+psycopg://…]

Runs on a fresh SQLite file and local archive (or a throw-away PostgreSQL schema). Prints the
time per appended event (p50, p95) and the time to read every attempt with its events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData

from service.archive.local import LocalArchive
from service.clock import FixedClock
from service.deliveries import repository
from service.deliveries.service import System, append_event, start_attempt
from service.kit.db import Database
from service.kit.engine import make_engine, migrate
from tests.postgres import throwaway_schema

NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
RECEIPT = b"Reporting-MTA: dns; mx.example.kz\r\nAction: delivered\r\n" + b"x" * 2000


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[Database]:
    if url is None:
        engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
        migrate(engine)
        yield Database(engine)
        engine.dispose()
        return
    with throwaway_schema(url, "bench") as schema:
        engine = make_engine(url, schema=schema)
        migrate(engine)
        yield Database(engine)
        engine.dispose()


def seed(db: Database, n: int) -> list[str]:
    """A creditor, a case and ``n`` issued documents (rows only: nothing is rendered)."""
    meta = MetaData()
    meta.reflect(db.engine)
    tables = meta.tables
    ids = [f"doc-{i}" for i in range(n)]
    with db.engine.begin() as conn:
        conn.execute(
            tables["creditors"]
            .insert()
            .values(id="c-1", bin="190340018228", form="osi", profile={}, created_at=NOW)
        )
        conn.execute(
            tables["debtors"]
            .insert()
            .values(
                id="d-1", creditor_id="c-1", full_name="X", iin=None, language="kk", contacts={}
            )
        )
        conn.execute(
            tables["cases"].insert().values(
                id="case-1", creditor_id="c-1", external_id="K-1", debtor_id="d-1", unit={},
                basis=[], created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        conn.execute(
            tables["issued_documents"].insert(),
            [
                {"id": doc, "creditor_id": "c-1", "case_id": "case-1", "kind": "reminder",
                 "language": "kk", "year": 2026, "sequence": i + 1, "number": f"2026-{i + 1:05d}",
                 "issue_date": dt.date(2026, 11, 24), "template_version": "reminder/kk@0",
                 "sha256": f"{i:064x}", "size": 100, "request_hash": "0" * 64,
                 "idempotency_key": None, "signer_subject": "CN=bench",
                 "development_signature": True, "created_at": NOW, "snapshot": {},
                 "request": {}, "verify_token": f"{i:032x}"}
                for i, doc in enumerate(ids)
            ],
        )  # fmt: skip
    return ids


def run(n: int, url: str | None) -> None:
    clock = FixedClock(dt.date(2026, 11, 27), NOW)
    with tempfile.TemporaryDirectory() as folder, database(url, Path(folder)) as db:
        archive = LocalArchive(Path(folder) / "archive")
        documents = seed(db, n)
        timings: list[float] = []
        for number, document in enumerate(documents):
            with db.transaction() as session:
                attempt = start_attempt(
                    session, clock, System("bench"), document_id=document, channel="email",
                    recipient=None, tracking_number=None,
                )  # fmt: skip
                delivery_id = attempt.id
            steps = [
                ("sent", 1, None),
                ("sending", 0, None),
                ("delivered", 5, RECEIPT + str(number).encode()),
                ("delivered", 5, RECEIPT + str(number).encode()),
            ]
            for status, minute, raw in steps:
                started = time.perf_counter()
                with db.transaction() as session:
                    append_event(
                        session, clock, archive, delivery_id=delivery_id, status=status,
                        occurred_at=NOW + dt.timedelta(minutes=minute), source="bench", raw=raw,
                    )  # fmt: skip
                timings.append((time.perf_counter() - started) * 1000)
        with db.transaction(read_only=True) as session:
            started = time.perf_counter()
            attempts = repository.of_documents(session, documents)
            events = repository.events_of(session, [a.id for a in attempts])
            reading = (time.perf_counter() - started) * 1000
        assert all(a.outcome == "delivered" for a in attempts)
        assert sum(len(e) for e in events.values()) == 3 * n  # the duplicate is recorded once
        quantiles = statistics.quantiles(timings, n=20) if len(timings) > 1 else timings * 19
        print(
            f"{n:>6} attempts, {len(timings)} append_event calls: p50 "
            f"{statistics.median(timings):.1f} ms, p95 {quantiles[18]:.1f} ms; read every "
            f"attempt with its events {reading:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.database_url)


if __name__ == "__main__":
    main()
