"""The benchmark scripts still run (tiny sizes): a figure in the README must stay reproducible.

Speed itself is never asserted here; the scripts print it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPTS = {
    "archive": (["-m", "bench.bench_archive", "3", "--threads", "1"], "objects/s"),
    "engines": (["-m", "bench.bench_engines", "1"], "html (WeasyPrint)"),
    "issue": (["bench/bench_issue.py", "3"], "throughput"),
    "bulk": (["-m", "bench.bench_bulk", "--n", "5"], "docs_per_s"),
    "all": (
        ["-m", "bench.all", "--n", "2", "--batch", "3", "--http-n", "2", "--skip", "docx,pack"],
        "ratio    bulk",
    ),
    "registry": (["-m", "bench.bench_registry", "5"], "xlsx: 5 rows"),
    "render": (["-m", "bench.bench_render", "3"], "latency p50"),
    "sign": (["-m", "bench.bench_sign", "3", "--archive"], "archive put"),
    "http": (["bench/bench_http.py", "4", "--workers", "1", "--clients", "2"], "throughput"),
    "deliveries": (["-m", "bench.bench_deliveries", "3"], "append_event calls"),
    "email": (["-m", "bench.bench_email", "2", "--threads", "1"], "received 4"),
    "contention": (
        ["bench/bench_contention.py", "--cases", "8", "--writers", "2", "--workers", "1"],
        "0 files without a record",
    ),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_the_benchmark_runs_and_prints_its_figures(name: str, tmp_path: Path) -> None:
    arguments, expected = SCRIPTS[name]
    environment = {**os.environ, "TALAP_DATA_DIR": str(tmp_path / "data")}
    environment.pop("TALAP_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout, done.stdout[-2000:]
