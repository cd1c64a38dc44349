"""Two ``talap worker`` processes share one batch: each chunk is taken once (the outbox's claim,
one attempt each), every item is issued once, and both workers took some of the work. On
PostgreSQL the queue is huey's tables in the database; on SQLite the queue file beside it."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from service.batches import service as batches
from service.batches.service import Entry
from service.bootstrap import Wiring
from service.cases.schemas import CaseIn
from service.cases.service import upsert_case
from service.creditors.auth import Principal, Role
from service.documents.schemas import IssueIn
from service.kit.engine import make_engine
from service.outbox.models import OutboxRow
from tests.api import Tenant, fixture
from tests.batches.invariants import check_batch
from tests.e2e.test_readme_flow import TALAP, env

__all__ = ["env"]  # the fixture

CASES = 40
CHUNK = 4


def _worker_log(path: Path) -> list[dict[str, object]]:
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return events


def test_two_workers_share_a_batch_each_chunk_once(
    env: dict[str, str], wiring: Wiring, tenant: Tenant, tmp_path: Path
) -> None:
    case = fixture("case.json")
    with wiring.db.transaction() as session:
        for index in range(CASES):
            external_id = f"W-{index:03d}"
            payload = CaseIn.model_validate({**case, "external_id": external_id})
            upsert_case(session, wiring.clock, creditor_id=tenant.creditor_id,
                        external_id=external_id, case_in=payload, actor="test")  # fmt: skip
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = []
    for log in logs:
        with log.open("w") as out:
            workers.append(
                subprocess.Popen(
                    [*TALAP, "worker", "--threads", "1"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        deadline = time.monotonic() + 120
        while not all("queue.started" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            assert all(w.poll() is None for w in workers), [log.read_text() for log in logs]
            time.sleep(0.2)
        caller = Principal(key_id="test", role=Role.SYSTEM, creditor_id=tenant.creditor_id)
        entries = [
            Entry(line, f"W-{line - 1:03d}", IssueIn(kind="reminder", language="kk"))
            for line in range(1, CASES + 1)
        ]
        with wiring.db.transaction() as session:  # kicks both workers' queue after the commit
            batch = batches.accept(
                session, wiring.clock, caller, entries, chunk_size=CHUNK, source="api"
            )
        engine = make_engine(env["TALAP_DATABASE_URL"], schema=env.get("TALAP_DATABASE_SCHEMA"))
        try:
            deadline = time.monotonic() + 300
            while (facts := check_batch(engine, batch.id)).outcomes["pending"]:
                assert time.monotonic() < deadline, [log.read_text() for log in logs]
                time.sleep(0.5)
        finally:
            engine.dispose()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    assert facts.problems == []
    assert facts.outcomes == {"issued": CASES}
    with wiring.db.transaction(read_only=True) as session:
        chunks = session.scalars(
            select(OutboxRow).where(OutboxRow.subject.startswith(f"batch:{batch.id}:"))
        ).all()
    assert len(chunks) == CASES // CHUNK
    assert {(c.state, c.attempts) for c in chunks} == {("done", 1)}  # each taken once
    taken = Counter(
        index
        for index, log in enumerate(logs)
        for event in _worker_log(log)
        if event.get("event") == "batch.chunk_done"
    )
    assert sum(taken.values()) == CASES // CHUNK
    assert taken[0] > 0 and taken[1] > 0, taken  # both shared the load
