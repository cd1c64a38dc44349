"""Re-checking a log from its rows: an edited event is named, a rehashed edit is caught by the
signed checkpoints, a checkpoint whose signature or root was altered is reported."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from service.audit import service as audit
from service.audit.chain import GENESIS, event_body, event_hash
from service.audit.integrity import LogReport
from service.bootstrap import Wiring
from service.errors import Conflict
from tests.api import Tenant, key_for


def _checkpoint(wiring: Wiring, creditor_id: str | None) -> None:
    with wiring.db.transaction() as session:
        audit.create_checkpoint(session, wiring.clock.now(), wiring.signer, creditor_id)


def _verify(wiring: Wiring, creditor_id: str | None) -> LogReport:
    with wiring.db.transaction(read_only=True) as session:
        return audit.verify_log(session, creditor_id, [wiring.signer.certificate_der])


def _sql(wiring: Wiring, statement: str, **params: Any) -> list[Any]:
    with wiring.db.transaction() as session:
        result = session.execute(text(statement), params)
        return list(result) if result.returns_rows else []


def _ids(wiring: Wiring, creditor_id: str) -> list[int]:
    rows = _sql(
        wiring, "SELECT id FROM audit_events WHERE creditor_id = :c ORDER BY id", c=creditor_id
    )
    return [int(r[0]) for r in rows]


@pytest.fixture
def grown(wiring: Wiring, tenant: Tenant) -> list[int]:
    """A log of 9 events with checkpoints at 3, 6 and 9."""
    _checkpoint(wiring, tenant.creditor_id)
    for _ in range(3):
        key_for(wiring, tenant.creditor_id, "lawyer")
    _checkpoint(wiring, tenant.creditor_id)
    for _ in range(3):
        key_for(wiring, tenant.creditor_id, "auditor")
    _checkpoint(wiring, tenant.creditor_id)
    return _ids(wiring, tenant.creditor_id)


def test_an_intact_log_verifies(wiring: Wiring, tenant: Tenant, grown: list[int]) -> None:
    report = _verify(wiring, tenant.creditor_id)
    assert report.ok, report
    assert (report.events, report.checkpoints) == (9, 3)


def test_an_edited_payload_names_its_event(
    wiring: Wiring, tenant: Tenant, grown: list[int]
) -> None:
    target = grown[4]
    _sql(
        wiring,
        "UPDATE audit_events SET payload = :p WHERE id = :i",
        p='{"role": "admin", "prefix": "tlp_forged"}',
        i=target,
    )
    report = _verify(wiring, tenant.creditor_id)
    assert not report.ok
    assert report.first_mismatch is not None
    assert (report.first_mismatch.event_id, report.first_mismatch.sequence) == (target, 5)
    assert "was changed after it was written" in report.first_mismatch.problem
    # the checkpoints over it no longer match the rows; the one before it still does
    assert [p.tree_size for p in report.checkpoint_problems if "its signed root" in p.problem] == [
        6,
        9,
    ]
    with pytest.raises(Conflict, match=f"event {target}"):
        key_for(wiring, tenant.creditor_id, "lawyer")
        _checkpoint(wiring, tenant.creditor_id)


def test_a_removed_event_is_named(wiring: Wiring, tenant: Tenant, grown: list[int]) -> None:
    _sql(wiring, "DELETE FROM audit_events WHERE id = :i", i=grown[2])
    report = _verify(wiring, tenant.creditor_id)
    assert report.first_mismatch is not None
    assert (report.first_mismatch.event_id, report.first_mismatch.sequence) == (grown[3], 3)
    assert "does not follow the event before it" in report.first_mismatch.problem
    assert any("more events than the log holds" in p.problem for p in report.checkpoint_problems)


def test_an_edit_with_every_hash_recomputed_is_caught_by_the_checkpoints(
    wiring: Wiring, tenant: Tenant, grown: list[int]
) -> None:
    """Someone who edits event 5 and rehashes the chain from there on passes the chain check;
    the signed roots of the checkpoints at 6 and 9 do not come back."""
    rows = _sql(
        wiring,
        "SELECT id, creditor_id, occurred_at, actor, action, subject, payload FROM audit_events "
        "WHERE creditor_id = :c ORDER BY id",
        c=tenant.creditor_id,
    )
    with wiring.db.transaction(read_only=True) as session:
        entries = audit.chain_of(session, tenant.creditor_id)[0]
    prev = GENESIS
    for index, entry in enumerate(entries):
        payload = dict(entry.payload)
        if index == 4:
            payload["role"] = "admin"
        body = event_body(
            entry.creditor_id, entry.actor, entry.action, entry.subject, payload, entry.occurred_at
        )
        new_hash = event_hash(prev, body)
        _sql(
            wiring,
            "UPDATE audit_events SET payload = :p, prev_hash = :prev, hash = :h WHERE id = :i",
            p=json.dumps(payload),
            prev=prev,
            h=new_hash,
            i=entry.id,
        )
        prev = new_hash
    _sql(
        wiring,
        "UPDATE audit_chain_heads SET last_hash = :h WHERE chain = :c",
        h=prev,
        c=tenant.creditor_id,
    )
    assert len(rows) == 9
    report = _verify(wiring, tenant.creditor_id)
    assert report.first_mismatch is not None
    assert (report.first_mismatch.event_id, report.first_mismatch.sequence) == (grown[3], 4)
    assert (
        "from" in report.first_mismatch.problem
        and f"{grown[5]} (sequence 6)" in report.first_mismatch.problem
    )
    assert [p.tree_size for p in report.checkpoint_problems if "its signed root" in p.problem] == [
        6,
        9,
    ]


def test_an_altered_checkpoint_signature_or_root_is_reported(
    wiring: Wiring, tenant: Tenant, grown: list[int]
) -> None:
    checkpoints = _sql(
        wiring, "SELECT id, signature FROM audit_checkpoints WHERE chain = :c ORDER BY tree_size",
        c=tenant.creditor_id,
    )  # fmt: skip
    middle_id, signature = checkpoints[1]
    altered = bytes([signature[0] ^ 1]) + bytes(signature[1:])
    _sql(
        wiring, "UPDATE audit_checkpoints SET signature = :s WHERE id = :i", s=altered, i=middle_id
    )
    report = _verify(wiring, tenant.creditor_id)
    assert report.first_mismatch is None  # the events are intact
    assert [(p.checkpoint_id, p.problem) for p in report.checkpoint_problems] == [
        (
            middle_id,
            f"checkpoint {middle_id} (6 events): the signature does not verify against the "
            "signer certificate",
        )
    ]
    last_id = checkpoints[2][0]
    _sql(
        wiring, "UPDATE audit_checkpoints SET root_hash = :r WHERE id = :i", r="ab" * 32, i=last_id
    )
    problems = [p.problem for p in _verify(wiring, tenant.creditor_id).checkpoint_problems]
    assert any(p.startswith(f"checkpoint {last_id} (9 events): the signature") for p in problems)
    assert any(
        p.startswith(f"checkpoint {last_id} (9 events): its signed root abababab") for p in problems
    )
    assert any("is not consistent with checkpoint" in p for p in problems)


def test_events_past_the_recorded_head_must_continue_the_chain(
    wiring: Wiring, tenant: Tenant, grown: list[int]
) -> None:
    """What a verification sees while an append commits: the event is past the head it read.
    Such an event is fine if it follows the head; a row slipped in after it is named."""
    last = grown[-1]
    previous_hash = _sql(wiring, "SELECT hash FROM audit_events WHERE id = :i", i=grown[-2])[0][0]
    _sql(
        wiring,
        "UPDATE audit_chain_heads SET last_event_id = :i, last_hash = :h WHERE chain = :c",
        i=grown[-2], h=previous_hash, c=tenant.creditor_id,
    )  # fmt: skip
    report = _verify(wiring, tenant.creditor_id)
    assert report.first_mismatch is None and report.events == 8
    assert any("more events than the log holds" in p.problem for p in report.checkpoint_problems)
    _sql(wiring, "UPDATE audit_events SET prev_hash = :h WHERE id = :i", h="0" * 64, i=last)
    report = _verify(wiring, tenant.creditor_id)
    assert report.first_mismatch is not None
    assert (report.first_mismatch.event_id, report.first_mismatch.sequence) == (last, 9)
