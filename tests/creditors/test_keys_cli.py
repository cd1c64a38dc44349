"""``talap keys list|revoke|rotate`` as an operator runs them (real processes on the test
database, real HTTP through the app): a revoked key is refused at once, a rotated key's
replacement works and the old one does not, and both are in the audit log (review D17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.audit.models import AuditEventRow
from service.bootstrap import Wiring
from tests.api import Tenant, key_for

TALAP = [sys.executable, "-m", "service.cli"]


@pytest.fixture
def env(settings: Any, database_settings: dict[str, Any]) -> dict[str, str]:
    environment = {**os.environ, "TALAP_DATA_DIR": str(settings.data_dir)}
    environment["TALAP_DATABASE_URL"] = database_settings["database_url"]
    if "database_schema" in database_settings:
        environment["TALAP_DATABASE_SCHEMA"] = database_settings["database_schema"]
    return environment


def talap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TALAP, *args], env=env, capture_output=True, text=True, timeout=120)


def _listed(env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    listed = talap(env, "keys", "list", "--json", *args)
    assert listed.returncode == 0, listed.stderr
    found: list[dict[str, Any]] = json.loads(listed.stdout)
    return found


def _events(wiring: Wiring, creditor_id: str | None) -> list[tuple[str, str, dict[str, Any]]]:
    column = AuditEventRow.creditor_id
    whose = column.is_(None) if creditor_id is None else column == creditor_id
    with wiring.db.transaction(read_only=True) as session:
        rows = session.scalars(select(AuditEventRow).where(whose).order_by(AuditEventRow.id))
        return [(r.action, r.subject, dict(r.payload)) for r in rows]


def test_list_shows_prefixes_never_keys_and_revoke_stops_a_key_at_once(
    env: dict[str, str], wiring: Wiring, client: TestClient, tenant: Tenant, admin_key: str
) -> None:
    assert client.get("/v1/cases", headers=tenant.headers(tenant.auditor_key)).status_code == 200
    listed = _listed(env, "--creditor", tenant.creditor_id)
    assert sorted(k["role"] for k in listed) == ["auditor", "system"]
    assert all(k["revoked_at"] is None for k in listed)
    plain = talap(env, "keys", "list")
    assert plain.returncode == 0
    for key in (tenant.system_key, tenant.auditor_key, admin_key):
        assert key not in plain.stdout + plain.stderr
        assert key[:10] in plain.stdout  # the prefix names it
    assert [k["role"] for k in _listed(env, "--unbound")] == ["admin"]

    auditor = next(k for k in listed if k["role"] == "auditor")
    revoked = talap(env, "keys", "revoke", auditor["prefix"])
    assert revoked.returncode == 0, revoked.stderr
    assert auditor["id"] in revoked.stderr
    refused = client.get("/v1/cases", headers=tenant.headers(tenant.auditor_key))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    assert client.get("/v1/cases", headers=tenant.headers()).status_code == 200

    again = talap(env, "keys", "revoke", auditor["id"])
    assert again.returncode == 2 and "was revoked at" in again.stderr
    unknown = talap(env, "keys", "revoke", "tlp_nosuch")
    assert unknown.returncode == 2 and "no API key" in unknown.stderr

    now_listed = {k["id"]: k for k in _listed(env, "--creditor", tenant.creditor_id)}
    assert now_listed[auditor["id"]]["revoked_at"] is not None
    action, subject, payload = _events(wiring, tenant.creditor_id)[-1]
    assert (action, subject) == ("ApiKeyRevoked", f"api_key:{auditor['id']}")
    assert payload == {"role": "auditor", "prefix": auditor["prefix"]}


def test_rotate_gives_a_working_key_of_the_same_role_and_retires_the_old(
    env: dict[str, str], wiring: Wiring, client: TestClient, tenant: Tenant
) -> None:
    lawyer = key_for(wiring, tenant.creditor_id, "lawyer")
    (old,) = [k for k in _listed(env, "--creditor", tenant.creditor_id) if k["role"] == "lawyer"]
    rotated = talap(env, "keys", "rotate", old["id"])
    assert rotated.returncode == 0, rotated.stderr
    new_key = rotated.stdout.strip()
    assert new_key.startswith("tlp_") and new_key != lawyer
    assert lawyer not in rotated.stdout + rotated.stderr

    assert client.get("/v1/cases", headers=tenant.headers(lawyer)).status_code == 401
    assert client.get("/v1/cases", headers=tenant.headers(new_key)).status_code == 200
    # the same role: a lawyer still may not issue
    issue = client.post("/v1/cases/X/documents", json={}, headers=tenant.headers(new_key))
    assert issue.status_code == 403

    keys = {k["prefix"]: k for k in _listed(env, "--creditor", tenant.creditor_id)}
    new = keys[new_key[:10]]
    assert (new["role"], new["creditor_id"], new["revoked_at"]) == (
        "lawyer",
        tenant.creditor_id,
        None,
    )
    created, revoked = _events(wiring, tenant.creditor_id)[-2:]
    assert created == (
        "ApiKeyCreated",
        f"api_key:{new['id']}",
        {"role": "lawyer", "prefix": new["prefix"]},
    )
    assert revoked == (
        "ApiKeyRevoked",
        f"api_key:{old['id']}",
        {"role": "lawyer", "prefix": old["prefix"], "replaced_by": new["id"]},
    )
    verify = talap(env, "audit", "verify", "--creditor", tenant.creditor_id)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_an_unbound_key_is_revoked_in_the_global_log(
    env: dict[str, str], wiring: Wiring, client: TestClient, admin_key: str
) -> None:
    (admin,) = _listed(env, "--unbound")
    assert talap(env, "keys", "revoke", admin["id"]).returncode == 0
    refused = client.post(
        "/v1/creditors", json={}, headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert refused.status_code == 401
    assert _events(wiring, None)[-1][:2] == ("ApiKeyRevoked", f"api_key:{admin['id']}")
