"""``/v1/audit``: verify the log, list and make checkpoints — who may, and what they say — and
the checkpoint round the server runs by itself."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from service.audit.merkle import leaf_hash
from service.audit.proofs import (
    ConsistencyProof,
    InclusionProof,
    check_checkpoint_json,
    verify_consistency,
    verify_inclusion,
)
from service.bootstrap import Wiring
from service.main import create_app
from service.settings import Settings
from tests.api import Tenant, fixture, key_for, make_tenant


def _tamper(wiring: Wiring, creditor_id: str, position: int) -> int:
    with wiring.db.transaction() as session:
        ids = [
            int(r[0])
            for r in session.execute(
                text("SELECT id FROM audit_events WHERE creditor_id = :c ORDER BY id"),
                {"c": creditor_id},
            )
        ]
        session.execute(
            text("UPDATE audit_events SET payload = :p WHERE id = :i"),
            {"p": '{"role": "admin"}', "i": ids[position]},
        )
    return ids[position]


def test_an_auditor_verifies_the_log_and_sees_the_edited_event(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    auditor = tenant.headers(tenant.auditor_key)
    made = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert made.status_code == 201, made.text
    fine = client.get("/v1/audit/verify", headers=auditor)
    assert fine.status_code == 200, fine.text
    body: dict[str, Any] = fine.json()
    assert body["ok"] is True and body["first_mismatch"] is None
    assert (body["creditor_id"], body["events"], body["checkpoints"]) == (tenant.creditor_id, 3, 1)
    assert body["root_hash"] == made.json()["root_hash"]

    edited = _tamper(wiring, tenant.creditor_id, 1)
    found = client.get("/v1/audit/verify", headers=auditor).json()
    assert found["ok"] is False
    assert found["first_mismatch"]["event_id"] == edited
    assert found["first_mismatch"]["sequence"] == 2
    assert "changed after it was written" in found["first_mismatch"]["problem"]
    assert [p["tree_size"] for p in found["checkpoint_problems"]] == [3]

    key_for(wiring, tenant.creditor_id, "lawyer")  # the log grows: a new checkpoint is due
    refused = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert refused.status_code == 409
    assert f"event {edited}" in refused.json()["error"]["message"]


def test_checkpoints_are_made_by_system_keys_listed_for_auditors_and_verify_alone(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    auditor = tenant.headers(tenant.auditor_key)
    assert client.post("/v1/audit/checkpoints", headers=auditor).status_code == 403
    first = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert first.status_code == 201
    again = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert again.status_code == 200 and again.json() == first.json()
    key_for(wiring, tenant.creditor_id, "lawyer")
    second = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert second.status_code == 201 and second.json()["tree_size"] == 4
    listed = client.get("/v1/audit/checkpoints", headers=auditor)
    assert listed.status_code == 200
    checkpoints = listed.json()["checkpoints"]
    assert [c["tree_size"] for c in checkpoints] == [3, 4]
    for checkpoint in checkpoints:
        found = check_checkpoint_json(checkpoint, [wiring.signer.certificate_der])
        assert found.ok, found.problems
        assert checkpoint["note"].startswith(f"talap/audit/{tenant.creditor_id}\n")


def test_each_creditor_sees_only_its_own_log(
    client: TestClient, wiring: Wiring, tenant: Tenant, admin_key: str
) -> None:
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    theirs = {"creditor": other.creditor_id}
    mine = tenant.headers(tenant.auditor_key)
    assert client.get("/v1/audit/verify", params=theirs, headers=mine).status_code == 403
    assert client.get("/v1/audit/checkpoints", params=theirs, headers=mine).status_code == 403
    admin = {"Authorization": f"Bearer {admin_key}"}
    assert client.get("/v1/audit/verify", headers=admin).status_code == 422
    by_admin = client.get("/v1/audit/verify", params=theirs, headers=admin)
    assert by_admin.status_code == 200 and by_admin.json()["creditor_id"] == other.creditor_id
    # signing a creditor's checkpoint is the creditor's (or talap audit checkpoint's) act: an
    # unbound admin reads the log but does not act in the creditor's name (review D13)
    refused = client.post("/v1/audit/checkpoints", params=theirs, headers=admin)
    assert refused.status_code == 403
    made = client.post("/v1/audit/checkpoints", headers=other.headers())
    assert made.status_code == 201 and made.json()["creditor_id"] == other.creditor_id
    unknown = client.get("/v1/audit/verify", params={"creditor": "nobody"}, headers=admin)
    assert unknown.status_code == 404
    assert client.get("/v1/audit/verify").status_code == 401


def test_while_serving_checkpoints_are_signed_every_few_seconds(
    settings: Settings, wiring: Wiring, tenant: Tenant
) -> None:
    """``TALAP_CHECKPOINT_SECONDS``: each log that grew gets a checkpoint, without a request."""
    fast = replace(wiring, settings=settings.model_copy(update={"checkpoint_seconds": 0.2}))
    with TestClient(create_app(fast)) as http:  # ``with``: the app's lifespan runs
        listed: list[Any] = []
        deadline = time.monotonic() + 10
        while not listed and time.monotonic() < deadline:
            time.sleep(0.1)
            listed = http.get(
                "/v1/audit/checkpoints", headers=tenant.headers(tenant.auditor_key)
            ).json()["checkpoints"]
        assert [c["tree_size"] for c in listed] == [3]
        key_for(wiring, tenant.creditor_id, "lawyer")
        deadline = time.monotonic() + 10
        while len(listed) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            listed = http.get(
                "/v1/audit/checkpoints", headers=tenant.headers(tenant.auditor_key)
            ).json()["checkpoints"]
        assert [c["tree_size"] for c in listed] == [3, 4]


def test_an_auditor_gets_proofs_that_verify_against_the_signed_checkpoints(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    auditor = tenant.headers(tenant.auditor_key)
    first = client.post("/v1/audit/checkpoints", headers=tenant.headers()).json()
    for _ in range(4):
        key_for(wiring, tenant.creditor_id, "lawyer")
    second = client.post("/v1/audit/checkpoints", headers=tenant.headers()).json()
    assert (first["tree_size"], second["tree_size"]) == (3, 7)
    with wiring.db.transaction(read_only=True) as session:
        ids = [
            int(r[0])
            for r in session.execute(
                text("SELECT id FROM audit_events WHERE creditor_id = :c ORDER BY id"),
                {"c": tenant.creditor_id},
            )
        ]
    answer = client.get(f"/v1/audit/events/{ids[5]}/proof", headers=auditor)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    checkpoint = check_checkpoint_json(body["checkpoint"], [wiring.signer.certificate_der])
    assert checkpoint.ok and checkpoint.checkpoint is not None
    proof = InclusionProof.from_json(body["proof"])
    assert proof.leaf_index == 5
    assert verify_inclusion(proof, leaf_hash(proof.leaf_data), checkpoint.checkpoint.root)

    linked = client.get(
        "/v1/audit/consistency", params={"from_size": 3, "to_size": 7}, headers=auditor
    )
    assert linked.status_code == 200, linked.text
    consistency = ConsistencyProof.from_json(linked.json())
    assert verify_consistency(consistency, first["root_hash"], second["root_hash"])
    assert not verify_consistency(consistency, second["root_hash"], first["root_hash"])

    too_far = client.get(
        "/v1/audit/consistency", params={"from_size": 3, "to_size": 99}, headers=auditor
    )
    assert too_far.status_code == 404
    backwards = client.get(
        "/v1/audit/consistency", params={"from_size": 5, "to_size": 3}, headers=auditor
    )
    assert backwards.status_code == 422
    key_for(wiring, tenant.creditor_id, "lawyer")
    with wiring.db.transaction(read_only=True) as session:
        newest = session.execute(text("SELECT max(id) FROM audit_events")).scalar_one()
    assert client.get(f"/v1/audit/events/{newest}/proof", headers=auditor).status_code == 409
    assert client.get("/v1/audit/events/999999/proof", headers=auditor).status_code == 404


def test_ids_and_sizes_beyond_a_database_integer_are_refused_by_name(
    client: TestClient, tenant: Tenant
) -> None:
    """A number past the integer columns (2**31 - 1 on PostgreSQL, 2**63 - 1 on SQLite) used to
    reach the driver and fail there (out of range, OverflowError): a 500. Now a 422 naming the
    parameter."""
    auditor = tenant.headers(tenant.auditor_key)
    huge = str(2**31)
    cases = {
        f"/v1/audit/events/{huge}/proof": "event_id",
        f"/v1/audit/events/{2**64}/proof": "event_id",
        "/v1/audit/events/0/proof": "event_id",
        f"/v1/audit/consistency?from_size={huge}&to_size=1": "from_size",
        f"/v1/audit/consistency?from_size=0&to_size={huge}": "to_size",
    }
    for url, field in cases.items():
        response = client.get(url, headers=auditor)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["errors"][0]["path"] == field, url
    largest = client.get(f"/v1/audit/events/{2**31 - 1}/proof", headers=auditor)
    assert largest.status_code in (404, 409), largest.text  # asked of the database, no overflow
