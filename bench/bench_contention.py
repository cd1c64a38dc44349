"""Concurrent writers of every kind against `talap serve --workers W`: server errors and rates.

    .venv/bin/python bench/bench_contention.py [--writers 8] [--cases 160] [--database-url URL]

Two runs, as the reliability review measured them: N new-case PUTs from W writers, then a mixed
load (issues, case PUTs and deliveries, a third each). Prints the status codes and the rate of
each, and how many archive files have no record. Starts its own server with a throw-away data
directory (and, for PostgreSQL, a throw-away schema).
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.served import Served, fixture, served_talap

REMINDER = {"kind": "reminder", "language": "kk"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--cases", type=int, default=160)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with served_talap(args.database_url, args.workers) as served:
        with httpx.Client(base_url=served.url, headers=served.headers, timeout=120) as http:
            case = fixture("case.json")
            http.put("/v1/cases/SEED", json={**case, "external_id": "SEED"}).raise_for_status()
            seeded = [
                http.post("/v1/cases/SEED/documents", json=REMINDER).json()["id"] for _ in "1234"
            ]
        for name, work, count in (
            ("new-case PUTs", _put_new(served), args.cases),
            ("mixed load", _mixed(served, seeded), args.cases + args.cases // 8),
        ):
            _measure(name, work, count, args.writers)
        with httpx.Client(base_url=served.url, headers=served.headers, timeout=120) as http:
            history = http.get("/v1/cases/SEED/history").json()
            templates = http.get("/v1/templates").json()
        archive = served.data_dir / "archive" / "sha256"
        files = {p.name for p in archive.rglob("*") if p.is_file()}
    recorded = {d["sha256"] for d in history["documents"]}
    # the template versions' sources are archive objects too, named by the version id
    recorded |= {v["id"] for t in templates for v in t["versions"]}
    print(f"database      {served.database}")
    print(
        f"archive       {len(files)} files, {len(recorded)} documents recorded, "
        f"{len(files - recorded)} files without a record"
    )


Work = Callable[[int], tuple[str, int]]


def _put_new(served: Served) -> Work:
    case = fixture("case.json")

    def put_new(i: int) -> tuple[str, int]:
        with httpx.Client(base_url=served.url, headers=served.headers, timeout=120) as http:
            body = {**case, "external_id": f"N-{i}"}
            return "put new case", http.put(f"/v1/cases/N-{i}", json=body).status_code

    return put_new


def _mixed(served: Served, seeded: list[str]) -> Work:
    case = fixture("case.json")

    def mixed(i: int) -> tuple[str, int]:
        with httpx.Client(base_url=served.url, headers=served.headers, timeout=120) as http:
            if i % 3 == 0:
                return "issue", http.post("/v1/cases/SEED/documents", json=REMINDER).status_code
            if i % 3 == 1:
                body = {**case, "external_id": f"M-{i % 12}"}
                return "put case", http.put(f"/v1/cases/M-{i % 12}", json=body).status_code
            delivery = {"channel": "courier", "status": "pending"}
            document = seeded[i % len(seeded)]
            response = http.post(f"/v1/documents/{document}/deliveries", json=delivery)
            return "delivery", response.status_code

    return mixed


def _measure(name: str, work: Work, count: int, writers: int) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(work, range(count)))
    elapsed = time.perf_counter() - started
    tally = collections.Counter(results)
    errors = sum(n for (_, status), n in tally.items() if status >= 500)
    statuses = ", ".join(f"{op} {status}×{n}" for (op, status), n in sorted(tally.items()))
    print(
        f"{name:<14} {count} requests, {writers} writers: {count / elapsed:.1f}/s, "
        f"server errors {errors}; {statuses}"
    )


if __name__ == "__main__":
    main()
