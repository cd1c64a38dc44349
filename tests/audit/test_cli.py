"""``talap audit checkpoint`` and ``talap audit verify`` as a user runs them (real processes on
the test database): one audit row changed with SQL makes verify fail naming that event, an
altered checkpoint signature is reported, and the exit status says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from service.bootstrap import Wiring
from tests.api import Tenant, key_for

TALAP = [sys.executable, "-m", "service.cli"]


@pytest.fixture
def env(settings: Any, database_settings: dict[str, Any]) -> dict[str, str]:
    environment = {**os.environ, "TALAP_DATA_DIR": str(Path(settings.data_dir))}
    environment["TALAP_DATABASE_URL"] = database_settings["database_url"]
    if "database_schema" in database_settings:
        environment["TALAP_DATABASE_SCHEMA"] = database_settings["database_schema"]
    return environment


def talap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TALAP, *args], env=env, capture_output=True, text=True, timeout=120)


def _sql(wiring: Wiring, statement: str, **params: Any) -> list[Any]:
    with wiring.db.transaction() as session:
        result = session.execute(text(statement), params)
        return list(result) if result.returns_rows else []


def test_verify_names_the_event_changed_in_the_database(
    env: dict[str, str], wiring: Wiring, tenant: Tenant
) -> None:
    key_for(wiring, tenant.creditor_id, "lawyer")
    made = talap(env, "audit", "checkpoint")
    assert made.returncode == 0, made.stderr
    assert f"audit log {tenant.creditor_id}: checkpoint of 4 events" in made.stdout
    fine = talap(env, "audit", "verify")
    assert fine.returncode == 0, fine.stdout + fine.stderr
    assert f"audit log {tenant.creditor_id}: OK (4 events, 1 checkpoints" in fine.stdout

    ids = [
        r[0]
        for r in _sql(
            wiring,
            "SELECT id FROM audit_events WHERE creditor_id = :c ORDER BY id",
            c=tenant.creditor_id,
        )
    ]
    _sql(
        wiring,
        "UPDATE audit_events SET payload = :p WHERE id = :i",
        p='{"role": "admin", "prefix": "tlp_x"}',
        i=ids[2],
    )
    failed = talap(env, "audit", "verify", "--creditor", tenant.creditor_id, "--json")
    assert failed.returncode == 1
    assert f"first event that does not match: {ids[2]} (sequence 3)" in failed.stderr
    assert "was changed after it was written" in failed.stderr
    [report] = json.loads(failed.stdout)
    assert (report["ok"], report["first_mismatch"]["event_id"]) == (False, ids[2])

    key_for(wiring, tenant.creditor_id, "lawyer")
    refused = talap(env, "audit", "checkpoint", "--creditor", tenant.creditor_id)
    assert refused.returncode == 1 and "not signed" in refused.stderr


def test_verify_reports_a_checkpoint_whose_signature_was_altered(
    env: dict[str, str], wiring: Wiring, tenant: Tenant
) -> None:
    assert talap(env, "audit", "checkpoint").returncode == 0
    [(checkpoint_id, signature)] = _sql(wiring, "SELECT id, signature FROM audit_checkpoints")
    altered = bytes(signature[:-1]) + bytes([signature[-1] ^ 0x55])
    _sql(
        wiring,
        "UPDATE audit_checkpoints SET signature = :s WHERE id = :i",
        s=altered,
        i=checkpoint_id,
    )
    failed = talap(env, "audit", "verify")
    assert failed.returncode == 1
    assert (
        f"checkpoint {checkpoint_id}: checkpoint {checkpoint_id} (3 events): the signature does "
        "not verify against the signer certificate"
    ) in failed.stdout
    assert "first event that does not match" not in failed.stdout
