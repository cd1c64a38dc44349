"""Restructuring agreements through the API: issued with the document, signed by the debtor
(the written acknowledgment, ГК art. 183), performed against the case's payments, and the
pre-court letter blocked while it performs (rule pretrial-not-during-agreement) and unblocked
once it defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.clock import FixedClock
from tests.api import (
    Tenant,
    deliver,
    issue,
    issued,
    record_waiver_mandate,
    rules_of,
    violation,
)
from tests.conftest import load_fixture
from tests.pdftext import squashed, squashed_text

CASE = "KKT3-21-045"
PRETRIAL = load_fixture("issue-pretrial.json")
RESTRUCTURING = load_fixture("issue-restructuring.json")
AGREEMENT_RULE = "pretrial-not-during-agreement"


@pytest.fixture(autouse=True)
def _waiver_mandate(client: TestClient, tenant: Tenant) -> None:
    """The contract payload waives penalty: the creditor has the meeting's mandate (#5)."""
    record_waiver_mandate(client, tenant)


def ladder_to_agreement(client: TestClient, tenant: Tenant, clock: FixedClock) -> dict[str, Any]:
    """Reminder delivered 24 Nov 2026 → warning 8 Dec (deadline 18 Dec), delivered the same
    day → restructuring agreement issued 8 Dec: 6 instalments from 10 January 2027."""
    reminder = issued(client, tenant, load_fixture("issue-reminder.json"), CASE)
    deliver(client, tenant, reminder["id"], "2026-11-24")
    clock.move_to(dt.date(2026, 12, 8))
    warning = issued(client, tenant, load_fixture("issue-warning.json"), CASE)
    deliver(client, tenant, warning["id"], "2026-12-08")
    return issued(client, tenant, RESTRUCTURING, CASE)


def sign(client: TestClient, tenant: Tenant, document_id: str, on: str) -> Any:
    return client.post(
        f"/v1/documents/{document_id}/signature", json={"signed_on": on}, headers=tenant.headers()
    )


