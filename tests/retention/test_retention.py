"""Retention: a closed case past its period is anonymised by ``talap retention run`` while its
numbers, hashes, signed PDF and audit chain still verify; a legal hold keeps a case whole; a
case still owing is never touched; ``--dry-run`` changes nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.audit.service import chain_of
from service.bootstrap import Wiring
from service.caselog.models import CaseLogEntryRow
from service.cases.models import CaseRow, DebtorRow
from service.clock import FixedClock
from service.deliveries.models import DeliveryRow
from service.documents.models import IssuedDocumentRow
from service.postal.models import PostListLineRow
from service.retention.commands import run_command
from service.retention.loader import load_policy
from service.retention.policy import CaseFacts, RetentionPeriod, Verdict, add_years, assess
from service.retention.scrub import PLACEHOLDER
from service.signing import Pkcs12Signer, verify_pdf
from service.sms.models import SmsMessageRow
from tests.api import NAME, Tenant, deliver, issued
from tests.conftest import LEGAL, load_fixture
from tests.pdftext import contains

HELD, OWING = "KKT3-21-046", "KKT3-21-047"
CASES = ("KKT3-21-045", HELD, OWING)
IIN, EMAIL = "780412300566", "n.zhaksybekov@example.kz"
ADDRESS = "г. Алматы, мкр. Коктем-3, д. 21, кв. 45"  # the creditor sits in the same building
PAID_IN_FULL = [{"date": "2026-11-20", "amount": "84864.00", "reference": "Kaspi 1"}]


def put(client: TestClient, tenant: Tenant, external_id: str, **changes: Any) -> None:
    case = {**load_fixture("case.json"), "external_id": external_id, **changes}
    response = client.put(f"/v1/cases/{external_id}", json=case, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


@pytest.fixture
def documents(client: TestClient, tenant: Tenant) -> dict[str, dict[str, Any]]:
    """Three cases each with a delivered reminder (24 Nov 2026); the first two then paid in
    full, the second held."""
    found = {}
    for external_id in CASES:
        put(client, tenant, external_id)
        found[external_id] = issued(
            client, tenant, load_fixture("issue-reminder.json"), external_id
        )
        deliver(client, tenant, found[external_id]["id"], "2026-11-24")
    for external_id in CASES[:2]:
        put(client, tenant, external_id, payments=PAID_IN_FULL)
    logged = client.post(
        "/v1/cases/KKT3-21-045/log",
        json={"kind": "call", "note": f"{NAME} confirmed payment, {EMAIL}"},
        headers=tenant.headers(),
    )
    assert logged.status_code == 201, logged.text
    hold = client.put(
        f"/v1/cases/{HELD}/legal-hold",
        json={"reason": "claim filed with the district court"},
        headers=tenant.headers(),
    )
    assert hold.status_code == 200, hold.text
    assert hold.json()["on_hold"] is True
    return found


def run(wiring: Wiring, *, dry_run: bool = False) -> None:
    assert run_command(wiring, argparse.Namespace(dry_run=dry_run, creditor=None)) == 0


def debtor(wiring: Wiring, external_id: str) -> DebtorRow:
    with wiring.db.transaction(read_only=True) as session:
        case = session.query(CaseRow).filter_by(external_id=external_id).one()
        row = session.get(DebtorRow, case.debtor_id)
        assert row is not None
        return row


def stored_document(wiring: Wiring, document_id: str) -> IssuedDocumentRow:
    with wiring.db.transaction(read_only=True) as session:
        row = session.get(IssuedDocumentRow, document_id)
        assert row is not None
        return row


def test_the_period_is_data_and_marked_to_confirm(wiring: Wiring) -> None:
    policy = load_policy(LEGAL, wiring.law.provisions)
    assert policy.period.years == 5 and policy.period.status == "to-confirm"
    assert set(policy.period.informed_by) == {"pd-12-p2", "pd-18"}
    assert policy.keep_signed_pdfs is True
    period = RetentionPeriod("p", 5, "to-confirm", (), "case_closed")
    closed = CaseFacts("c", "k", "E", 100, 100, dt.date(2024, 2, 29), False, False)
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert assess(closed, period, dt.date(2029, 2, 28)).verdict is Verdict.RETAINED
    assert assess(closed, period, dt.date(2029, 3, 1)).verdict is Verdict.ANONYMISE
    owing = CaseFacts("c", "k", "E", 100, 99, dt.date(2000, 1, 1), False, False)
    assert assess(owing, period, dt.date(2029, 3, 1)).verdict is Verdict.OPEN


def test_retention_anonymises_closed_cases_past_the_period_and_everything_still_verifies(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    clock: FixedClock,
    documents: dict[str, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = documents["KKT3-21-045"]
    before = stored_document(wiring, first["id"])

    clock.move_to(dt.date(2031, 11, 24))  # five years after the last activity: not yet past
    run(wiring)
    assert debtor(wiring, "KKT3-21-045").full_name == NAME

    clock.move_to(dt.date(2031, 11, 25))
    run(wiring, dry_run=True)
    printed = capsys.readouterr()
    assert "would     KKT3-21-045" in printed.out and f"held      {HELD}" in printed.out
    assert "to-confirm" in printed.err
    assert debtor(wiring, "KKT3-21-045").full_name == NAME  # a dry run changes nothing

    run(wiring)
    assert "anonymised KKT3-21-045" in capsys.readouterr().out
    gone = debtor(wiring, "KKT3-21-045")
    assert (gone.full_name, gone.iin, gone.contacts) == (PLACEHOLDER, None, {})
    after = stored_document(wiring, first["id"])
    stored = json.dumps([after.snapshot, after.request], ensure_ascii=False)
    for secret in (NAME, IIN, EMAIL, ADDRESS):
        assert secret not in stored
    assert after.snapshot["debtor"]["full_name"] == PLACEHOLDER
    assert (after.number, after.sha256, after.issue_date) == (
        before.number,
        before.sha256,
        before.issue_date,
    )
    assert after.snapshot["debt"] == before.snapshot["debt"]  # amounts are kept
    with wiring.db.transaction(read_only=True) as session:
        notes = [d.note for d in session.query(DeliveryRow).all() if d.document_id == first["id"]]
        (log_entry,) = session.query(CaseLogEntryRow).all()
    assert notes == [None]
    assert log_entry.note == PLACEHOLDER and log_entry.kind == "call"

    # the archived signed PDF, its hash and the audit chain all still verify
    verdict = client.get(f"/v1/documents/{first['id']}/verify", headers=tenant.headers()).json()
    assert verdict["valid"] is True, verdict
    with wiring.db.transaction(read_only=True) as session:
        entries, problems = chain_of(session, tenant.creditor_id)
    assert problems == []
    (event,) = [e for e in entries if e.action == "CaseAnonymised"]
    assert event.subject == "case:KKT3-21-045"
    assert event.payload == {
        "policy": "case-personal-data",
        "retention_ended_on": "2031-11-24",
        "documents": 1,
        "archive_objects_kept": 1,
    }
    assert NAME not in json.dumps([e.payload for e in entries], ensure_ascii=False)

    # held and owing cases are whole; the register shows the anonymised debtor as such
    assert debtor(wiring, HELD).full_name == NAME and debtor(wiring, OWING).iin == IIN
    register = client.get(
        "/v1/registry/outgoing?from=2026-11-01&to=2026-11-30&format=csv",
        headers=tenant.headers(tenant.auditor_key),
    ).content.decode("utf-8-sig")
    assert PLACEHOLDER in register and register.count(NAME) == 2
    state = client.get("/v1/cases/KKT3-21-045/legal-hold", headers=tenant.headers()).json()
    assert state["anonymised_at"] is not None and state["on_hold"] is False

    # lifting the hold lets the next run anonymise the held case too
    lifted = client.delete(f"/v1/cases/{HELD}/legal-hold", headers=tenant.headers())
    assert lifted.status_code == 200 and lifted.json()["on_hold"] is False
    run(wiring)
    assert debtor(wiring, HELD).full_name == PLACEHOLDER
    assert debtor(wiring, OWING).full_name == NAME  # principal still owed: never closed


def test_a_legal_hold_is_placed_by_system_or_admin_only_with_a_reason(
    client: TestClient, tenant: Tenant, wiring: Wiring, documents: dict[str, dict[str, Any]]
) -> None:
    path = f"/v1/cases/{OWING}/legal-hold"
    auditor = client.put(path, json={"reason": "x"}, headers=tenant.headers(tenant.auditor_key))
    assert auditor.status_code == 403
    blank = client.put(path, json={"reason": "   "}, headers=tenant.headers())
    assert blank.status_code == 422 and blank.json()["errors"][0]["path"] == "reason"
    assert client.put(path, json={}, headers=tenant.headers()).status_code == 422
    unknown = client.put(
        "/v1/cases/NOPE/legal-hold", json={"reason": "x"}, headers=tenant.headers()
    )
    assert unknown.status_code == 404
    placed = client.put(path, json={"reason": "regulator's request"}, headers=tenant.headers())
    assert placed.json()["reason"] == "regulator's request"
    with wiring.db.transaction(read_only=True) as session:
        entries, problems = chain_of(session, tenant.creditor_id)
    holds = [e for e in entries if e.action == "LegalHoldPlaced"]
    assert len(holds) == 2 and problems == []
    assert "regulator" not in json.dumps([e.payload for e in holds])  # the reason stays out


def test_after_anonymisation_the_signed_log_and_the_evidence_pack_still_verify(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    clock: FixedClock,
    signer: Pkcs12Signer,
    documents: dict[str, dict[str, Any]],
) -> None:
    """Issue 11 §5: a checkpoint signed before anonymisation still matches the log after it
    (no audit row was rewritten), the next one is consistent with it, and the case's evidence
    pack still finds every document's hash and signature whole — without the debtor's name."""
    before = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert before.status_code == 201, before.text
    clock.move_to(dt.date(2031, 11, 25))
    run(wiring)
    assert debtor(wiring, "KKT3-21-045").full_name == PLACEHOLDER

    auditor = tenant.headers(tenant.auditor_key)
    after = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert after.status_code == 201, after.text  # the log grew by the CaseAnonymised events
    verified = client.get("/v1/audit/verify", headers=auditor).json()
    assert verified["ok"] is True and verified["checkpoints"] == 2, verified
    assert verified["first_mismatch"] is None
    sizes = (before.json()["tree_size"], after.json()["tree_size"])
    consistent = client.get(
        f"/v1/audit/consistency?from_size={sizes[0]}&to_size={sizes[1]}", headers=auditor
    )
    assert consistent.status_code == 200, consistent.text

    response = client.get("/v1/cases/KKT3-21-045/evidence-pack?format=zip", headers=auditor)
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["valid"] is True and manifest["audit"]["chain_ok"] is True
    (document,) = manifest["documents"]
    assert document["sha256"] == documents["KKT3-21-045"]["sha256"]
    assert document["validation"]["hash_ok"] and document["validation"]["signature_ok"]
    assert all(e["inclusion"] != {"covered": False} for e in manifest["audit"]["events"])
    timeline = client.get("/v1/cases/KKT3-21-045/history", headers=auditor)
    assert timeline.status_code == 200, timeline.text
    assert NAME not in timeline.text and "CaseAnonymised" in timeline.text
    pdf = client.get("/v1/cases/KKT3-21-045/evidence-pack", headers=auditor).content
    assert verify_pdf(pdf, trust_roots=[signer.certificate_der]).ok
    assert contains(pdf, PLACEHOLDER.split(" / ")[0]) and not contains(pdf, NAME)


def test_post_list_lines_and_sms_messages_of_an_anonymised_case_lose_the_debtor(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    clock: FixedClock,
    documents: dict[str, dict[str, Any]],
) -> None:
    """The tables that landed beside retention (post lists, SMS) hold the addressee, address
    and phone number too: anonymising the case reaches them; a held case's stay whole."""
    ids = [documents[c]["id"] for c in ("KKT3-21-045", HELD)]
    made = client.post(
        "/v1/post-registers",
        json={
            "document_ids": ids,
            "channel": "registered_post",
            "tracking_numbers": {ids[0]: "RR000000014KZ", ids[1]: "RR000000028KZ"},
        },
        headers=tenant.headers(),
    )
    assert made.status_code == 201, made.text
    with wiring.db.transaction() as session:
        attempts = {line.document_id: line for line in session.query(PostListLineRow).all()}
        for document_id in ids:
            session.add(
                SmsMessageRow(
                    reference=f"sms-{document_id[:8]}",
                    delivery_id=attempts[document_id].delivery_id,
                    creditor_id=tenant.creditor_id,
                    gateway="test",
                    recipient="+77011234567",
                    text=f"{NAME}: 84864.00 KZT",
                    language="kk",
                    encoding="ucs2",
                    segments=1,
                    created_at=clock.now(),
                )
            )
    clock.move_to(dt.date(2031, 11, 25))
    run(wiring)
    with wiring.db.transaction(read_only=True) as session:
        lines = {line.document_id: line for line in session.query(PostListLineRow).all()}
        messages = {m.delivery_id: m for m in session.query(SmsMessageRow).all()}
        gone, held = lines[ids[0]], lines[ids[1]]
        assert (gone.addressee, gone.address) == (PLACEHOLDER, None)
        assert gone.tracking_number == "RR000000014KZ"  # numbers are kept
        assert held.addressee == NAME and held.address is not None
        sent = messages[gone.delivery_id]
        assert sent.recipient == PLACEHOLDER and NAME not in sent.text
        assert "84864.00" in sent.text
        kept = messages[held.delivery_id]
        assert (kept.recipient, kept.text) == ("+77011234567", f"{NAME}: 84864.00 KZT")
