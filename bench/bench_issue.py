"""Issue N reminders in-process through the whole pipeline and print throughput and latency.

    .venv/bin/python bench/bench_issue.py [N] [--workers W] [--database-url URL]

Each document goes through validation, debt computation, numbering, Typst rendering, PAdES
signing, archiving and the database commit. Documents differ (the debtor's payments vary), so
Typst's cache of identical inputs does not flatter the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from service.application import auth, cases, creditors, issuing  # noqa: E402
from service.bootstrap import build_container  # noqa: E402
from service.clock import FixedClock  # noqa: E402
from service.settings import Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    schema = None
    if args.database_url and args.database_url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"  # leave the database as it was found
        with create_engine(args.database_url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        run(args, schema)
    finally:
        if schema:
            with create_engine(args.database_url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def run(args: argparse.Namespace, schema: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=args.database_url, database_schema=schema
        )
        c = build_container(settings, FixedClock(dt.date(2026, 11, 24)))
        creditor = json.loads((FIXTURES / "creditor.json").read_text(encoding="utf-8"))
        case = json.loads((FIXTURES / "case.json").read_text(encoding="utf-8"))
        with c.db.transaction() as session:
            creditor_id = creditors.register_creditor(session, c.clock, creditor, actor="bench")
            key = auth.create_key(session, c.clock, creditor_id=creditor_id, role="system")
            for i in range(args.n):
                variant = {
                    **case,
                    "external_id": f"BENCH-{i}",
                    "payments": [
                        *case["payments"],
                        {"date": "2026-10-01", "amount": f"{100 + i}.{i % 100:02d}"},
                    ],
                }
                cases.upsert_case(
                    session,
                    c.clock,
                    creditor_id=creditor_id,
                    external_id=f"BENCH-{i}",
                    payload=variant,
                    actor="bench",
                )
        with c.db.transaction(read_only=True) as session:
            principal = auth.authenticate(session, f"Bearer {key}")

        def one(i: int) -> float:
            start = time.perf_counter()
            issuing.issue(c, principal, f"BENCH-{i}", {"kind": "reminder", "language": "kk"})
            return (time.perf_counter() - start) * 1000

        one(0)  # warm-up: fonts, Typst compiler, signing key
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            latencies = sorted(pool.map(one, range(1, args.n)))
        elapsed = time.perf_counter() - started
        count = len(latencies)
        p99 = latencies[min(count - 1, int(count * 0.99))]
        print(f"database      {c.db.engine.dialect.name}")
        print(f"documents     {count} (workers {args.workers})")
        print(f"throughput    {count / elapsed:.1f} documents/s")
        print(f"latency p50   {statistics.median(latencies):.1f} ms")
        print(f"latency p99   {p99:.1f} ms")


if __name__ == "__main__":
    main()
