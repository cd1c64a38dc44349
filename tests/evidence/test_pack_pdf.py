"""The evidence pack as a signed PDF/A-3 (issue 11 acceptance): for a case with a reminder and a
warning, both delivered with proof files, and a pre-court letter, the pack opens, its outline
lists every item, every embedded file is byte for byte the archived one and each document's own
signature still validates once extracted, and the pack's signature validates."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from service.audit.proofs import (
    InclusionProof,
    check_checkpoint_json,
    leaf_hash_hex,
    verify_inclusion,
)
from service.bootstrap import Wiring
from service.clock import FixedClock
from service.signing import Pkcs12Signer, verify_pdf
from tests.api import CASE, Tenant, fixture, key_for, make_tenant, pdf_of
from tests.evidence.pack_builders import Ladder, walk_ladder
from tests.pdftext import contains, pdf_text


@pytest.fixture
def ladder(client: TestClient, tenant: Tenant, clock: FixedClock) -> Ladder:
    return walk_ladder(client, tenant, clock)


def pack(client: TestClient, key: str, query: str = "") -> bytes:
    response = client.get(
        f"/v1/cases/{CASE}/evidence-pack{query}", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    return response.content


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader.outline)
    return titles


def test_the_pack_embeds_every_document_and_proof_unchanged_and_everything_validates(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer
) -> None:
    data = pack(client, tenant.auditor_key)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4

    documents = [ladder.reminder, ladder.warning, ladder.pretrial]
    titles = outline_titles(reader)
    for document in documents:
        assert any(document["number"] in t for t in titles), (document["number"], titles)
    assert any("квитанция.pdf" in t for t in titles) and any("notice.png" in t for t in titles)
    for section in ("Хронология", "Жүгінуге дайындық", "Проверка подписей"):
        assert any(section in t for t in titles), section

    attachments = {name: contents[0] for name, contents in reader.attachments.items()}
    assert len(attachments) == 6, sorted(attachments)  # 3 documents, 2 proofs, manifest.json
    roots = [signer.certificate_der]
    for document in documents:
        archived = pdf_of(client, tenant, document["id"])
        (name,) = [n for n in attachments if n.endswith(f"{document['number']}.pdf")]
        assert attachments[name] == archived
        assert hashlib.sha256(attachments[name]).hexdigest() == document["sha256"]
        assert verify_pdf(attachments[name], trust_roots=roots).ok, name
    proofs = {n: v for n, v in attachments.items() if "-proof-" in n}
    assert sorted(proofs.values()) == sorted(ladder.proofs.values())

    report = verify_pdf(data, trust_roots=roots)
    assert report.ok, report.problems
    assert report.signer_subject == signer.subject


def test_the_pack_is_pdf_a_3_with_associated_files_by_relationship(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    reader = PdfReader(io.BytesIO(pack(client, tenant.auditor_key)))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    # pyHanko rewrites the XMP packet when it signs (attributes instead of elements)
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    relationships = {}
    for spec in reader.trailer["/Root"]["/AF"]:
        spec = spec.get_object()
        relationships[str(spec["/UF"])] = str(spec["/AFRelationship"])
    assert relationships.pop("manifest.json") == "/Data"
    assert {r for n, r in relationships.items() if "-proof-" in n} == {"/Supplement"}
    assert {r for n, r in relationships.items() if "-proof-" not in n} == {"/Source"}


def test_the_pdf_alone_carries_inclusion_proofs_that_verify_against_the_signed_checkpoint(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer
) -> None:
    """Issue 11 acceptance, for the PDF a notary receives without the ZIP: its manifest.json
    attachment holds the signed checkpoint and each case event's inclusion proof."""
    made = client.post("/v1/audit/checkpoints", headers=tenant.headers())
    assert made.status_code == 201, made.text
    reader = PdfReader(io.BytesIO(pack(client, tenant.auditor_key)))
    (data,) = reader.attachments["manifest.json"]
    audit = json.loads(data)["audit"]
    checked = check_checkpoint_json(audit["checkpoint"], trust_roots=[signer.certificate_der])
    assert checked.ok and checked.checkpoint is not None, checked.problems
    assert checked.checkpoint.root == made.json()["root_hash"]
    events = audit["events"]
    assert len(events) >= 5  # 3 issued, 2 deliveries
    for event in events:
        proof = InclusionProof.from_json(event["inclusion"])
        assert verify_inclusion(proof, leaf_hash_hex(proof.leaf_data), checked.checkpoint.root)
        assert not verify_inclusion(
            proof, leaf_hash_hex(proof.leaf_data + b" "), checked.checkpoint.root
        )


