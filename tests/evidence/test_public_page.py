"""The public verification page behind the QR code (finding #19: the printed check answered 401
without an API key, so the addressee, a notary or a court could not use it; e-doc law art. 10
p. 1 — an ЭЦП counts only if it verifies, research 7.5).

The QR code and the printed link lead to ``/verify/<token>``: an unguessable per-document token,
no key; the page shows only validity, number, date, creditor, kind and SHA-256 — no debtor data —
in Kazakh and Russian, and compares an uploaded PDF with the archived original."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring, build_wiring
from service.clock import FixedClock
from service.evidence.checks import TOKEN
from service.law.context import LawContext
from service.main import create_app
from service.rendering.typst import TypstRenderer
from service.rendering.typst.qr import qr_matrix
from service.settings import Settings
from service.signing.pkcs12 import Pkcs12Signer
from tests.api import Tenant, issued, make_tenant, pdf_of
from tests.conftest import load_fixture
from tests.pdftext import contains, squashed
from tests.s3 import alter_archived

QR_SIDE_PT = 28 / 25.4 * 72  # the QR image is 28 mm wide (letter.typ), quiet zone included


def _path(url: str) -> str:
    return url.split("8000", 1)[-1]


def qr_payload_matches(pdf: bytes, url: str) -> bool:
    """Whether a page of ``pdf`` carries the QR code of ``url``, module for module.

    The QR is one vector path whose bounds are the code without its 4-module quiet zone; the
    page is rasterised and every module's centre read back and compared with the modules of
    ``url`` (the same encoder, fixed mask: the same text gives the same modules, another text
    other ones)."""
    expected = [row[4:-4] for row in qr_matrix(url)[4:-4]]
    modules = len(expected)
    side = QR_SIDE_PT * modules / (modules + 8)
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            try:
                for obj in page.get_objects(max_depth=5):
                    if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                        continue
                    left, bottom, right, top = obj.get_bounds()
                    if abs(right - left - side) > 0.5 or abs(top - bottom - side) > 0.5:
                        continue
                    scale = 6
                    image = page.render(scale=scale).to_pil().convert("L")
                    height = page.get_height()
                    step = (right - left) / modules
                    found = [
                        [
                            image.getpixel(
                                (
                                    round((left + (x + 0.5) * step) * scale),
                                    round((height - (top - (y + 0.5) * step)) * scale),
                                )
                            )
                            < 128
                            for x in range(modules)
                        ]
                        for y in range(modules)
                    ]
                    return found == expected
            finally:
                page.close()
    finally:
        document.close()
    return False


@pytest.fixture
def reminder(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    document = issued(client, tenant, load_fixture("issue-reminder.json"))
    return document, pdf_of(client, tenant, document["id"])


def test_19_the_qr_link_opens_the_public_page_without_a_key_and_shows_no_personal_data(
    client: TestClient, reminder: tuple[dict[str, Any], bytes], wiring: Wiring
) -> None:
    """#19 (e-doc law art. 10 p. 1): the QR and the printed link lead to a page that needs no key
    and shows validity, number, date, creditor, kind and SHA-256 only, Kazakh first."""
    document, pdf = reminder
    url = document["verify_url"]
    base = wiring.settings.public_url.rstrip("/")
    token = url.removeprefix(f"{base}/verify/")
    assert TOKEN.fullmatch(token) and len(token) == 32, url
    assert document["id"] not in url and document["number"] not in url
    assert contains(pdf, url), "the printed link is the public page"
    assert qr_payload_matches(pdf, url), "the QR code carries the public page's URL"
    assert not qr_payload_matches(pdf, document["verify_api_url"]), "the check can fail"

    page = client.get(_path(url))  # no Authorization header
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    html = page.text
    assert 'data-valid="true"' in html
    assert "Құжат түпнұсқа." in html and "Документ подлинный." in html
    assert html.index("Құжат түпнұсқа.") < html.index("Документ подлинный."), "Kazakh first"
    assert document["number"] in html and document["sha256"] in html
    year, month, day = document["issue_date"].split("-")
    assert f"{day}.{month}.{year}" in html
    creditor = load_fixture("creditor.json")["name"]
    assert creditor["kk"] in html and creditor["ru"] in html
    assert "Еске салу хат" in html and "Напоминание" in html
    assert 'id="development-key"' in html, "a development signature is said to be one"
    assert not re.search(r"<(script|link|img|iframe)\b|https?://", html), "no external assets"

    machine = client.get(f"/v1/verify/{token}")
    assert machine.status_code == 200
    body = machine.json()
    assert body["valid"] is True and body["document"]["sha256"] == document["sha256"]
    assert body["checks"] == {
        "archive_hash_ok": True,
        "signature_ok": True,
        "development_key": True,
    }

    debtor = load_fixture("case.json")["debtor"]
    personal = [
        debtor["full_name"],
        debtor["full_name"].split()[0],
        debtor["iin"],
        debtor["postal_address"],
        "Коктем",
        debtor["email"],
        debtor["phone"],
        "KKT3-21-045",  # the case (the debtor's account)
        document["id"],
    ]
    for shown in (html, machine.text):
        flat = squashed(shown).lower()
        for value in personal:
            assert squashed(value).lower() not in flat, value


def test_19_the_original_matches_and_a_byte_changed_copy_does_not(
    client: TestClient, reminder: tuple[dict[str, Any], bytes]
) -> None:
    """#19: anyone can upload the PDF they hold; one changed byte is reported as not matching."""
    document, pdf = reminder
    path = _path(document["verify_url"])
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01

    original = client.post(path, files={"file": ("doc.pdf", pdf, "application/pdf")})
    assert original.status_code == 200, original.text
    assert 'data-matches="true"' in original.text
    assert hashlib.sha256(pdf).hexdigest() in original.text

    altered = client.post(path, files={"file": ("doc.pdf", bytes(changed), "application/pdf")})
    assert altered.status_code == 200, altered.text
    assert 'data-matches="false"' in altered.text
    assert "сәйкес келмейді" in altered.text and "не совпадает" in altered.text
    assert hashlib.sha256(bytes(changed)).hexdigest() in altered.text
    assert 'data-valid="true"' in altered.text, "the archived original itself is still valid"

    api = "/v1" + path
    as_form = client.post(api, files={"file": ("doc.pdf", pdf, "application/pdf")}).json()
    assert as_form["upload"] == {
        "sha256": document["sha256"],
        "size": len(pdf),
        "matches": True,
    }
    raw = client.post(api, content=bytes(changed), headers={"Content-Type": "application/pdf"})
    assert raw.status_code == 200 and raw.json()["upload"]["matches"] is False


