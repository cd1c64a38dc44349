"""Signed checkpoints, inclusion proofs and re-checking a log, against the real database (SQLite,
and PostgreSQL with ``TALAP_TEST_DATABASE_URL``): rows are altered with plain SQL, as someone
with database access would."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import text

from service.audit import service as audit
from service.audit.merkle import leaf_hash
from service.audit.proofs import (
    Checkpoint,
    InclusionProof,
    check_checkpoint_json,
    verify_inclusion,
)
from service.bootstrap import Wiring
from service.errors import Conflict, NotFound
from service.signing import in_memory_signer
from tests.api import Tenant, fixture, key_for, make_tenant


def _checkpoint(wiring: Wiring, creditor_id: str | None) -> tuple[Checkpoint | None, bool]:
    with wiring.db.transaction() as session:
        return audit.create_checkpoint(session, wiring.clock.now(), wiring.signer, creditor_id)


def _verify(wiring: Wiring, creditor_id: str | None) -> Any:
    with wiring.db.transaction(read_only=True) as session:
        return audit.verify_log(session, creditor_id, [wiring.signer.certificate_der])


def _event_ids(wiring: Wiring, creditor_id: str) -> list[int]:
    with wiring.db.transaction(read_only=True) as session:
        rows = session.execute(
            text("SELECT id FROM audit_events WHERE creditor_id = :c ORDER BY id"),
            {"c": creditor_id},
        )
        return [int(r[0]) for r in rows]


def _sql(wiring: Wiring, statement: str, **params: Any) -> None:
    with wiring.db.transaction() as session:
        session.execute(text(statement), params)


def test_a_checkpoint_signs_the_root_of_the_log_and_is_not_repeated(
    wiring: Wiring, tenant: Tenant
) -> None:
    first, created = _checkpoint(wiring, tenant.creditor_id)
    assert created and first is not None
    assert first.tree_size == 3  # registered, two keys
    assert first.signature_problem([wiring.signer.certificate_der]) is None
    assert first.note().splitlines() == [
        f"talap/audit/{tenant.creditor_id}",
        "3",
        base64.b64encode(first.root_bytes).decode(),
        "time 2026-11-24T09:00:00.000000Z",
    ]
    again, created = _checkpoint(wiring, tenant.creditor_id)
    assert not created and again == first
    key_for(wiring, tenant.creditor_id, "lawyer")
    grown, created = _checkpoint(wiring, tenant.creditor_id)
    assert created and grown is not None and grown.tree_size == 4
    with wiring.db.transaction(read_only=True) as session:
        assert audit.latest_checkpoint(session, tenant.creditor_id) == grown
        assert [c.tree_size for c in audit.checkpoints_of(session, tenant.creditor_id)] == [3, 4]
    assert _verify(wiring, tenant.creditor_id).ok


def test_a_log_without_events_has_no_checkpoint(wiring: Wiring) -> None:
    assert _checkpoint(wiring, "no-such-creditor") == (None, False)


def test_the_checkpoint_json_verifies_alone_and_names_what_was_changed(
    wiring: Wiring, tenant: Tenant
) -> None:
    checkpoint, _ = _checkpoint(wiring, tenant.creditor_id)
    assert checkpoint is not None
    body = checkpoint.to_json()
    trusted = [wiring.signer.certificate_der]
    found = check_checkpoint_json(body, trusted)
    assert found.ok and found.checkpoint is not None
    assert found.checkpoint.root == checkpoint.root and body["development_key"] is True
    assert check_checkpoint_json(body).ok  # integrity without a trust decision
    larger = {**body, "tree_size": 4, "note": checkpoint.note().replace("\n3\n", "\n4\n")}
    assert check_checkpoint_json(larger, trusted).problems == (
        "the signature does not verify against the signer certificate",
    )
    assert (
        "not the one its fields make" in check_checkpoint_json({**body, "tree_size": 4}).problems[0]
    )
    stranger = in_memory_signer()
    forged = Checkpoint(
        checkpoint.chain, 3, checkpoint.root, checkpoint.at,
        stranger.sign_data(checkpoint.note().encode()), stranger.certificate_der,
    )  # fmt: skip
    assert check_checkpoint_json(forged.to_json()).ok
    assert "not trusted" in check_checkpoint_json(forged.to_json(), trusted).problems[0]
    assert not check_checkpoint_json({**body, "root_hash": "zz"}).ok
    assert check_checkpoint_json({**body, "format": "x"}).problems == (
        "not a talap-checkpoint/1 checkpoint",
    )


def test_every_event_has_an_inclusion_proof_against_the_checkpoint(
    wiring: Wiring, tenant: Tenant
) -> None:
    for role in ("lawyer", "auditor", "system", "lawyer"):
        key_for(wiring, tenant.creditor_id, role)
    checkpoint, _ = _checkpoint(wiring, tenant.creditor_id)
    assert checkpoint is not None and checkpoint.tree_size == 7
    ids = _event_ids(wiring, tenant.creditor_id)
    with wiring.db.transaction(read_only=True) as session:
        proofs = audit.inclusion_proofs(session, tenant.creditor_id, ids, checkpoint)
        one = audit.inclusion_proof(session, tenant.creditor_id, ids[4], checkpoint)
    assert one == proofs[ids[4]] and one.leaf_index == 4
    for index, event_id in enumerate(ids):
        proof = InclusionProof.from_json(proofs[event_id].to_json())
        assert proof.leaf_index == index and proof.tree_size == 7
        recomputed = leaf_hash(proof.leaf_data).hex()  # the event's bytes → its leaf
        assert recomputed == proof.leaf_hash
        assert verify_inclusion(proof, recomputed, checkpoint.root)
        assert not verify_inclusion(proof, leaf_hash(b"another event").hex(), checkpoint.root)
    key_for(wiring, tenant.creditor_id, "lawyer")
    newer = _event_ids(wiring, tenant.creditor_id)[-1]
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    with wiring.db.transaction(read_only=True) as session:
        with pytest.raises(Conflict, match="newer than checkpoint"):
            audit.inclusion_proof(session, tenant.creditor_id, newer, checkpoint)
        stranger = _event_ids(wiring, other.creditor_id)[0]
        with pytest.raises(NotFound):
            audit.inclusion_proof(session, tenant.creditor_id, stranger, checkpoint)
