"""Concurrent issuing over real HTTP: gapless distinct numbers, one document per Idempotency-Key.

Runs against whichever database the suite uses (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn

from service.api.app import create_app
from service.bootstrap import Container
from tests.conftest import load_fixture
from tests.integration.conftest import Tenant

CASE = "KKT3-21-045"


@pytest.fixture
def base_url(container: Container) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _post(base_url: str, tenant: Tenant, headers: dict[str, str] | None = None) -> Any:
    with httpx.Client(base_url=base_url, timeout=120) as http:
        return http.post(
            f"/v1/cases/{CASE}/documents",
            json=load_fixture("issue-reminder.json"),
            headers=tenant.headers(**(headers or {})),
        )


def test_twenty_concurrent_reminders_get_twenty_gapless_numbers(
    base_url: str, tenant: Tenant
) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        put = http.put(
            f"/v1/cases/{CASE}", json=load_fixture("case.json"), headers=tenant.headers()
        )
        assert put.status_code == 201, put.text
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: _post(base_url, tenant), range(20)))
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == [f"2026-{n:05d}" for n in range(1, 21)]
    assert len({r.json()["id"] for r in responses}) == 20
    assert len({r.json()["sha256"] for r in responses}) == 20


def test_concurrent_retries_with_one_idempotency_key_make_one_document(
    base_url: str, tenant: Tenant
) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        http.put(f"/v1/cases/{CASE}", json=load_fixture("case.json"), headers=tenant.headers())
    key = {"Idempotency-Key": "retry-storm-1"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: _post(base_url, tenant, key), range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    after = _post(base_url, tenant)
    assert after.json()["number"] == "2026-00002"
