"""API fixtures: an app on the test container, a creditor from the contract, and its keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.application import auth, creditors
from service.bootstrap import Container
from tests.conftest import load_fixture


@dataclass
class Tenant:
    creditor_id: str
    system_key: str
    auditor_key: str

    def headers(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.system_key}", **extra}


def make_tenant(c: Container, payload: dict[str, Any] | None = None) -> Tenant:
    with c.db.transaction() as session:
        creditor_id = creditors.register_creditor(
            session, c.clock, payload or load_fixture("creditor.json"), actor="test"
        )
        system = auth.create_key(session, c.clock, creditor_id=creditor_id, role="system")
        auditor = auth.create_key(session, c.clock, creditor_id=creditor_id, role="auditor")
    return Tenant(creditor_id, system, auditor)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as test_client:
        yield test_client


@pytest.fixture
def tenant(container: Container) -> Tenant:
    return make_tenant(container)


@pytest.fixture
def admin_key(container: Container) -> str:
    with container.db.transaction() as session:
        return auth.create_key(session, container.clock, creditor_id=None, role="admin")


@pytest.fixture
def contract_case(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    case = load_fixture("case.json")
    response = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
