"""The public verification page in a real browser (finding #19): Chromium opens the QR link of
an issued document with no key, reads the verdict, and uploads the original and a byte-changed
copy through the page's own form. Skipped, saying why, where Chromium or Playwright is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.bootstrap import Wiring
from tests.api import CASE, make_tenant
from tests.conftest import load_fixture
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing, serving

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if (missing := chromium_missing()) is not None:
    pytest.skip(missing, allow_module_level=True)


@pytest.fixture
def served(wiring: Wiring) -> Iterator[str]:
    """The app on a real port, in this process (the browser needs a socket)."""
    with serving(wiring) as base:
        yield base


def _issue(base: str, wiring: Wiring) -> tuple[dict[str, Any], bytes]:
    tenant = make_tenant(wiring, load_fixture("creditor.json"))
    with httpx.Client(base_url=base, headers=tenant.headers(), timeout=60) as http:
        assert http.put(f"/v1/cases/{CASE}", json=load_fixture("case.json")).status_code == 201
        body = {"kind": "reminder", "language": "kk"}
        response = http.post(f"/v1/cases/{CASE}/documents", json=body)
        assert response.status_code == 201, response.text
        document: dict[str, Any] = response.json()
        pdf = http.get(f"/v1/documents/{document['id']}/pdf").content
    return document, pdf


def test_19_chromium_opens_the_qr_link_and_checks_an_upload(
    served: str, wiring: Wiring, tmp_path: Path
) -> None:
    """#19 (e-doc law art. 10 p. 1): what a notary or a debtor does with a phone or a browser."""
    document, pdf = _issue(served, wiring)
    url = document["verify_url"].replace(wiring.settings.public_url.rstrip("/"), served, 1)
    original = tmp_path / "original.pdf"
    original.write_bytes(pdf)
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(changed))

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            blocked: list[str] = []
            page.on("requestfailed", lambda request: blocked.append(request.url))
            response = page.goto(url)
            assert response is not None and response.status == 200
            assert page.locator("#verdict").get_attribute("data-valid") == "true"
            assert "Құжат түпнұсқа." in page.locator("#verdict").inner_text()
            assert page.locator("#number").inner_text() == document["number"]
            assert page.locator("#sha256").inner_text() == document["sha256"]
            body = page.locator("body").inner_text()
            assert load_fixture("case.json")["debtor"]["full_name"] not in body

            page.set_input_files("input[name=file]", str(altered))
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert page.locator("#upload-result").get_attribute("data-matches") == "false"
            assert "не совпадает" in page.locator("#upload-result").inner_text()

            page.set_input_files("input[name=file]", str(original))
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert page.locator("#upload-result").get_attribute("data-matches") == "true"
            assert blocked == [], "nothing the page needs is refused or missing"
        finally:
            browser.close()
