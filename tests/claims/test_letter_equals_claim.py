"""One truth for amounts (issue 8 scope 4; findings #12 and #32): the penalty a pre-court letter
says goes to the notary (notary law art. 92-1 p. 3: only with a written acknowledgment, on the
items it covers) or to the court (ГПК art. 29) is what ``GET /v1/cases/{id}/claim?route=``
computes for that route on that date, to the tiyn. The number is read back from the PDF."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from service.clock import FixedClock
from tests.agreements.test_endpoints import ladder_to_agreement, sign
from tests.api import Tenant, issue, record_waiver_mandate
from tests.claims.test_endpoints import acknowledge, claim
from tests.documents.test_read_back import body_text
from tests.pdftext import squashed, squashed_text

CASE = "KKT3-21-045"
AMOUNT = r"(\d+,\d\d)"
# The penalty the letter states: the creditor's calculation from the NB base rate (#14).
PENALTY_STATED = (
    "по базовой ставке Национального Банка РК (п. 1–2 ст. 353 Гражданского кодекса РК), составляет "
)


def preview(client: TestClient, tenant: Tenant, route: str) -> str:
    response = client.post(
        f"/v1/cases/{CASE}/documents:preview",
        json={"kind": "pretrial", "language": "ru", "route": route},
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text
    return squashed_text(response.content)


def printed(text: str, before: str, after: str = "тенге") -> Decimal:
    """The amount the letter prints between ``before`` and ``after`` (squashed text)."""
    found = re.search(re.escape(squashed(before)) + AMOUNT + re.escape(squashed(after)), text)
    assert found, before
    return Decimal(found.group(1).replace(",", "."))


def money(body: dict[str, Any], key: str) -> Decimal:
    return Decimal(body["penalty"][key])


def test_notary_letter_without_acknowledgment_sends_no_penalty_as_the_claim_says(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#12, notary law art. 92-1 p. 3: no written acknowledgment, no penalty to the notary in the
    claim and in the letter; the whole penalty the letter states is the claim's left-out part."""
    body = claim(client, tenant, CASE, "notary")
    text = preview(client, tenant, "notary")
    assert money(body, "included") == 0
    assert (
        squashed("Такого признания нет, поэтому пеня в заявление нотариусу не включается") in text
    )
    assert printed(text, PENALTY_STATED) == money(body, "left_out")


def test_notary_letter_with_a_recorded_acknowledgment_prints_the_claims_penalty(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#12, notary law art. 92-1 p. 3: acknowledged in writing on 20 November 2026, the letter of
    5 January 2027 sends to the notary exactly the claim's penalty (items due by the
    acknowledgment and past the gate) and leaves the rest, to the tiyn, for a court."""
    assert acknowledge(client, tenant, CASE, date="2026-11-20").status_code == 201
    clock.move_to(dt.date(2027, 1, 5))
    body = claim(client, tenant, CASE, "notary")
    text = preview(client, tenant, "notary")
    assert money(body, "included") > 0 and money(body, "left_out") > 0
    assert printed(text, "будет включена пеня в размере ") == money(body, "included")
    assert printed(text, "Остальные ", "тенге пени") == money(body, "left_out")
    assert squashed("письменное признание долга от 20 ноября 2026 г.") in text
    assert printed(text, PENALTY_STATED) == money(body, "included") + money(body, "left_out")


def test_court_letter_prints_the_court_claims_penalty(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#32 (ГПК art. 29): the court-route letter claims the court claim's penalty (on table 1
    items), not the whole penalty accrued."""
    body = claim(client, tenant, CASE, "court")
    text = preview(client, tenant, "court")
    assert money(body, "left_out") > 0
    claimed = printed(
        text, "В иске будет заявлена к взысканию пеня на суммы, указанные в таблице 1, в размере "
    )
    assert claimed == money(body, "included")
    assert squashed("в районный (городской) суд по месту жительства ответчика") in text


def test_issued_letter_after_a_defaulted_agreement_names_it_and_prints_the_claims_penalty(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#12 (notary law art. 92-1 p. 3; the review's case of 20.02.2027): the agreement signed on
    9 December 2026 is the written acknowledgment; the issued letter names it («соглашение № …
    от …») and sends to the notary the claim's penalty to the tiyn, the rest to a court."""
    record_waiver_mandate(client, tenant)  # the contract payload waives penalty (#5)
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200
    clock.move_to(dt.date(2027, 2, 11))  # the first instalment in default (agreement cl. 5)
    letter = issue(client, tenant, {"kind": "pretrial", "language": "ru", "route": "notary"}, CASE)
    assert letter.status_code == 201, letter.text
    body = claim(client, tenant, CASE, "notary")
    pdf = client.get(letter.json()["pdf_url"], headers=tenant.headers()).content
    text = squashed(body_text(pdf))  # a sentence a page break splits reads whole
    assert (
        squashed(
            f"Вы признали долг письменно (соглашение о реструктуризации задолженности "
            f"№ {document['number']} от 8 декабря 2026 г., подписанное Вами 9 декабря 2026 г.)"
        )
        in text
    )
    assert printed(text, "будет включена пеня в размере ") == money(body, "included")
    # every item was due before the signature and is past the gate: nothing left for a court
    assert money(body, "left_out") == 0 and squashed("тенге пени в заявление") not in text
    assert printed(text, PENALTY_STATED) == money(body, "included")
    assert body["penalty"]["acknowledgment"] == {"date": "2026-12-09", "source": "agreement"}
