"""The writers' lock: reads and dry runs never wait for a writer; a writer that waits too long
for SQLite's writer lock is answered ``503 busy`` and changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from service.bootstrap import Wiring
from service.kit import engine as engine_module
from tests.api import CASE, Tenant, fixture
from tests.conftest import POSTGRES_URL


def test_reads_and_dry_runs_do_not_wait_for_a_writer(
    wiring: Wiring, client: httpx.Client, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """GETs and the dry runs (``:preview``, ``:explain``) run in read-only transactions: while a
    writer holds the database (SQLite's writer lock), they still answer."""
    answers: dict[str, int] = {}

    def read() -> None:
        body = fixture("issue-reminder.json")
        for suffix in (":preview", ":explain"):
            answers[suffix] = client.post(
                f"/v1/cases/{CASE}/documents{suffix}", json=body, headers=tenant.headers()
            ).status_code
        answers["get"] = client.get(f"/v1/cases/{CASE}", headers=tenant.headers()).status_code

    reader = threading.Thread(target=read)
    with writer_holding_the_database(wiring, tenant):
        reader.start()
        reader.join(timeout=30)  # a reader that needed the writer's lock would still be waiting
        finished = not reader.is_alive()
    reader.join()
    assert finished, "a read-only request waited for the writer"
    assert answers == {":preview": 200, ":explain": 200, "get": 200}


@pytest.mark.skipif(POSTGRES_URL is not None, reason="the writer file lock is SQLite's")
def test_a_writer_that_waits_too_long_is_answered_busy_and_changes_nothing(
    wiring: Wiring,
    client: httpx.Client,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_module, "WRITER_WAIT", 0.3)
    with writer_holding_the_database(wiring, tenant):
        answer = client.put(
            f"/v1/cases/{CASE}", json=fixture("case.json"), headers=tenant.headers()
        )
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json()["error"]["code"] == "busy"
    assert client.get(f"/v1/cases/{CASE}", headers=tenant.headers()).status_code == 404
    retried = client.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=tenant.headers())
    assert retried.status_code == 201


@contextmanager
def writer_holding_the_database(wiring: Wiring, tenant: Tenant) -> Iterator[None]:
    """A writer (another thread) in the middle of its transaction for as long as the block runs."""
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with wiring.db.transaction() as session:
            put_case_direct_in(session, wiring, tenant)
            holding.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        yield
    finally:
        release.set()
        thread.join()


def put_case_direct_in(session: Any, wiring: Wiring, tenant: Tenant) -> None:
    from service.cases.schemas import CaseIn
    from service.cases.service import upsert_case

    case_in = CaseIn.model_validate({**fixture("case.json"), "external_id": "HELD"})
    upsert_case(
        session,
        wiring.clock,
        creditor_id=tenant.creditor_id,
        external_id="HELD",
        case_in=case_in,
        actor="test",
    )
