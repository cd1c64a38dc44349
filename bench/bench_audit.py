"""The provable audit log at scale: a creditor's log of N events, then the time to sign a
checkpoint, to build inclusion proofs for a case's events, and to verify the whole log.

    .venv/bin/python -m bench.bench_audit [N ...] [--database-url postgresql+psycopg://…]

Events are appended through the real ``audit.repository.append`` (the chain head's lock, one
transaction per 1000 events) into a fresh SQLite file (or a throw-away PostgreSQL schema); the
checkpoint, the proofs and ``verify_log`` then read them back as the service does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.audit import repository
from service.audit import service as audit
from service.kit.db import Database
from service.kit.engine import make_engine, migrate
from service.signing import in_memory_signer
from tests.postgres import throwaway_schema


@contextmanager
def database(url: str | None) -> Iterator[Database]:
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            migrate(engine)
            yield Database(engine)
            engine.dispose()
        return
    with throwaway_schema(url, "bench") as schema:
        engine = make_engine(url, schema=schema)
        migrate(engine)
        yield Database(engine)
        engine.dispose()


def fill(db: Database, n: int) -> None:
    at = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
    for start in range(0, n, 1000):
        with db.transaction() as session:
            for i in range(start, min(n, start + 1000)):
                repository.append(
                    session,
                    creditor_id=None,
                    actor="bench",
                    action="DocumentIssued",
                    subject=f"document:{i}",
                    payload={"sha256": f"{i:064x}", "number": f"2026-{i:06d}"},
                    occurred_at=at + dt.timedelta(seconds=i),
                )


def ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.0f} ms"


def run(n: int, url: str | None) -> None:
    signer = in_memory_signer()
    now = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)
    with database(url) as db:
        started = time.perf_counter()
        fill(db, n)
        filled = ms(started)
        with db.transaction() as session:
            started = time.perf_counter()
            checkpoint, _ = audit.create_checkpoint(session, now, signer, None)
            signing = ms(started)
        assert checkpoint is not None
        with db.transaction(read_only=True) as session:
            ids = [e.id for e in repository.events_for(session, None)][:: max(1, n // 10)][:10]
            started = time.perf_counter()
            proofs = audit.inclusion_proofs(session, None, ids, checkpoint)
            proving = ms(started)
        assert len(proofs) == len(ids)
        with db.transaction(read_only=True) as session:
            started = time.perf_counter()
            report = audit.verify_log(session, None, [signer.certificate_der])
            verifying = ms(started)
        assert report.ok
        print(
            f"{n:>7} events: append {filled}; checkpoint {signing}; "
            f"{len(ids)} inclusion proofs {proving}; verify the log {verifying}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.database_url)


if __name__ == "__main__":
    main()
