"""Issue N reminders in-process through the whole pipeline and print throughput and latency.

    .venv/bin/python bench/bench_issue.py [N] [--workers W] [--database-url URL]

Each document goes through validation, debt computation, numbering, Typst rendering, PAdES
signing, archiving and the database commit. Documents differ (the debtor's payments vary), so
Typst's cache of identical inputs does not flatter the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.served import fixture  # noqa: E402
from service.bootstrap import build_wiring, migrate_database  # noqa: E402
from service.cases.schemas import CaseIn  # noqa: E402
from service.cases.service import upsert_case  # noqa: E402
from service.clock import FixedClock  # noqa: E402
from service.creditors.schemas import CreditorIn  # noqa: E402
from service.creditors.service import authenticate, create_key, register_creditor  # noqa: E402
from service.documents import service as documents  # noqa: E402
from service.documents.schemas import IssueIn  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.postgres import throwaway_schema  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    if args.database_url and args.database_url.startswith("postgresql"):
        with throwaway_schema(args.database_url, "bench") as schema:
            run(args, schema)
    else:
        run(args, None)


def run(args: argparse.Namespace, schema: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=args.database_url, database_schema=schema
        )
        wiring = build_wiring(settings, clock=FixedClock(dt.date(2026, 11, 24)))
        migrate_database(wiring)
        creditor = CreditorIn.model_validate(fixture("creditor.json"))
        case = fixture("case.json")
        with wiring.db.transaction() as session:
            creditor_id = register_creditor(session, wiring.clock, creditor, actor="bench")
            key = create_key(session, wiring.clock, creditor_id=creditor_id, role="system")
            for i in range(args.n):
                variant = {
                    **case,
                    "external_id": f"BENCH-{i}",
                    "payments": [
                        *case["payments"],
                        {"date": "2026-10-01", "amount": f"{100 + i}.{i % 100:02d}"},
                    ],
                }
                upsert_case(
                    session,
                    wiring.clock,
                    creditor_id=creditor_id,
                    external_id=f"BENCH-{i}",
                    case_in=CaseIn.model_validate(variant),
                    actor="bench",
                )
        with wiring.db.transaction(read_only=True) as session:
            principal = authenticate(session, f"Bearer {key}")
        request = IssueIn(kind="reminder", language="kk")
        issuing = wiring.issuing()

        def one(i: int) -> float:
            start = time.perf_counter()
            with wiring.db.transaction() as session:  # one transaction per document, as a job
                documents.issue(session, issuing, principal, f"BENCH-{i}", request)
            return (time.perf_counter() - start) * 1000

        one(0)  # warm-up: fonts, Typst compiler, signing key
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            latencies = sorted(pool.map(one, range(1, args.n)))
        elapsed = time.perf_counter() - started
        count = len(latencies)
        p99 = latencies[min(count - 1, int(count * 0.99))]
        print(f"database      {wiring.db.engine.dialect.name}")
        print(f"documents     {count} (workers {args.workers})")
        print(f"throughput    {count / elapsed:.1f} documents/s")
        print(f"latency p50   {statistics.median(latencies):.1f} ms")
        print(f"latency p99   {p99:.1f} ms")
        wiring.close()


if __name__ == "__main__":
    main()
