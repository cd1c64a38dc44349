"""The auditor pages (issue 11 scope 6) through the HTTP stack: search, the case with its
timeline, a document with its verification and delivery proofs, downloads — read with the
session's key and its creditor boundary, with every stored value escaped."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.auditor.downloads import attachment, sniff
from service.auditor.search import CaseHit, matching
from service.bootstrap import Wiring
from tests.api import CASE, NAME, Tenant, issue, key_for, make_tenant
from tests.conftest import load_fixture
from tests.web.helpers import logged_in, login

RECEIPT = b"%PDF-1.4 scanned postal receipt RR123456789KZ"


def _deliver(client: TestClient, tenant: Tenant, document_id: str) -> dict[str, Any]:
    delivery = {**load_fixture("delivery.json"), "delivered_at": "2026-11-24"}
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        data={"delivery": json.dumps(delivery)},
        files=[("proof", ("квитанция почты.pdf", RECEIPT, "application/pdf"))],
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def document(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, Any]:
    response = issue(client, tenant, {"kind": "reminder", "language": "kk"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    _deliver(client, tenant, body["id"])
    return body


def test_search_finds_a_case_by_external_id_or_the_debtors_name_in_any_case(
    client: TestClient, tenant: Tenant, document: dict[str, Any]
) -> None:
    logged_in(client, tenant.auditor_key)
    for query in ("KKT3-21", "kkt3-21-045", "жақсыбеков", "НҰРЛАН жақсыбеков", ""):
        page = client.get("/ui/cases", params={"q": query})
        assert page.status_code == 200
        assert f'href="/ui/cases/{CASE}"' in page.text, query
        assert NAME in page.text
    missing = client.get("/ui/cases", params={"q": "Иванов"})
    assert 'id="no-hits"' in missing.text and CASE not in missing.text


def test_search_and_pages_stay_within_the_keys_creditor(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    other_creditor = copy.deepcopy(load_fixture("creditor.json"))
    other_creditor["bin"] = "180340021791"
    other = make_tenant(wiring, other_creditor)
    logged_in(client, other.auditor_key)
    assert CASE not in client.get("/ui/cases", params={"q": "KKT3"}).text
    html = {"Accept": "text/html"}
    assert client.get(f"/ui/cases/{CASE}", headers=html).status_code == 404
    assert client.get(f"/ui/documents/{document['id']}", headers=html).status_code == 404
    assert client.get(f"/ui/documents/{document['id']}/pdf").status_code == 404


def test_the_case_page_shows_the_debt_the_documents_and_the_timeline(
    client: TestClient, tenant: Tenant, document: dict[str, Any]
) -> None:
    logged_in(client, tenant.auditor_key)
    page = client.get(f"/ui/cases/{CASE}")
    assert page.status_code == 200
    text = page.text
    assert f'id="debtor">{NAME}<' in text
    assert f'href="/ui/documents/{document["id"]}">{document["number"]}</a>' in text
    assert 'data-action="CaseCreated"' in text and 'data-action="DocumentIssued"' in text
    assert text.index('data-action="CaseCreated"') < text.index('data-action="DocumentIssued"')
    assert "Құжат шығарылды" in text, "the audit log names events in Kazakh by default"
    timeline = text[text.index('id="timeline"') : text.index('id="audit-title"')]
    for kind in ("charge", "payment", "document", "delivery"):
        assert f'data-kind="{kind}"' in timeline, kind
    assert timeline.index('data-kind="charge"') < timeline.index('data-kind="document"')
    assert "Сомасы: " in timeline and "amount: " not in timeline, "facts named in Kazakh"
    assert re.search(r"Сомасы: \d{1,3}(\u202f\d{3})*,\d{2}<", timeline), (
        "sums as letters print them"
    )
    assert re.search(r"Төлеу мерзімі: \d\d\.\d\d\.\d{4}<", timeline), "days as the page prints them"

    only = client.get(f"/ui/cases/{CASE}", params={"kind": ["document", "delivery"]}).text
    rows = only[only.index('id="timeline"') : only.index('id="audit-title"')]
    assert 'data-kind="document"' in rows and 'data-kind="delivery"' in rows
    assert 'data-kind="charge"' not in rows
    assert 'value="document" checked' in only, "the filter shows what was chosen"
    assert 'data-action="CaseCreated"' not in only, "audit events only when asked (kind=audit)"
    late = client.get(f"/ui/cases/{CASE}", params={"from": "2030-01-01", "to": ""}).text
    assert 'id="timeline-empty"' in late
    assert f'href="/ui/documents/{document["id"]}"' in late, "documents stay listed"
    bad = client.get(
        f"/ui/cases/{CASE}", params={"kind": "nonsense"}, headers={"Accept": "text/html"}
    )
    assert bad.status_code == 422 and 'id="error"' in bad.text
    assert f'href="/ui/cases/{CASE}/evidence-pack"' in text
    assert '<th scope="col">' in text
    russian = client.get(f"/ui/cases/{CASE}", headers={"Accept-Language": "ru"})
    assert "Документ выпущен" in russian.text and '<html lang="ru">' in russian.text


def test_the_document_page_shows_its_verification_and_its_delivery_proofs(
    client: TestClient, tenant: Tenant, document: dict[str, Any]
) -> None:
    logged_in(client, tenant.auditor_key)
    page = client.get(f"/ui/documents/{document['id']}")
    assert page.status_code == 200
    assert 'id="verdict" data-valid="true"' in page.text
    assert document["sha256"] in page.text
    assert "тапсырысты хат" in page.text and "RR123456789KZ" in page.text
    assert "<dd>қазақ тілінде</dd>" in page.text  # the document's language as words, not «kk»
    proof_url = f"/ui/documents/{document['id']}/proofs/{hashlib.sha256(RECEIPT).hexdigest()}"
    assert f'href="{proof_url}"' in page.text
    proof = client.get(proof_url)
    assert proof.status_code == 200 and proof.content == RECEIPT
    assert proof.headers["content-type"] == "application/pdf"
    assert proof.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%D0%BA%D0%B2" in proof.headers["content-disposition"]
    missing = client.get(f"/ui/documents/{document['id']}/proofs/{'0' * 64}")
    assert missing.status_code == 404

    pdf = client.get(f"/ui/documents/{document['id']}/pdf")
    api = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers())
    assert pdf.status_code == 200 and pdf.content == api.content
    assert hashlib.sha256(pdf.content).hexdigest() == document["sha256"]
    assert pdf.headers["content-disposition"].startswith("attachment;")


def test_a_stored_script_in_a_debtors_name_is_shown_as_text(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    hostile = copy.deepcopy(load_fixture("case.json"))
    hostile["external_id"] = "XSS-1"
    hostile["debtor"]["full_name"] = '<script>alert("x")</script> "Иванов" & <b>Ко</b>'
    response = client.put("/v1/cases/XSS-1", json=hostile, headers=tenant.headers())
    assert response.status_code == 201, response.text
    logged_in(client, tenant.auditor_key)
    for url in ("/ui/cases?q=Иванов", "/ui/cases/XSS-1"):
        page = client.get(url).text
        assert "<script>" not in page and "<b>Ко</b>" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_the_pages_use_the_apis_roles(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    logged_in(client, tenant.system_key)
    assert client.get(f"/ui/cases/{CASE}").status_code == 200
    client.cookies.clear()
    assert login(client, key_for(wiring, None, "admin")).status_code == 303
    refused = client.get("/ui/cases", headers={"Accept": "text/html"})
    assert refused.status_code == 403 and 'id="error"' in refused.text


def test_search_matching_is_by_every_word_in_any_order() -> None:
    cases = [
        CaseHit("A-1", "Жақсыбеков Нұрлан", "flat", "1"),
        CaseHit("B-2", "Іле Ұлан", "flat", "2"),
    ]
    assert [c.external_id for c in matching(cases, "нұрлан ЖАҚСЫБЕКОВ")] == ["A-1"]
    assert [c.external_id for c in matching(cases, "ұлан")] == ["B-2"]
    assert [c.external_id for c in matching(cases, "b-2")] == ["B-2"]
    assert len(matching(cases, "  ")) == 2


def test_downloads_are_typed_by_content_and_named_safely() -> None:
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"<html><script>") == "application/octet-stream"
    header = attachment('../../etc/"passwd"\r\n.pdf')
    assert header.startswith('attachment; filename="passwd_.pdf"')
    assert "\r" not in header and "\n" not in header and "/" not in header.split(";")[1]


def test_the_evidence_pack_and_the_outgoing_register_download_from_the_pages(
    client: TestClient, tenant: Tenant, document: dict[str, Any], wiring: Wiring
) -> None:
    logged_in(client, tenant.auditor_key)
    pack = client.get(f"/ui/cases/{CASE}/evidence-pack")
    assert pack.status_code == 200, pack.text[:300]
    assert pack.headers["content-type"] == "application/pdf" and pack.content[:5] == b"%PDF-"
    assert pack.headers["content-disposition"].startswith("attachment;")
    container = client.get(f"/ui/cases/{CASE}/evidence-pack", params={"format": "zip"})
    assert container.status_code == 200 and container.content[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(container.content)) as archive:
        events = json.loads(archive.read("manifest.json"))["audit"]["events"]
    assert events and all(e["inclusion"] != {"covered": False} for e in events), (
        "the page signs the grown log first, as the API does"
    )

    form = client.get("/ui/registry")
    assert form.status_code == 200 and 'action="/ui/registry/export"' in form.text
    period = {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"}
    register = client.get("/ui/registry/export", params=period)
    assert register.status_code == 200 and "text/csv" in register.headers["content-type"]
    assert document["number"] in register.content.decode("utf-8-sig")
    assert register.headers["content-disposition"].startswith("attachment;")
    html = {"Accept": "text/html"}
    missing = client.get("/ui/registry/export", params={"from": "2026-11-01"}, headers=html)
    assert missing.status_code == 422

    other_creditor = copy.deepcopy(load_fixture("creditor.json"))
    other_creditor["bin"] = "180340021791"
    other = make_tenant(wiring, other_creditor)
    client.cookies.clear()
    logged_in(client, other.auditor_key)
    assert client.get(f"/ui/cases/{CASE}/evidence-pack").status_code == 404
    theirs = client.get("/ui/registry/export", params=period)
    assert document["number"] not in theirs.content.decode("utf-8-sig")
