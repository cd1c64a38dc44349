"""Archived bytes are re-hashed whenever they are handed on (review D12, issue 13 item 6).

A PDF changed in the archive by one byte, or gone from it, is never served as the original:
``GET /v1/documents/{id}/pdf`` answers ``409 archive_mismatch`` naming the object (not a path),
and an ``ArchiveMismatchFound`` event lands on the creditor's audit chain, which still verifies.
The record itself stays readable (the document is not a silent 404), and no answer about the
archive shows where on the server it lives."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.archive import ArchiveMismatch, LocalArchive, MemoryArchive, read_checked
from service.audit.models import AuditEventRow
from service.bootstrap import Wiring
from tests.api import Tenant, fixture, issued, key_for, make_tenant
from tests.s3 import S3Archive, alter_archived
from tests.templates.helpers import changed_reminder
from tests.web.helpers import logged_in

SERVICE = Path(__file__).resolve().parents[2] / "service"


def _flip_one_byte(stored: bytes) -> bytes:
    data = bytearray(stored)
    data[len(data) // 3] ^= 0x01
    return bytes(data)


def _remove_archived(wiring: Wiring, sha256: str) -> None:
    archive = wiring.archive
    if isinstance(archive, LocalArchive):
        archive.path_for(sha256).unlink()
        return
    assert isinstance(archive, S3Archive), archive
    # a delete marker over the locked version: a plain GET finds nothing
    archive.client.delete_object(Bucket=archive.bucket, Key=f"{archive.prefix}objects/{sha256}")


def _mismatch_events(wiring: Wiring, creditor_id: str) -> list[AuditEventRow]:
    with wiring.db.transaction(read_only=True) as session:
        return list(
            session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.creditor_id == creditor_id)
                .where(AuditEventRow.action == "ArchiveMismatchFound")
                .order_by(AuditEventRow.id)
            )
        )


def _server_places(wiring: Wiring) -> list[str]:
    """Strings that would give away where the archive lives."""
    places = [str(wiring.settings.data_dir.resolve()), "/sha256/", "objects/"]
    if isinstance(wiring.archive, S3Archive):
        places += [wiring.archive.bucket, "s3://"]
    return places


@pytest.fixture
def document(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, Any]:
    return issued(client, tenant, fixture("issue-reminder.json"))


def test_untouched_pdf_is_served_and_hashes_to_its_etag(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    response = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers())
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == document["sha256"]
    assert response.headers["ETag"] == f'"{document["sha256"]}"'
    assert _mismatch_events(wiring, tenant.creditor_id) == []


def test_one_changed_byte_is_refused_recorded_and_the_chain_still_verifies(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    alter_archived(wiring.archive, document["sha256"], _flip_one_byte)

    response = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers())

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "archive_mismatch"
    assert document["sha256"] in error["message"] and "changed" in error["message"]
    assert not any(place in response.text for place in _server_places(wiring))
    (event,) = _mismatch_events(wiring, tenant.creditor_id)
    assert event.subject == f"document:{document['id']}"
    assert event.payload == {
        "sha256": document["sha256"],
        "problem": "altered",
        "read_by": "document.pdf",
    }
    chain = client.get("/v1/audit/verify", headers=tenant.headers()).json()
    assert chain["ok"] is True and chain["first_mismatch"] is None, chain
    # the record is still there: the refusal is about its bytes, not a 404 of the document
    record = client.get(f"/v1/documents/{document['id']}", headers=tenant.headers())
    assert record.status_code == 200 and record.json()["sha256"] == document["sha256"]


def test_a_missing_object_is_an_archive_mismatch_not_a_404_of_the_document(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    _remove_archived(wiring, document["sha256"])

    response = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "archive_mismatch"
    assert "missing" in response.json()["error"]["message"]
    assert not any(place in response.text for place in _server_places(wiring))
    (event,) = _mismatch_events(wiring, tenant.creditor_id)
    assert event.payload["problem"] == "missing"


def test_verify_reports_a_missing_object_without_a_server_path(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    gone = issued(client, tenant, fixture("issue-reminder.json"))
    _remove_archived(wiring, gone["sha256"])

    response = client.get(f"/v1/documents/{gone['id']}/verify", headers=tenant.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and body["checks"]["hash"]["ok"] is False
    assert "missing" in str(body["checks"]["hash"])
    assert not any(place in response.text for place in _server_places(wiring)), body


def test_the_document_of_another_creditor_stays_a_404_and_records_nothing(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "180140000008"})
    alter_archived(wiring.archive, document["sha256"], _flip_one_byte)
    response = client.get(f"/v1/documents/{document['id']}/pdf", headers=other.headers())
    assert response.status_code == 404
    assert _mismatch_events(wiring, tenant.creditor_id) == []


@pytest.mark.parametrize("kind", ["memory", "local"])
def test_read_checked_refuses_altered_and_missing_bytes_in_every_backend(
    kind: str, tmp_path: Path
) -> None:
    archive = MemoryArchive() if kind == "memory" else LocalArchive(tmp_path / "archive")
    kept = archive.put(b"%PDF-1.7 kept\n")
    assert read_checked(archive, kept.sha256) == b"%PDF-1.7 kept\n"
    if isinstance(archive, MemoryArchive):
        archive.tamper(kept.sha256, b"%PDF-1.7 changed\n")
    else:
        path = archive.path_for(kept.sha256)
        path.chmod(0o644)
        path.write_bytes(b"%PDF-1.7 changed\n")
    with pytest.raises(ArchiveMismatch) as altered:
        read_checked(archive, kept.sha256)
    assert (altered.value.status, altered.value.problem) == (409, "altered")
    absent = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(ArchiveMismatch) as missing:
        read_checked(archive, absent)
    assert missing.value.problem == "missing"
    assert str(tmp_path) not in missing.value.message + altered.value.message


# Modules that read archived bytes with ``get`` and re-hash them on the spot, reporting a
# mismatch in their own answer rather than refusing: the evidence pack (its report lists the
# damaged file), verification (it is the report), the e-mail sender (a permanent failure).
RE_HASH_THEMSELVES = {
    "evidence/assemble.py",
    "evidence/service.py",
    "mail/service.py",
}


def test_every_reader_of_archived_bytes_outside_the_archive_re_hashes_them() -> None:
    """Whoever hands archived bytes on uses ``read_checked`` (or ``audit.read_archived``); a
    plain ``.get(sha256)`` on an archive is only for the modules listed above."""
    found = set()
    for path in SERVICE.rglob("*.py"):
        relative = path.relative_to(SERVICE).as_posix()
        if relative.startswith("archive/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and not (node.args and isinstance(node.args[0], ast.Constant))  # a dict's get
                and isinstance(node.func.value, (ast.Name, ast.Attribute))
                and (
                    node.func.value.attr
                    if isinstance(node.func.value, ast.Attribute)
                    else node.func.value.id
                )
                == "archive"
            ):
                found.add(relative)
    assert found == RE_HASH_THEMSELVES


def test_template_sources_changed_in_the_archive_are_refused_and_recorded(
    client: TestClient, wiring: Wiring
) -> None:
    author = key_for(wiring, None, "lawyer")
    headers = {"Authorization": f"Bearer {author}"}
    created = client.post(
        "/v1/templates/reminder/kk/versions",
        files={"source": ("reminder.zip", changed_reminder(wiring), "application/zip")},
        data={"engine": "typst", "changelog": "A warmer salutation."},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    version = created.json()["id"]
    alter_archived(wiring.archive, version, _flip_one_byte)
    wiring.template_sources._bundles.clear()  # as a new process: nothing read yet

    response = client.get(f"/v1/template-versions/{version}/source", headers=headers)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "archive_mismatch"
    assert not any(place in response.text for place in _server_places(wiring))
    with wiring.db.transaction(read_only=True) as session:
        (event,) = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "ArchiveMismatchFound")
        )
    assert event.creditor_id is None and event.subject == f"template-version:{version}"
    assert event.payload["read_by"] == "template.source"


def test_the_auditor_pages_refuse_a_changed_delivery_proof_and_pdf(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    receipt = b"%PDF-1.4 scanned postal receipt RR123456789KZ"
    delivered = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        data={"delivery": json.dumps({**fixture("delivery.json"), "delivered_at": "2026-11-24"})},
        files=[("proof", ("receipt.pdf", receipt, "application/pdf"))],
        headers=tenant.headers(),
    )
    assert delivered.status_code == 201, delivered.text
    proof = hashlib.sha256(receipt).hexdigest()
    alter_archived(wiring.archive, proof, _flip_one_byte)
    alter_archived(wiring.archive, document["sha256"], _flip_one_byte)
    logged_in(client, tenant.auditor_key)

    changed_proof = client.get(f"/ui/documents/{document['id']}/proofs/{proof}")
    changed_pdf = client.get(f"/ui/documents/{document['id']}/pdf")

    assert (changed_proof.status_code, changed_pdf.status_code) == (409, 409)
    assert b"%PDF" not in changed_proof.content + changed_pdf.content
    events = _mismatch_events(wiring, tenant.creditor_id)
    assert [(e.subject, e.payload["read_by"]) for e in events] == [
        (f"delivery:{delivered.json()['id']}", "auditor.proof_file"),
        (f"document:{document['id']}", "document.pdf"),
    ]
