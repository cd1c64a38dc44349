"""A throw-away Talap for the in-process benchmarks: a temporary data directory (and, for
PostgreSQL, schema), the development key, one creditor, N variants of the contract case (their
payments differ, so no two notices are the same bytes and Typst's cache flatters nothing)."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.served import fixture
from service.bootstrap import Wiring, build_wiring, migrate_database
from service.cases.schemas import CaseIn
from service.cases.service import upsert_case, upsert_many
from service.clock import FixedClock
from service.creditors.auth import Principal
from service.creditors.schemas import CreditorIn
from service.creditors.service import authenticate, create_key, register_creditor
from service.settings import Settings
from tests.postgres import throwaway_schema

TODAY = dt.date(2026, 11, 24)


@dataclass
class World:
    wiring: Wiring
    caller: Principal
    creditor_id: str


@contextlib.contextmanager
def world(database_url: str | None = None) -> Iterator[World]:
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="talap-bench-")))
        schema = None
        if database_url and database_url.startswith("postgresql"):
            schema = stack.enter_context(throwaway_schema(database_url, "bench"))
        settings = Settings(data_dir=tmp, database_url=database_url, database_schema=schema)
        wiring = build_wiring(settings, clock=FixedClock(TODAY))
        stack.callback(wiring.close)
        migrate_database(wiring)
        with wiring.db.transaction() as session:
            creditor = CreditorIn.model_validate(fixture("creditor.json"))
            creditor_id = register_creditor(session, wiring.clock, creditor, actor="bench")
            key = create_key(session, wiring.clock, creditor_id=creditor_id, role="system")
        with wiring.db.transaction(read_only=True) as session:
            caller = authenticate(session, f"Bearer {key}")
        yield World(wiring, caller, creditor_id)


def case_body(i: int, prefix: str = "BENCH") -> dict[str, Any]:
    case = fixture("case.json")
    return {
        **case,
        "external_id": f"{prefix}-{i}",
        "payments": [
            *case["payments"],
            {"date": "2026-10-01", "amount": f"{100 + i % 5000}.{i % 100:02d}"},
        ],
    }


def put_cases(w: World, first: int, count: int, *, per_transaction: int = 500) -> float:
    """Store cases ``first`` … ``first + count - 1``, ``per_transaction`` to a transaction
    through ``upsert_many`` (the batch path, what ``talap batch`` does), or one by one through
    ``upsert_case`` (``PUT /v1/cases``) when ``per_transaction`` is 1; seconds taken."""
    started = time.perf_counter()
    for start in range(first, first + count, per_transaction):
        chunk = range(start, min(start + per_transaction, first + count))
        with w.wiring.db.transaction() as session:
            if per_transaction > 1:
                upsert_many(
                    session,
                    w.wiring.clock,
                    creditor_id=w.creditor_id,
                    cases=[(f"BENCH-{i}", CaseIn.model_validate(case_body(i))) for i in chunk],
                    actor="bench",
                )
                continue
            for i in chunk:
                upsert_case(
                    session,
                    w.wiring.clock,
                    creditor_id=w.creditor_id,
                    external_id=f"BENCH-{i}",
                    case_in=CaseIn.model_validate(case_body(i)),
                    actor="bench",
                )
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
