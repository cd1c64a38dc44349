"""Issue N reminders over HTTP against `talap serve --workers W` and print throughput/latency.

    .venv/bin/python bench/bench_http.py [N] [--workers W] [--clients C] [--database-url URL]

Starts its own server on a free loopback port with a throw-away data directory (and, for
PostgreSQL, a throw-away schema), so it measures the whole service as a client sees it.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TALAP = [sys.executable, "-m", "service.cli"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    schema = None
    if args.database_url and args.database_url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with create_engine(args.database_url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "TALAP_DATA_DIR": tmp}
            if args.database_url:
                env["TALAP_DATABASE_URL"] = args.database_url
            if schema:
                env["TALAP_DATABASE_SCHEMA"] = schema
            run(args, env, Path(tmp))
    finally:
        if schema:
            with create_engine(args.database_url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _last_line(*cli: str, env: dict[str, str]) -> str:
    out = subprocess.run([*TALAP, *cli], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def run(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> None:
    creditor = _last_line("creditors", "add", str(FIXTURES / "creditor.json"), env=env)
    key = _last_line("keys", "create", "--creditor", creditor, "--role", "system", env=env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(
        [*TALAP, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120
        ) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
            case = json.loads((FIXTURES / "case.json").read_text(encoding="utf-8"))
            for i in range(args.n + args.workers * 2):
                variant = {
                    **case,
                    "external_id": f"B-{i}",
                    "payments": [
                        *case["payments"],
                        {"date": "2026-10-01", "amount": f"{100 + i}.00"},
                    ],
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
            elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"database      {'postgresql' if args.database_url else 'sqlite'}")
    print(
        f"documents     {len(latencies)} over HTTP ({args.workers} workers, {args.clients} clients)"
    )
    print(f"throughput    {len(latencies) / elapsed:.1f} documents/s")
    print(f"latency p50   {statistics.median(latencies):.1f} ms")
    print(f"latency p99   {p99:.1f} ms")


if __name__ == "__main__":
    main()
