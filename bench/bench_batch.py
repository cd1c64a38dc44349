"""A batch from a 1C-style XLSX end to end through ``talap batch``, interrupted once with
``kill -9`` and run again: rows/s checked, cases/s stored, documents/s issued, peak RSS, and the
invariant check (one outcome per row, no number twice, every number a document or a voided
number with its reason).

    .venv/bin/python -m bench.bench_batch [--rows 10000] [--kill-after S] [--database-url URL]

``--kill-after 0`` runs once without interruption. A throw-away data directory (and, for
PostgreSQL, a throw-away schema); one row per account, so rows = cases = notices.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from service.kit.engine import make_engine
from tests.batches.exports import export_rows, xlsx_bytes
from tests.batches.invariants import check_batch
from tests.postgres import throwaway_schema

ROOT = Path(__file__).resolve().parent.parent
TALAP = [sys.executable, "-m", "service.cli"]
FIGURES = re.compile(r"\(([\d.]+) (rows/s|cases/s|docs/s); CPU ([\d.]+) s\)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kill-after", type=float, default=60.0, help="seconds; 0: no kill")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = {**os.environ, "TALAP_DATA_DIR": str(tmp / "data"), "TALAP_BATCH_LEASE_SECONDS": "5"}
        env.pop("TALAP_DATABASE_URL", None)
        url = f"sqlite:///{tmp / 'data' / 'talap.db'}"
        schema = None
        if args.database_url:
            url = env["TALAP_DATABASE_URL"] = args.database_url
            schema = env["TALAP_DATABASE_SCHEMA"] = stack.enter_context(
                throwaway_schema(args.database_url, "bench")
            )
        run(args, env, tmp, url, schema)


def run(
    args: argparse.Namespace, env: dict[str, str], tmp: Path, url: str, schema: str | None
) -> None:
    creditor = _talap(env, "creditors", "add", str(ROOT / "tests" / "fixtures" / "creditor.json"))
    export = tmp / "osv.xlsx"
    started = time.perf_counter()
    export.write_bytes(xlsx_bytes(export_rows(args.rows, months=("2026-09",), accumulative=False)))
    print(f"export: {args.rows} rows, {export.stat().st_size} bytes, "
          f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip
    command = [*TALAP, "batch", str(export), "--creditor", creditor]
    log = tmp / "batch.log"
    started = time.perf_counter()
    with log.open("w") as out:
        first = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    killed = False
    if args.kill_after > 0:
        try:
            first.wait(timeout=args.kill_after)
        except subprocess.TimeoutExpired:
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            killed = True
    else:
        first.wait()
    first_run = time.perf_counter() - started
    print(f"first run: {first_run:.1f} s, " + ("killed with SIGKILL" if killed else
          f"exit {first.returncode}"))  # fmt: skip
    _figures(log.read_text(encoding="utf-8", errors="replace"))
    if killed:
        resumed = time.perf_counter()
        with log.open("w") as out:
            again = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        print(f"second run: {time.perf_counter() - resumed:.1f} s, exit {again.returncode}")
        _figures(log.read_text(encoding="utf-8", errors="replace"))
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    engine = make_engine(url, schema=schema)
    try:
        with engine.connect() as connection:
            from sqlalchemy import text

            batch_id = str(connection.execute(text("SELECT id FROM batches")).scalar())
        facts = check_batch(engine, batch_id)
    finally:
        engine.dispose()
    rate = args.rows / total
    print(f"end to end: {args.rows} rows in {total:.1f} s ({rate:.1f} rows/s overall), "
          f"peak RSS of a talap process {peak:.0f} MB")  # fmt: skip
    print(f"outcomes: {dict(facts.outcomes)}; documents {facts.documents}; "
          f"distinct numbers {facts.numbers}")  # fmt: skip
    print("invariants: " + ("OK" if not facts.problems else "; ".join(facts.problems)))
    if facts.problems or facts.items != args.rows:
        sys.exit(1)


def _figures(log: str) -> None:
    for value, unit, cpu in FIGURES.findall(log):
        print(f"  {unit}: {value} (wall clock; that step's CPU {cpu} s)")


def _talap(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*TALAP, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