def agreement(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(f"/v1/cases/{CASE}/agreements", headers=tenant.headers())
    assert response.status_code == 200, response.text
    (only,) = response.json()["agreements"]
    result: dict[str, Any] = only
    return result


def test_issuing_records_the_agreement_and_signing_makes_it_active(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    document = ladder_to_agreement(client, tenant, clock)
    issued_state = agreement(client, tenant)
    assert issued_state["document_id"] == document["id"]
    assert issued_state["state"] == "issued" and issued_state["signed_on"] is None
    assert issued_state["acknowledgment"] is None
    assert len(issued_state["instalments"]) == 6
    # 10 January 2027 is a Sunday: the agreement names the next working day (#26, ГК 175)
    assert issued_state["instalments"][0]["due"] == "2027-01-11"
    assert issued_state["instalments"][0]["deadline"] == "2027-01-11"  # Sunday → Monday (ГК 175)
    assert issued_state["terms"] == {"grace_days": 5, "default_after_days": 30}

    clock.move_to(dt.date(2026, 12, 9))
    early = sign(client, tenant, document["id"], "2026-12-07")
    assert early.status_code == 422
    assert early.json()["errors"][0]["code"] == "before_issue_date"
    ahead = sign(client, tenant, document["id"], "2026-12-10")
    assert ahead.status_code == 422 and ahead.json()["errors"][0]["code"] == "in_future"

    signed = sign(client, tenant, document["id"], "2026-12-09")
    assert signed.status_code == 200, signed.text
    assert signed.json()["state"] == "active"
    assert signed.json()["acknowledgment"]["date"] == "2026-12-09"
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 409

    acknowledgments = client.get(f"/v1/cases/{CASE}/acknowledgments", headers=tenant.headers())
    assert [(a["date"], a["source"]) for a in acknowledgments.json()["acknowledgments"]] == [
        ("2026-12-09", "agreement")
    ]
    segment = client.get(f"/v1/cases/{CASE}/segment", headers=tenant.headers()).json()
    assert segment["segment"] == "in_agreement"
    assert segment["next_step"] == {"kind": None, "earliest": None, "blocked_by": []}
    second = issue(
        client,
        tenant,
        {**RESTRUCTURING, "restructuring": {"installments": 3, "first_due": "2027-01-15"}},
        CASE,
    )
    assert second.status_code == 422
    assert "restructuring-not-during-agreement" in rules_of(second.json())


def test_only_an_agreement_is_signed(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    reminder = issued(client, tenant, load_fixture("issue-reminder.json"), CASE)
    response = sign(client, tenant, reminder["id"], "2026-11-24")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_an_agreement"
    assert sign(client, tenant, "no-such-document", "2026-11-24").status_code == 404


def test_pretrial_is_refused_while_the_agreement_performs_and_allowed_once_it_defaults(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """Rule pretrial-not-during-agreement (policy, informed by ГК 183). Nothing is paid: the
    first instalment (deadline 11 January 2027) is late after the 5 grace days and in default
    more than 30 days after its deadline, from 11 February 2027; default unblocks the letter."""
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200

    clock.move_to(dt.date(2027, 1, 5))
    blocked = issue(client, tenant, PRETRIAL, CASE)
    assert blocked.status_code == 422
    # The gate (law) and the warning's deadline (policy) have passed: only the agreement blocks.
    assert rules_of(blocked.json()) == {AGREEMENT_RULE}
    refusal = violation(blocked.json(), AGREEMENT_RULE)
    assert refusal["kind"] == "policy" and refusal["passes_on"] is None
    assert agreement(client, tenant)["state"] == "active"

    clock.move_to(dt.date(2027, 1, 20))
    late = agreement(client, tenant)
    assert late["state"] == "late"
    assert late["instalments"][0]["status"] == "late" and late["instalments"][0]["days_late"] == 9
    assert rules_of(issue(client, tenant, PRETRIAL, CASE).json()) == {AGREEMENT_RULE}

    clock.move_to(dt.date(2027, 2, 10))
    assert agreement(client, tenant)["state"] == "late"
    clock.move_to(dt.date(2027, 2, 11))
    defaulted = agreement(client, tenant)
    assert defaulted["state"] == "defaulted" and defaulted["defaulted_on"] == "2027-02-11"
    letter = issue(client, tenant, PRETRIAL, CASE)
    assert letter.status_code == 201
    # the agreement is the debtor's written acknowledgment: the letter quotes it by number
    pdf = client.get(letter.json()["pdf_url"], headers=tenant.headers()).content
    assert squashed(
        f"признали долг письменно (соглашение о реструктуризации задолженности "
        f"№ {document['number']} от"
    ) in squashed_text(pdf)


def test_payments_after_signing_are_matched_against_the_schedule(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """Case payments dated on or after the signing count, oldest instalment first; a payment
    before the signing does not. The state is recomputed from the ledger on every read."""
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200
    first = agreement(client, tenant)["instalments"][0]["total"]

    case = load_fixture("case.json")
    case["payments"] += [
        {"date": "2026-12-08", "amount": "1000.00", "reference": "before signing"},
        {"date": "2027-01-08", "amount": first, "reference": "instalment 1"},
    ]
    clock.move_to(dt.date(2027, 2, 11))
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 200
    performing = agreement(client, tenant)
    assert performing["state"] == "performing"
    assert performing["paid"] == first
    assert performing["instalments"][0]["status"] == "paid"
    assert performing["instalments"][0]["paid_in_full_on"] == "2027-01-08"
    assert performing["instalments"][1]["status"] == "in_grace"  # due 10 Feb, 1 day late
    blocked = issue(client, tenant, PRETRIAL, CASE)
    assert rules_of(blocked.json()) == {AGREEMENT_RULE}
