"""Time the evidence pack of a five-document case in each format and print p50/max per pack.

    .venv/bin/python -m bench.bench_pack [N]

The case walks the ladder through the HTTP API in-process (a temporary SQLite and archive, the
development key): reminder and warning, each delivered with a proof file, two statements and a
pre-court letter. Then N packs of each format are built through ``GET …/evidence-pack``: reading
and re-checking every file (hash, pyHanko validation), typesetting, signing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from service.bootstrap import build_wiring, migrate_database
from service.clock import FixedClock
from service.main import create_app
from service.settings import Settings
from tests.api import CASE, issued, make_tenant
from tests.evidence.pack_builders import walk_ladder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="talap-bench-pack-") as folder:
        clock = FixedClock(dt.date(2026, 11, 24))
        wiring = build_wiring(Settings(data_dir=Path(folder)), clock=clock)
        migrate_database(wiring)
        tenant = make_tenant(wiring)
        with TestClient(create_app(wiring)) as client:
            walk_ladder(client, tenant, clock)
            for language in ("kk", "ru"):
                issued(client, tenant, {"kind": "statement", "language": language}, CASE)
            url = f"/v1/cases/{CASE}/evidence-pack"
            headers = tenant.headers(tenant.auditor_key)
            for fmt in ("pdf", "zip", "court"):
                client.get(url, params={"format": fmt}, headers=headers)  # warm up
                seconds, size = [], 0
                for _ in range(args.n):
                    start = time.perf_counter()
                    response = client.get(url, params={"format": fmt}, headers=headers)
                    seconds.append(time.perf_counter() - start)
                    assert response.status_code == 200, response.text
                    size = len(response.content)
                print(
                    f"{fmt:5s} 5 documents, 2 proofs: p50 {statistics.median(seconds) * 1000:.0f} "
                    f"ms, max {max(seconds) * 1000:.0f} ms, {size / 1024:.0f} KiB"
                )
        wiring.close()


if __name__ == "__main__":
    main()