def test_19_an_unknown_token_is_a_plain_404_that_names_no_document(
    client: TestClient, reminder: tuple[dict[str, Any], bytes]
) -> None:
    """#19: a guessed, truncated or malformed token gets the same 404, whatever exists."""
    document, _pdf = reminder
    token = document["verify_url"].rsplit("/", 1)[-1]
    answers = []
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "x" * 32, "%00"):
        page = client.get(f"/verify/{guess}")
        assert page.status_code == 404, guess
        assert page.headers["content-type"].startswith("text/html")
        answers.append(page.text)
        upload = client.post(f"/verify/{guess}", files={"file": ("a.pdf", b"%PDF-1.7", "a/b")})
        assert upload.status_code == 404
        machine = client.get(f"/v1/verify/{guess}")
        assert machine.status_code == 404 and machine.json()["error"]["code"] == "not_found"
    assert len(set(answers)) == 1, "the same page whatever the guess"
    assert "Құжат табылмады." in answers[0] and "Документ не найден." in answers[0]
    assert document["number"] not in answers[0]


def test_19_the_keyed_verify_stays_for_auditors(
    client: TestClient, tenant: Tenant, reminder: tuple[dict[str, Any], bytes]
) -> None:
    """The keyed re-check (with the audit chain) is kept beside the public page."""
    document, _pdf = reminder
    keyed = _path(document["verify_api_url"])
    assert keyed == f"/v1/documents/{document['id']}/verify"
    assert client.get(keyed).status_code == 401
    body = client.get(keyed, headers=tenant.headers(tenant.auditor_key)).json()
    assert body["valid"] is True and body["checks"]["audit_chain"]["ok"] is True
    record = client.get(f"/v1/documents/{document['id']}", headers=tenant.headers()).json()
    assert record["verify_url"] == document["verify_url"], "the record answers the same link"


