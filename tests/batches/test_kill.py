"""Acceptance (issue 12): a real ``talap batch`` over an XLSX, killed with SIGKILL midway and
run again, ends with exactly one outcome per row, no number twice, and every number of the
register a document (or a voided number with its reason). ``bench/bench_batch.py`` does the
same with 10,000 rows and prints the figures."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import Engine, text

from service.kit.engine import make_engine
from tests.api import FIXTURES
from tests.batches.exports import export_rows, xlsx_bytes
from tests.batches.invariants import check_batch
from tests.e2e.test_readme_flow import TALAP, env, last_line, talap

__all__ = ["env"]  # the fixture

ROWS = 60


def _issued(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM issued_documents")).scalar() or 0)


def _not_issued(engine: Engine, batch_id: str) -> list[tuple[object, ...]]:
    """What an item that was not issued says: its line, status and errors."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT line, status, errors FROM batch_items "
                 "WHERE batch_id = :id AND status != 'issued'"), {"id": batch_id}
        ).all()  # fmt: skip
    return [tuple(row) for row in rows]


def test_killed_midway_and_run_again_every_row_has_exactly_one_outcome(
    env: dict[str, str], tmp_path: Path
) -> None:
    environment = {**env, "TALAP_BATCH_LEASE_SECONDS": "2", "TALAP_BATCH_CHUNK_SIZE": "5"}
    creditor = last_line(talap(environment, "creditors", "add", str(FIXTURES / "creditor.json")))
    export = tmp_path / "osv.xlsx"
    export.write_bytes(xlsx_bytes(export_rows(ROWS, months=("2026-09",), accumulative=False)))
    engine = make_engine(
        environment["TALAP_DATABASE_URL"], schema=environment.get("TALAP_DATABASE_SCHEMA")
    )
    log = tmp_path / "batch.log"
    try:
        with log.open("w") as out:
            first = subprocess.Popen(
                [*TALAP, "batch", str(export), "--creditor", creditor],
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 240
        while _issued(engine) < ROWS // 3:
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        midway = _issued(engine)
        assert ROWS // 3 <= midway < ROWS

        again = subprocess.run(
            [*TALAP, "batch", str(export), "--creditor", creditor],
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert again.returncode == 0, again.stderr
        assert "resuming batch" in again.stderr
        batch_id = again.stdout.strip().splitlines()[-1]
        facts = check_batch(engine, batch_id)
        assert facts.problems == []
        assert facts.items == ROWS
        assert facts.outcomes == {"issued": ROWS}, _not_issued(engine, batch_id)
        assert facts.documents == facts.numbers == ROWS
        assert (tmp_path / "osv.summary.xlsx").exists()
    finally:
        engine.dispose()
