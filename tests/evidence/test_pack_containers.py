"""The evidence pack as an ASiC-E container (CAdES detached over ASiCManifest.xml) and as a
court-upload set (PDFs of at most 20 MB and a signed index); and ``talap evidence-pack``."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from service.audit.proofs import (
    InclusionProof,
    check_checkpoint_json,
    leaf_hash_hex,
    verify_inclusion,
)
from service.bootstrap import Wiring, build_archive
from service.cli import main
from service.clock import FixedClock
from service.evidence.court import build_court
from service.evidence.pack import Format
from service.evidence.packs import service as packs
from service.kernel.route import Route
from service.settings import Settings
from service.signing import Pkcs12Signer, verify_pdf
from service.signing.cms import verify_detached
from tests.api import CASE, Tenant, fixture, pdf_of
from tests.evidence.pack_builders import Ladder, walk_ladder
from tests.pdftext import contains
from tests.s3 import alter_archived, settings_environment

ASIC = "{http://uri.etsi.org/02918/v1.2.1#}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture
def ladder(client: TestClient, tenant: Tenant, clock: FixedClock) -> Ladder:
    return walk_ladder(client, tenant, clock)


def get(client: TestClient, tenant: Tenant, query: str) -> bytes:
    response = client.get(
        f"/v1/cases/{CASE}/evidence-pack{query}", headers=tenant.headers(tenant.auditor_key)
    )
    assert response.status_code == 200, response.text
    return response.content


def references(manifest: bytes) -> dict[str, str]:
    root = ET.fromstring(manifest)
    assert root.tag == f"{ASIC}ASiCManifest"
    assert root.find(f"{ASIC}SigReference").get("URI") == "META-INF/signature.p7s"  # type: ignore[union-attr]
    found = {}
    for ref in root.findall(f"{ASIC}DataObjectReference"):
        method = ref.find(f"{DS}DigestMethod")
        assert method is not None
        assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"
        found[str(ref.get("URI"))] = str(ref.findtext(f"{DS}DigestValue"))
    return found


def test_the_zip_is_an_asic_e_container_whose_signed_manifest_covers_every_file(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer, tmp_path: Path
) -> None:
    data = get(client, tenant, "?format=zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.etsi.asic-e+zip"
    assert data[30:38] == b"mimetype" and data[38:69] == b"application/vnd.etsi.asic-e+zip"

    manifest = archive.read("META-INF/ASiCManifest.xml")
    digests = references(manifest)
    payload = [n for n in archive.namelist() if n != "mimetype" and not n.startswith("META-INF/")]
    assert sorted(digests) == sorted(payload)
    assert len([n for n in payload if n.startswith("documents/")]) == 3
    assert len([n for n in payload if n.startswith("proofs/")]) == 2
    for name, digest in digests.items():
        assert base64.b64decode(digest) == hashlib.sha256(archive.read(name)).digest(), name
    for document in (ladder.reminder, ladder.warning, ladder.pretrial):
        (name,) = [n for n in payload if n.endswith(f"{document['number']}.pdf")]
        assert archive.read(name) == pdf_of(client, tenant, document["id"])

    signature = archive.read("META-INF/signature.p7s")
    report = verify_detached(manifest, signature, trust_roots=[signer.certificate_der])
    assert report.ok and report.development_key, report.problems
    altered = manifest.replace(b"documents/", b"documentz/", 1)
    assert not verify_detached(altered, signature, trust_roots=[signer.certificate_der]).intact

    openssl = shutil.which("openssl")
    if openssl:  # an independent verifier of the same CMS
        (tmp_path / "m.xml").write_bytes(manifest)
        (tmp_path / "s.p7s").write_bytes(signature)
        (tmp_path / "ca.der").write_bytes(signer.certificate_der)
        subprocess.run(
            [openssl, "x509", "-inform", "DER", "-in", "ca.der", "-out", "ca.pem"],
            cwd=tmp_path, check=True,
        )  # fmt: skip
        verified = subprocess.run(
            [openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.p7s", "-content",
             "m.xml", "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null"],
            cwd=tmp_path, capture_output=True, text=True,
        )  # fmt: skip
        assert verified.returncode == 0, verified.stderr


def test_manifest_json_says_what_each_file_is_and_how_it_checked_out(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(get(client, tenant, "?format=zip")))
    manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    assert manifest["case"] == CASE and manifest["route"] == "notary" and manifest["valid"]
    documents = {d["number"]: d for d in manifest["documents"]}
    reminder = documents[ladder.reminder["number"]]
    assert reminder["id"] == ladder.reminder["id"]
    assert reminder["template_version"] == ladder.reminder["template_version"]
    assert reminder["sha256"] == ladder.reminder["sha256"]
    assert "housing-34-1-p8" in reminder["provisions"]
    assert reminder["validation"]["signature_ok"] and reminder["validation"]["hash_ok"]
    (delivery,) = reminder["deliveries"]
    assert delivery["outcome"] == "delivered" and delivery["delivered_at"] == "2026-11-24"
    assert delivery["proofs"][0]["file"] in archive.namelist()
    pretrial = documents[ladder.pretrial["number"]]
    assert "notary-92-2-p3" in pretrial["provisions"] and pretrial["deliveries"] == []
    codes = {c["code"]: c["status"] for c in manifest["readiness"]}
    assert codes["penalty_acknowledgment"] == "missing" and codes["venue"] == "ok"
    assert manifest["audit"]["chain_ok"] and manifest["audit"]["events"]
    # no personal data: not the debtor's name, not the ИИН
    text = archive.read("manifest.json").decode()
    assert "Жақсыбеков" not in text and "780412300566" not in text


def test_a_tampered_archive_object_shows_in_the_pack_instead_of_breaking_it(
    client: TestClient, tenant: Tenant, ladder: Ladder, settings: Settings
) -> None:
    sha = ladder.warning["sha256"]
    alter_archived(build_archive(settings), sha, lambda data: data.replace(b"%%EOF", b"%%EOX"))
    archive = zipfile.ZipFile(io.BytesIO(get(client, tenant, "?format=zip")))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["valid"] is False
    warning = next(d for d in manifest["documents"] if d["sha256"] == sha)
    assert warning["validation"]["hash_ok"] is False
    assert "the archived bytes do not match the recorded hash" in warning["validation"]["problems"]


def test_the_court_set_is_plain_pdfs_under_the_limit_with_a_signed_index(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(get(client, tenant, "?format=court")))
    names = archive.namelist()
    assert names[0] == "00-index.pdf" and names[1].endswith("report.pdf")
    assert len(names) == 7  # index, report, 3 documents, 2 proofs (the PNG put on a page)
    index = archive.read("00-index.pdf")
    assert verify_pdf(index, trust_roots=[signer.certificate_der]).ok
    for name in names:
        data = archive.read(name)
        assert data.startswith(b"%PDF-") and len(data) <= 20_000_000, name
        if name != "00-index.pdf":
            assert contains(index, hashlib.sha256(data).hexdigest()), name
            assert not PdfReader(io.BytesIO(data)).attachments or name.endswith("file.pdf")
    for document in (ladder.reminder, ladder.warning, ladder.pretrial):
        (name,) = [n for n in names if n.endswith(f"{document['number']}.pdf")]
        assert archive.read(name) == pdf_of(client, tenant, document["id"])


def test_a_report_over_the_limit_is_split_by_its_chronology(wiring: Wiring, ladder: Ladder) -> None:
    with wiring.db.transaction(read_only=True) as session:
        pack = packs.collect_pack(session, wiring.packing(), None, CASE, Route.NOTARY)
    whole = zipfile.ZipFile(io.BytesIO(build_court(pack, wiring.pack_ports())))
    report = whole.read(next(n for n in whole.namelist() if n.endswith("report.pdf")))
    # over the limit: the chronology leaves the report for a part of its own
    limit = len(report) - 1
    moved = zipfile.ZipFile(io.BytesIO(build_court(pack, wiring.pack_ports(), limit=limit)))
    (part,) = [n for n in moved.namelist() if "chronology-" in n]
    assert contains(moved.read(part), "Хронология, 1-бөлім", "Хронология, часть 1")
    assert not contains(moved.read(next(n for n in moved.namelist() if "report" in n)),
                        "Поступил платёж")  # fmt: skip
    # and a chronology over the limit is halved until each part fits
    limit = len(moved.read(part)) - 1
    split = zipfile.ZipFile(io.BytesIO(build_court(pack, wiring.pack_ports(), limit=limit)))
    parts = [n for n in split.namelist() if "chronology-" in n]
    assert len(parts) >= 2
    assert all(len(split.read(n)) <= limit for n in parts)


def test_the_cli_writes_the_pack_with_the_system_clock(
    client: TestClient,
    tenant: Tenant,
    ladder: Ladder,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TALAP_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TALAP_DATABASE_URL", settings.resolved_database_url())
    if settings.database_schema:
        monkeypatch.setenv("TALAP_DATABASE_SCHEMA", settings.database_schema)
    for name, value in settings_environment(settings).items():
        monkeypatch.setenv(name, value)
    for fmt in Format:
        target = tmp_path / f"pack-{fmt.value}"
        code = main(["evidence-pack", CASE, "--format", fmt.value, "-o", str(target)])
        assert code == 0, capsys.readouterr().err
        assert target.stat().st_size > 10_000
    assert PdfReader(tmp_path / "pack-pdf").attachments
    # the command signs a checkpoint first: every event of the case has a verified proof
    audit = json.loads(zipfile.ZipFile(tmp_path / "pack-zip").read("manifest.json"))["audit"]
    assert audit["checkpoint"]["signature_ok"] is True
    assert audit["events"] and all(e["inclusion"]["verified"] for e in audit["events"])
    out = capsys.readouterr().out
    assert "3 documents, valid" in out
    assert main(["evidence-pack", "NO-SUCH-CASE", "-o", str(tmp_path / "x")]) == 2


def test_each_case_event_has_an_inclusion_proof_against_the_signed_checkpoint(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer
) -> None:
    """Issue 11 acceptance: the inclusion proofs in the pack verify against the signed
    checkpoint — checked here from manifest.json alone, as a notary's expert would."""
    made = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert made.status_code == 201, made.text
    # an event after that checkpoint: taking the pack signs the grown log first, so it is
    # covered too, by a newer checkpoint
    response = client.post(
        f"/v1/documents/{ladder.pretrial['id']}/deliveries",
        json={**fixture("delivery.json"), "delivered_at": "2027-01-05"},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    archive = zipfile.ZipFile(io.BytesIO(get(client, tenant, "?format=zip")))
    audit = json.loads(archive.read("manifest.json"))["audit"]
    checked = check_checkpoint_json(audit["checkpoint"], trust_roots=[signer.certificate_der])
    assert checked.ok and checked.checkpoint is not None, checked.problems
    root = checked.checkpoint.root
    proven, later = 0, 0
    for event in audit["events"]:
        if event["inclusion"] == {"covered": False}:
            later += 1
            continue
        proof = InclusionProof.from_json(event["inclusion"])
        assert proof.event_id == event["id"] and proof.tree_size == checked.checkpoint.tree_size
        assert verify_inclusion(proof, leaf_hash_hex(proof.leaf_data), root), event
        assert not verify_inclusion(proof, leaf_hash_hex(proof.leaf_data + b"x"), root)
        proven += 1
    assert proven >= 6 and later == 0  # 3 issued, 2 deliveries, and the late delivery
    assert checked.checkpoint.tree_size > made.json()["tree_size"]
    data = get(client, tenant, "")
    assert contains(
        data, f"Доказательства включения событий дела в этот корень проверены: {proven};"
    )