def test_19_an_altered_archive_is_reported_on_the_public_page(
    client: TestClient, reminder: tuple[dict[str, Any], bytes], wiring: Wiring
) -> None:
    """#19: validity means the archived file still hashes to the record and its signature
    verifies; a changed archived byte makes the page say so."""
    document, _pdf = reminder

    def flip(stored: bytes) -> bytes:
        data = bytearray(stored)
        data[len(data) // 3] ^= 0x01
        return bytes(data)

    alter_archived(wiring.archive, document["sha256"], flip)
    page = client.get(_path(document["verify_url"]))
    assert page.status_code == 200
    assert 'data-valid="false"' in page.text
    assert "Проверка не пройдена." in page.text and "Тексеруден өтпеді." in page.text
    body = client.get("/v1" + _path(document["verify_url"])).json()
    assert body["valid"] is False and body["checks"]["archive_hash_ok"] is False


@pytest.fixture
def small_limit_client(
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    renderer: TypstRenderer,
    signer: Pkcs12Signer,
) -> Iterator[tuple[TestClient, Wiring]]:
    limited = settings.model_copy(update={"verify_upload_limit": 4096})
    built = build_wiring(limited, clock=clock, law=law, renderer=renderer, signer=signer)
    with TestClient(create_app(built)) as test_client:
        yield test_client, built
    built.close()


def test_19_an_upload_over_the_limit_is_a_clear_413_and_no_file_a_422(
    small_limit_client: tuple[TestClient, Wiring],
) -> None:
    client, wiring = small_limit_client
    tenant = make_tenant(wiring, load_fixture("creditor.json"))
    case = load_fixture("case.json")
    client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
    document = issued(client, tenant, load_fixture("issue-reminder.json"))
    path = _path(document["verify_url"])
    big = b"%PDF-1.7\n" + b"0" * 5000

    page = client.post(path, files={"file": ("big.pdf", big, "application/pdf")})
    assert page.status_code == 413
    assert 'data-problem="too_large"' in page.text
    assert "Файл тым үлкен" in page.text and "Файл слишком большой" in page.text

    huge = client.post(path, content=b"0" * 4096 * 200, headers={"Content-Type": "application/pdf"})
    assert huge.status_code == 413, "answered without reading it all"

    machine = client.post("/v1" + path, files={"file": ("big.pdf", big, "application/pdf")})
    assert machine.status_code == 413 and machine.json()["error"]["code"] == "too_large"

    fits = client.post(path, files={"file": ("small.pdf", big[:4000], "application/pdf")})
    assert fits.status_code == 200 and 'data-matches="false"' in fits.text

    empty = client.post(path, files={"file": ("empty.pdf", b"", "application/pdf")})
    assert empty.status_code == 422 and 'data-problem="no_file"' in empty.text
    missing = client.post("/v1" + path, data={"other": "x"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["path"] == "file"


def test_19_a_malformed_link_is_refused_before_the_upload_is_read(
    client: TestClient, wiring: Any
) -> None:
    """Code review: an upload to a link no document can have is answered 404 without reading
    the body (anyone could otherwise make the server buffer a file up to the limit per
    request). The body here is a stream that fails the test if it is read at all."""
    read: list[bytes] = []

    def body() -> Any:
        read.append(b"x")
        yield b"%PDF-1.7 " + b"x" * 1024

    for path in ("/verify/" + "A" * 31, "/v1/verify/" + "A" * 31):
        answer = client.post(path, content=body(), headers={"content-type": "application/pdf"})
        assert answer.status_code == 404, (path, answer.text)
    assert read == [], "the body of a malformed link was read"
