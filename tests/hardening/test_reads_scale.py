"""Reads that do not grow with the creditor's records (review D16, issue 13 item 7).

The work list (``GET /v1/cases``) is paged by case id: a page evaluates at most ``limit`` cases
and links the next one; the statements one page runs are the same for 4 cases as for 12 (counted
on the engine, not timed). Verifying a document reads the audit events after the last verified
checkpoint and the document's own event, not the creditor's whole chain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from service.audit.models import AuditEventRow
from service.bootstrap import Wiring
from service.segments.service import MAX_PAGE
from tests.api import Tenant, fixture, issued, monthly, put_case


@contextmanager
def statements(wiring: Wiring) -> Iterator[list[str]]:
    """Every SQL statement the service runs inside the block."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(wiring.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(wiring.db.engine, "before_cursor_execute", note)


def _cases(client: TestClient, tenant: Tenant, count: int, start: int = 0) -> list[str]:
    ids = [f"W-{n:03d}" for n in range(start, start + count)]
    for external_id in ids:
        put_case(client, tenant, external_id, monthly("2026-08", "2026-09", "2026-10"))
    return ids


def _page(client: TestClient, tenant: Tenant, url: str, **params: Any) -> dict[str, Any]:
    # (a ``next`` link carries its own query: httpx would replace it with empty params)
    response = client.get(url, params=params or None, headers=tenant.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_work_list_is_paged_by_id_and_next_leads_through_every_case_once(
    client: TestClient, tenant: Tenant
) -> None:
    ids = _cases(client, tenant, 7)
    pages = [_page(client, tenant, "/v1/cases", limit=3)]
    while pages[-1]["next"] is not None:
        pages.append(_page(client, tenant, pages[-1]["next"]))
    assert [[c["external_id"] for c in p["cases"]] for p in pages] == [ids[:3], ids[3:6], ids[6:]]
    assert [p["examined"] for p in pages] == [3, 3, 1]
    assert pages[0]["next"] == "/v1/cases?limit=3&after=W-002"


def test_a_filtered_page_examines_limit_cases_and_keeps_the_filter_in_next(
    client: TestClient, tenant: Tenant
) -> None:
    ids = _cases(client, tenant, 5)
    paid = [{"date": "2026-10-05", "amount": "9360.00"}]
    put_case(client, tenant, "W-002", monthly("2026-10"), paid)  # nothing overdue: "clear"
    first = _page(client, tenant, "/v1/cases", limit=2, segment="clear")
    assert first["examined"] == 2 and first["cases"] == []
    assert first["next"] == "/v1/cases?segment=clear&limit=2&after=W-001"
    second = _page(client, tenant, first["next"])
    assert [c["external_id"] for c in second["cases"]] == ["W-002"]
    assert second["cases"][0]["segment"] == "clear"
    last = _page(client, tenant, second["next"])
    assert [c["external_id"] for c in last["cases"]] == [] and last["examined"] == 1
    assert last["next"] is None and len(ids) == 5


def test_one_page_runs_as_many_statements_for_12_cases_as_for_4(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    _cases(client, tenant, 4)
    with statements(wiring) as few:
        assert _page(client, tenant, "/v1/cases", limit=2)["examined"] == 2
    _cases(client, tenant, 8, start=4)
    with statements(wiring) as many:
        assert _page(client, tenant, "/v1/cases", limit=2)["examined"] == 2
    assert len(many) == len(few), (len(few), len(many))


def test_limit_is_bounded_and_named_when_out_of_range(client: TestClient, tenant: Tenant) -> None:
    for limit in (0, MAX_PAGE + 1):
        response = client.get("/v1/cases", params={"limit": limit}, headers=tenant.headers())
        assert response.status_code == 422
        assert response.json()["errors"][0]["path"] == "limit"
    empty = client.get("/v1/cases", params={"after": ""}, headers=tenant.headers())
    assert empty.status_code == 422 and empty.json()["errors"][0]["path"] == "after"


@contextmanager
def audit_rows_read() -> Iterator[list[AuditEventRow]]:
    """The audit events loaded from the database inside the block."""
    loaded: list[AuditEventRow] = []

    def note(row: AuditEventRow, _context: Any) -> None:
        loaded.append(row)

    event.listen(AuditEventRow, "load", note)
    try:
        yield loaded
    finally:
        event.remove(AuditEventRow, "load", note)


def _chain_length(wiring: Wiring, creditor_id: str) -> int:
    with wiring.db.transaction(read_only=True) as session:
        query = text("SELECT count(*) FROM audit_events WHERE creditor_id = :c")
        return int(session.execute(query, {"c": creditor_id}).scalar_one())


def _edit_payload(wiring: Wiring, event_id: int, payload: str) -> None:
    with wiring.db.transaction() as session:
        query = text("UPDATE audit_events SET payload = :p WHERE id = :i")
        session.execute(query, {"p": payload, "i": event_id})


def _issued_event(wiring: Wiring, document_id: str) -> int:
    with wiring.db.transaction(read_only=True) as session:
        query = text("SELECT id FROM audit_events WHERE subject = :s AND action = 'DocumentIssued'")
        return int(session.execute(query, {"s": f"document:{document_id}"}).scalar_one())


def _verify(client: TestClient, tenant: Tenant, document_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/documents/{document_id}/verify", headers=tenant.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_verify_reads_the_events_after_the_checkpoint_and_its_own_not_the_whole_chain(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    document = issued(client, tenant, fixture("issue-reminder.json"))
    _cases(client, tenant, 12)  # a dozen events after the document's
    with audit_rows_read() as whole:  # no checkpoint yet: the whole chain, as before
        assert _verify(client, tenant, document["id"])["valid"] is True
    length = _chain_length(wiring, tenant.creditor_id)
    assert len(whole) == length >= 15

    made = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert made.status_code == 201, made.text
    _cases(client, tenant, 2, start=100)  # two events since the checkpoint
    with audit_rows_read() as read:
        assert _verify(client, tenant, document["id"])["valid"] is True
    # the checkpoint's last event and the two after it; the document's event and its successor
    assert len(read) == 5, (read, length)
    assert _chain_length(wiring, tenant.creditor_id) == length + 2


def test_verify_still_sees_its_own_event_or_a_recent_one_changed(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    document = issued(client, tenant, fixture("issue-reminder.json"))
    _cases(client, tenant, 3)
    assert client.post("/v1/audit/checkpoints", headers=tenant.headers()).status_code == 201
    _cases(client, tenant, 1, start=100)

    own = _issued_event(wiring, document["id"])
    _edit_payload(wiring, own, json.dumps({"sha256": document["sha256"], "number": "X"}))
    changed = _verify(client, tenant, document["id"])
    assert changed["valid"] is False
    assert f"audit event {own} was altered after it was written" in str(changed)

    fresh = issued(client, tenant, fixture("issue-reminder.json"))  # verifies: its own is intact
    recent = _issued_event(wiring, fresh["id"])
    _edit_payload(wiring, recent - 1, '{"charges": 99, "payments": 0}')  # after the checkpoint
    assert f"audit event {recent - 1} was altered" in str(_verify(client, tenant, fresh["id"]))


def test_a_case_history_reads_the_events_about_that_case_only(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    document = issued(client, tenant, fixture("issue-reminder.json"))
    _cases(client, tenant, 10)
    case = contract_case["external_id"]
    with audit_rows_read() as read:
        response = client.get(f"/v1/cases/{case}/history", headers=tenant.headers())
    assert response.status_code == 200, response.text
    subjects = {row.subject for row in read}
    assert f"case:{case}" in subjects and f"document:{document['id']}" in subjects
    assert not any(s.startswith("case:W-") for s in subjects), subjects
    assert len(read) == len(response.json()["events"]) < _chain_length(wiring, tenant.creditor_id)