def test_cover_is_kazakh_first_with_parties_debt_and_basis(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    data = pack(client, tenant.auditor_key)
    text = pdf_text(data)
    assert text.index("Дәлелдемелер топтамасы") < text.index("Доказательственный пакет")
    assert contains(data, "Өндіріп алушы / Взыскатель", "Борышкер / Должник")
    assert contains(data, "«Нотариат туралы» ҚР Заңының 92-1-бабының 3-тармағы")
    assert contains(data, "п. 3 ст. 92-1 Закона РК «О нотариате»")
    # the chronology: charges, payments, the three documents, both deliveries
    assert contains(data, "Поступил платёж", "Выпущен документ: Напоминание")
    assert contains(data, "№ 2026-00001: заказное письмо — вручено", "RR123456789KZ")


def test_the_readiness_check_names_what_the_notary_route_misses(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    data = pack(client, tenant.auditor_key, "?route=notary")
    # no written acknowledgment: the penalty stays out (notary law art. 92-1 p. 3)
    assert contains(data, "Нет письменного признания долга")
    assert contains(data, "Борышты жазбаша мойындау жоқ")
    # the pre-court letter was issued but its delivery is not recorded
    assert contains(data, f"Досудебная претензия № {ladder.pretrial['number']} выпущена")
    assert contains(data, "Официальное предупреждение № 2026-00002 вручено 08.12.2026")


def test_the_court_route_checks_the_venue_instead(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    data = pack(client, tenant.auditor_key, "?route=court")
    assert contains(data, "Судебный порядок")
    assert contains(data, "ст. 29 ГПК РК", "Место обращения: г. Алматы")
    assert not contains(data, "Нет письменного признания долга")


def test_who_may_take_the_pack(
    client: TestClient, tenant: Tenant, ladder: Ladder, wiring: Wiring
) -> None:
    url = f"/v1/cases/{CASE}/evidence-pack"
    for role, status in (("auditor", 200), ("system", 200), ("admin", 200), ("lawyer", 403)):
        key = key_for(wiring, tenant.creditor_id, role)
        response = client.get(url, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == status, (role, response.text)
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    response = client.get(url, headers=other.headers(other.auditor_key))
    assert response.status_code == 404
    assert client.get(url).status_code == 401
    assert client.get(url + "?route=bailiff", headers=tenant.headers()).status_code == 422


def test_a_recorded_acknowledgment_lets_the_penalty_go_and_asks_to_check_the_notary(
    client: TestClient, tenant: Tenant, ladder: Ladder
) -> None:
    """Notary law art. 92-1 p. 3: penalty only with a written acknowledgment, which the notary
    certified (unless the contract says otherwise): an uncertified one is for review."""
    response = client.post(
        f"/v1/cases/{CASE}/acknowledgments",
        json={"source": "letter", "date": "2026-12-20"},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    archive = zipfile.ZipFile(io.BytesIO(pack(client, tenant.auditor_key, "?format=zip")))
    manifest = json.loads(archive.read("manifest.json"))
    codes = {c["code"]: c["status"] for c in manifest["readiness"]}
    assert codes["penalty_acknowledgment"] == "review"
    assert Decimal(manifest["debt"]["claim"]["penalty"]) > 0
    data = pack(client, tenant.auditor_key)
    assert contains(data, "Долг признан письменно 20.12.2026", "Борыш жазбаша мойындалды")


def test_a_case_without_documents_still_gives_a_pack_that_says_what_is_missing(
    client: TestClient, tenant: Tenant, signer: Pkcs12Signer
) -> None:
    case = fixture("case.json")
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 201
    data = pack(client, tenant.auditor_key)
    assert verify_pdf(data, trust_roots=[signer.certificate_der]).ok
    assert list(PdfReader(io.BytesIO(data)).attachments) == ["manifest.json"]  # no files
    assert contains(data, "Официальное предупреждение по делу не выпускалось")


def test_the_chronology_carries_the_case_log_without_its_free_texts(
    client: TestClient, tenant: Tenant, ladder: Ladder, clock: FixedClock
) -> None:
    """Promises, calls and the debtor's requests are part of the case's story a notary or a
    court reads; their free texts stay in the log (they may hold what the debtor said)."""
    promised = (clock.today() + dt.timedelta(days=10)).isoformat()
    for body in (
        {"kind": "call", "note": "Сказал, что заплатит до конца месяца"},
        {"kind": "promise", "promised_date": promised, "amount": "9360.00"},
        {"kind": "request", "request": "Прошу пересчитать пеню"},
    ):
        response = client.post(f"/v1/cases/{CASE}/log", json=body, headers=tenant.headers())
        assert response.status_code == 201, response.text
    data = pack(client, tenant.auditor_key)
    assert contains(data, "Звонок должнику", "Борышкерге телефон соғылды")
    day = f"{promised[8:10]}.{promised[5:7]}.{promised[:4]}"
    assert contains(data, f"Должник обещал оплатить до {day}", "9 360,00")
    assert contains(data, "Обращение должника; ответа ещё нет")
    text = pdf_text(data)
    assert "заплатит" not in text and "пересчитать" not in text, "free texts stay in the log"


def test_taking_the_pack_signs_the_log_first_so_every_event_has_a_proof(
    client: TestClient, tenant: Tenant, ladder: Ladder, signer: Pkcs12Signer
) -> None:
    """No checkpoint was asked for: the pack signs the creditor's log before reading it, so the
    events of the ladder just walked are all covered (none ``covered: false``)."""
    reader = PdfReader(io.BytesIO(pack(client, tenant.auditor_key)))
    (data,) = reader.attachments["manifest.json"]
    audit = json.loads(data)["audit"]
    checked = check_checkpoint_json(audit["checkpoint"], trust_roots=[signer.certificate_der])
    assert checked.ok and checked.checkpoint is not None, checked.problems
    assert audit["events"]
    assert all(e["inclusion"] != {"covered": False} for e in audit["events"])
    for event in audit["events"]:
        proof = InclusionProof.from_json(event["inclusion"])
        assert verify_inclusion(proof, leaf_hash_hex(proof.leaf_data), checked.checkpoint.root)

    def checkpoints() -> int:
        listed = client.get("/v1/audit/checkpoints", headers=tenant.headers(tenant.auditor_key))
        assert listed.status_code == 200, listed.text
        return len(listed.json()["checkpoints"])

    before = checkpoints()
    pack(client, tenant.auditor_key)
    assert checkpoints() == before, "a log that did not grow is not signed again"
