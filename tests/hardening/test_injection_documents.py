"""Injection into the signed documents through the API (issue 13, item 9; review area 3): every
hostile payload in every free-text field of the case and the creditor that can reach a document,
issued as a bilingual reminder (so both the Kazakh and the Russian texts print) through the Typst
engine, and the PDF read back.

Each field's value is the payload behind a tag of its own (``Q03…``): where the tag shows in the
PDF the whole value must show exactly (whitespace aside: lines wrap); where it does not the field
is not printed by this document. A 4xx must name the field it refuses; the refused field gets its
plain value back and the rest is tried again. Nothing may be evaluated: no file content, no
computed value, no request to the loopback canary, no link in the PDF.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from service.bootstrap import Wiring
from service.creditors.service import create_key
from tests.api import fixture
from tests.hardening.injection import (
    PAYLOADS,
    Canary,
    canary_server,
    evaluated,
    named_fields,
    valid_bin,
    with_canary,
)
from tests.pdftext import pdf_text, squashed, squashed_text

BIDI_OVERRIDE = "\u202e"
CASE_FIELDS = (
    "debtor.full_name",
    "debtor.email",
    "debtor.phone",
    "debtor.postal_address",
    "unit.number",
    "basis.0.protocol.number",
    "basis.1.protocol.number",
    "payments.0.reference",
)
CREDITOR_FIELDS = (
    "name.kk",
    "name.ru",
    "address.kk",
    "address.ru",
    "chairman.full_name",
    "chairman.position.kk",
    "chairman.position.ru",
    "accounts.current.bank",
    "accounts.savings.bank",
    "contacts.phone",
    "contacts.email",
)


@pytest.fixture
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


def put_at(body: dict[str, Any], path: str, value: str) -> None:
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    target: Any = body
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


def tag(index: int) -> str:
    return f"Q{index:02d}"


def link_targets(pdf: bytes) -> list[str]:
    """Every URI or launch action of the PDF's link annotations."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                action = action.get_object()
                found.extend(str(action.get(k)) for k in ("/URI", "/F", "/JS") if k in action)
    return found


class Attempt:
    """One payload across every field: which fields were refused (by whom), printed or not."""

    def __init__(self, payload: str) -> None:
        self.payload = payload
        self.refused: dict[str, str] = {}
        self.problems: list[str] = []

    def hostile(self, fields: tuple[str, ...], offset: int) -> dict[str, str]:
        return {
            path: f"{tag(offset + i)}{self.payload}"
            for i, path in enumerate(fields)
            if path not in self.refused
        }

    def refuse(self, response: Any, hostile: dict[str, str], where: str, prefix: str = "") -> bool:
        """Records a refusal; False (and a problem) when it is not a 4xx naming hostile fields."""
        if response.status_code >= 500 or response.status_code < 400:
            self.problems.append(f"{where}: {response.status_code} {response.text[:200]}")
            return False
        named = {path.removeprefix(prefix) for path in named_fields(response.json())}
        known = named & set(hostile)
        if not known or named - set(hostile):
            self.problems.append(f"{where}: a refusal not naming a hostile field: {response.text}")
            return False
        codes = {e["path"].removeprefix(prefix): e["code"] for e in response.json()["errors"]}
        for path in known:
            self.refused[path] = f"{where}:{codes[path]}"
        return True


