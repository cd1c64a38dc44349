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
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TALAP = [sys.executable, "-m", "service.cli"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--cases", type=int, default=160)
    parser.add_argument("--workers", type=int, default=2)
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


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def run(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> None:
    creditor = _last_line("creditors", "add", str(FIXTURES / "creditor.json"), env=env)
    key = _last_line("keys", "create", "--creditor", creditor, "--role", "system", env=env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(
        [*TALAP, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    case = _fixture("case.json")
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
            http.put("/v1/cases/SEED", json={**case, "external_id": "SEED"}).raise_for_status()
            seeded = [
                http.post(
                    "/v1/cases/SEED/documents", json={"kind": "reminder", "language": "kk"}
                ).json()["id"]
                for _ in range(4)
            ]

        def put_new(i: int) -> tuple[str, int]:
            with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
                body = {**case, "external_id": f"N-{i}"}
                return "put new case", http.put(f"/v1/cases/N-{i}", json=body).status_code

        def mixed(i: int) -> tuple[str, int]:
            with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
                if i % 3 == 0:
                    response = http.post(
                        "/v1/cases/SEED/documents", json={"kind": "reminder", "language": "kk"}
                    )
                    return "issue", response.status_code
                if i % 3 == 1:
                    body = {**case, "external_id": f"M-{i % 12}"}
                    return "put case", http.put(f"/v1/cases/M-{i % 12}", json=body).status_code
                delivery = {"channel": "courier", "status": "pending"}
                document = seeded[i % len(seeded)]
                response = http.post(f"/v1/documents/{document}/deliveries", json=delivery)
                return "delivery", response.status_code

        for name, work, count in (
            ("new-case PUTs", put_new, args.cases),
            ("mixed load", mixed, args.cases + args.cases // 8),
        ):
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.writers) as pool:
                results = list(pool.map(work, range(count)))
            elapsed = time.perf_counter() - started
            tally = collections.Counter(results)
            errors = sum(n for (_, status), n in tally.items() if status >= 500)
            statuses = ", ".join(f"{op} {status}×{n}" for (op, status), n in sorted(tally.items()))
            print(
                f"{name:<14} {count} requests, {args.writers} writers: {count / elapsed:.1f}/s, "
                f"server errors {errors}; {statuses}"
            )
        with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
            recorded = {d["sha256"] for d in http.get("/v1/cases/SEED/history").json()["documents"]}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    archive = Path(env["TALAP_DATA_DIR"]) / "archive" / "sha256"
    files = {p.name for p in archive.rglob("*") if p.is_file()} if archive.exists() else set()
    print(f"database      {'postgresql' if env.get('TALAP_DATABASE_URL') else 'sqlite'}")
    print(
        f"archive       {len(files)} files, {len(recorded)} documents recorded, "
        f"{len(files - recorded)} files without a record"
    )


if __name__ == "__main__":
    main()
