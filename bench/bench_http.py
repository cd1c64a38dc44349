"""Issue N reminders over HTTP against `talap serve --workers W` and print throughput/latency.

    .venv/bin/python bench/bench_http.py [N] [--workers W] [--clients C] [--database-url URL]

Starts its own server on a free loopback port with a throw-away data directory (and, for
PostgreSQL, a throw-away schema), so it measures the whole service as a client sees it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.served import Served, fixture, served_talap


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with served_talap(args.database_url, args.workers) as served:
        latencies, elapsed = run(served, args)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"database      {served.database}")
    print(
        f"documents     {len(latencies)} over HTTP ({args.workers} workers, {args.clients} clients)"
    )
    print(f"throughput    {len(latencies) / elapsed:.1f} documents/s")
    print(f"latency p50   {statistics.median(latencies):.1f} ms")
    print(f"latency p99   {p99:.1f} ms")


def run(served: Served, args: argparse.Namespace) -> tuple[list[float], float]:
    with httpx.Client(base_url=served.url, headers=served.headers, timeout=120) as http:
        case = fixture("case.json")
        for i in range(args.n + args.workers * 2):
            variant = {
                **case,
                "external_id": f"B-{i}",
                "payments": [*case["payments"], {"date": "2026-10-01", "amount": f"{100 + i}.00"}],
            }
            http.put(f"/v1/cases/B-{i}", json=variant).raise_for_status()
        body = {"kind": "reminder", "language": "kk"}

        def one(i: int) -> float:
            start = time.perf_counter()
            response = http.post(f"/v1/cases/B-{i}/documents", json=body)
            if response.status_code != 201:
                raise RuntimeError(response.text)
            return (time.perf_counter() - start) * 1000

        for i in range(args.workers * 2):  # warm every worker
            one(args.n + i)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            latencies = sorted(pool.map(one, range(args.n)))
        return latencies, time.perf_counter() - started


if __name__ == "__main__":
    main()
