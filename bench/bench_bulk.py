"""A batch of N cases end to end through ``issue_many`` in one process: the cases stored in
transactions of 500 (the batch path), then one reminder each — checked, rendered, signed,
archived, committed — and the register checked gapless. Prints one JSON line (docs/s, peak
RSS, the rate of each half of the run: a cost linear in N keeps them equal).

    .venv/bin/python -m bench.bench_bulk [--n 10000] [--render-batch 8] [--database-url URL]
        [--profile FILE]

``--render-batch 1`` lays every notice out in its own Typst compile (as before batches), to put
the two side by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.world import percentile, put_cases, world
from service.documents import repository
from service.documents.bulk import BulkItem, ItemOutcome, issue_many
from service.documents.bulk.service import RENDER_BATCH
from service.documents.schemas import IssueIn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--render-batch", type=int, default=RENDER_BATCH, help="notices per Typst compile"
    )
    parser.add_argument("--profile", help="write a pyinstrument text profile of the issuing here")
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.database_url, args.profile, args.render_batch)))


def run(
    n: int,
    database_url: str | None,
    profile: str | None = None,
    render_batch: int = RENDER_BATCH,
) -> dict[str, float]:
    with world(database_url) as w:
        upsert_seconds = put_cases(w, 0, n)
        request = IssueIn(kind="reminder", language="kk")
        items = [BulkItem(f"BENCH-{i}", request, f"bench:{i}") for i in range(n)]
        done: list[float] = []
        groups: list[float] = []

        def heard(outcome: ItemOutcome) -> None:
            now = time.perf_counter()
            if done and now - done[-1] > 0.001:
                groups.append(now - done[-1])
            done.append(now)
            if outcome.status != "issued":
                raise SystemExit(f"not issued: {outcome}")

        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
        started, cpu = time.perf_counter(), time.process_time()
        issue_many(
            w.wiring.db,
            w.wiring.issuing(),
            w.caller,
            items,
            progress=heard,
            render_batch=render_batch,
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler is not None:
            profiler.stop()
            Path(profile or "").write_text(profiler.output_text(unicode=True, color=False))
        with w.wiring.db.transaction(read_only=True) as session:
            books = repository.accounting(session, w.creditor_id, "outgoing", 2026)
        if books.last != n or books.missing or books.doubled:
            raise SystemExit(f"the register is not gapless: {books.missing[:5]} {books.doubled}")
        half = len(done) // 2
        first = half / (done[half - 1] - started) if half > 1 else 0.0
        second = (len(done) - half) / (done[-1] - done[half - 1]) if half > 1 else 0.0
        return {
            "n": n,
            "render_batch": render_batch,
            "upserts_per_s": n / upsert_seconds,
            "docs_per_s": n / elapsed,
            "cpu_ms_per_doc": cpu / n * 1000,
            "first_half_docs_per_s": first,
            "second_half_docs_per_s": second,
            "group_p50_ms": percentile(groups, 0.5) * 1000 if groups else 0.0,
            "group_p99_ms": percentile(groups, 0.99) * 1000 if groups else 0.0,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


if __name__ == "__main__":
    main()