def issue_with(
    client: TestClient, wiring: Wiring, admin: str, attempt: Attempt, round_: int, number: int
) -> bytes | None:
    """Registers a creditor and puts a case holding the payload, issues; None after a refusal."""
    creditor = copy.deepcopy(fixture("creditor.json"))
    creditor["bin"] = valid_bin(number * 10 + round_)
    creditor_hostile = attempt.hostile(CREDITOR_FIELDS, 0)
    for path, value in creditor_hostile.items():
        put_at(creditor, path, value)
    created = client.post(
        "/v1/creditors", json=creditor, headers={"Authorization": f"Bearer {admin}"}
    )
    if created.status_code != 201:
        attempt.refuse(created, creditor_hostile, "creditor")
        return None
    with wiring.db.transaction() as session:
        key = create_key(session, wiring.clock, creditor_id=created.json()["id"], role="system")
    headers = {"Authorization": f"Bearer {key}"}
    case = copy.deepcopy(fixture("case.json"))
    case_hostile = attempt.hostile(CASE_FIELDS, len(CREDITOR_FIELDS))
    for path, value in case_hostile.items():
        put_at(case, path, value)
    stored = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=headers)
    if stored.status_code not in (200, 201):
        attempt.refuse(stored, case_hostile, "case")
        return None
    issued = client.post(
        f"/v1/cases/{case['external_id']}/documents",
        json={"kind": "reminder", "language": "bilingual"},
        headers=headers,
    )
    if issued.status_code != 201:
        # at issue, a refused value is named by its path in the case or the creditor
        attempt.refuse(issued, {**creditor_hostile, **case_hostile}, "issue", "creditor.")
        return None
    pdf = client.get(f"/v1/documents/{issued.json()['id']}/pdf", headers=headers)
    assert pdf.status_code == 200, pdf.text
    return pdf.content


def check_printed(attempt: Attempt, pdf: bytes, outcomes: Counter[str]) -> None:
    text = squashed_text(pdf)
    for index, path in enumerate((*CREDITOR_FIELDS, *CASE_FIELDS)):
        if path in attempt.refused:
            outcomes[f"refused ({attempt.refused[path]})"] += 1
            continue
        value = f"{tag(index)}{attempt.payload}"
        if squashed(tag(index)) not in text:
            outcomes["not printed"] += 1
        elif squashed(value) in text:
            outcomes["printed literally"] += 1
        else:
            outcomes["printed differently"] += 1
            attempt.problems.append(f"{path}: printed otherwise than sent")
    marks = evaluated(pdf_text(pdf))
    if marks:
        attempt.problems.append(f"evaluated: {marks}")
    links = [t for t in link_targets(pdf) if "127.0.0.1" in t or "file:" in t or "passwd" in t]
    if links:
        attempt.problems.append(f"links in the PDF: {links}")


def test_every_payload_in_every_field_is_printed_literally_or_refused_by_name(
    client: TestClient, wiring: Wiring, admin_key: str, canary: Canary
) -> None:
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    for number, raw in enumerate(PAYLOADS, start=1):
        if BIDI_OVERRIDE in raw:
            continue  # test_a_bidi_override_is_refused_by_name
        attempt = Attempt(with_canary(raw, canary.address))
        pdf = None
        for round_ in range(4):  # each round takes the fields refused so far out
            before = len(attempt.refused)
            pdf = issue_with(client, wiring, admin_key, attempt, round_, number)
            if pdf is not None or attempt.problems or len(attempt.refused) == before:
                break
        if pdf is None and not attempt.problems:
            attempt.problems.append("no document after refusing every named field")
        if pdf is not None:
            check_printed(attempt, pdf, outcomes)
        problems.extend(f"payload {raw[:40]!r}: {p}" for p in attempt.problems)
    tried = len([p for p in PAYLOADS if BIDI_OVERRIDE not in p])
    print(f"\n{tried} payloads × {len(CASE_FIELDS) + len(CREDITOR_FIELDS)} fields:", dict(outcomes))
    assert problems == [], problems
    assert canary.hits == []
    assert outcomes["printed literally"] >= len(PAYLOADS) * 5


def test_a_bidi_override_is_refused_by_name(
    client: TestClient, wiring: Wiring, admin_key: str
) -> None:
    """U+202E makes the signed letter show other text than stored («Иванов гт 100.00»): the
    review's D7. It can be neither printed literally nor reordered; it must be refused."""
    attempt = Attempt(next(p for p in PAYLOADS if BIDI_OVERRIDE in p))
    for round_ in range(3):  # the creditor's fields, then the case's, then nothing is left
        if issue_with(client, wiring, admin_key, attempt, round_, 99) is not None:
            break
    assert attempt.problems == []
    assert set(attempt.refused) == {*CREDITOR_FIELDS, *CASE_FIELDS}
