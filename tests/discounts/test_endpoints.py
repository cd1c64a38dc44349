"""The penalty discount offer through the API (finding #36; seed: «скидки на пени»).

Recorded as the creditor's policy (``PUT /v1/policy``, ``penalty-discount``), valid only with
its mandate on the creditor (research C.11: a meeting or board decision, protocol number and
date); printed in the warning with the protocol cited; honoured by the one computation of the
case's penalty (``GET /v1/cases/{id}``, the claim, later documents) once the overdue principal
the warning stated is paid by its deadline — and not otherwise. The penalty: housing law
art. 34-1 p. 9, ГК art. 353.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.documents.models import IssuedDocumentRow
from service.kernel.words import format_amount
from tests.api import CASE, Tenant, deliver, fixture, issued, make_tenant, pdf_of
from tests.documents.test_read_back import columns
from tests.pdftext import contains, squashed, squashed_text

MANDATE = {"body": "board", "protocol": {"number": "7-П", "date": "2026-10-01"}}
STATED = "69256.00"  # the overdue principal on 15 December 2026 (the contract case)


@pytest.fixture
def mandated(wiring: Wiring) -> Tenant:
    return make_tenant(
        wiring, {**fixture("creditor.json"), "mandates": {"penalty_discount": MANDATE}}
    )


def put_policy(client: TestClient, tenant: Tenant, percent: str) -> Any:
    return client.put(
        "/v1/policy",
        json={"overrides": {"penalty-discount": {"percent": percent}}},
        headers=tenant.headers(),
    )


def put_contract_case(client: TestClient, tenant: Tenant, *payments: dict[str, str]) -> None:
    case = fixture("case.json")
    body = {**case, "payments": [*case["payments"], *payments]}
    response = client.put(f"/v1/cases/{CASE}", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


def warning_with_offer(
    client: TestClient, tenant: Tenant, clock: FixedClock, language: str = "ru"
) -> dict[str, Any]:
    """The ladder up to a delivered warning dated 15 December 2026 (deadline 25 December)."""
    put_contract_case(client, tenant)
    reminder = issued(client, tenant, {"kind": "reminder", "language": "ru"})
    clock.move_to(dt.date(2026, 11, 26))
    deliver(client, tenant, reminder["id"], "2026-11-25")
    clock.move_to(dt.date(2026, 12, 15))
    warning = issued(client, tenant, {"kind": "warning", "language": language})
    deliver(client, tenant, warning["id"], "2026-12-15")
    return warning


def stored_offer(wiring: Wiring, document_id: str) -> dict[str, Any]:
    with wiring.db.transaction(read_only=True) as session:
        row = session.get(IssuedDocumentRow, document_id)
        assert row is not None
        offer: dict[str, Any] = row.snapshot["penalty_offer"]
        return offer


def case_penalty(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(f"/v1/cases/{CASE}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    penalty: dict[str, Any] = response.json()["debt"]["penalty"]
    return penalty


def claim_penalty(client: TestClient, tenant: Tenant) -> Decimal:
    response = client.get(
        f"/v1/cases/{CASE}/claim", params={"route": "court"}, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    penalty = response.json()["penalty"]
    return Decimal(penalty["included"]) + Decimal(penalty["left_out"])


def test_36_offer_without_a_mandate_is_refused_naming_the_missing_mandate(
    client: TestClient, tenant: Tenant
) -> None:
    """#36, research C.11: writing off penalty is the association's decision: without
    ``mandates.penalty_discount`` on record the policy is refused (422), nothing is stored."""
    response = put_policy(client, tenant, "100")
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [
        ("overrides.penalty-discount.percent", "mandate_missing")
    ]
    assert "mandates.penalty_discount" in errors[0]["message"]
    policy = client.get("/v1/policy", headers=tenant.headers()).json()
    assert policy["history"] == []
    assert put_policy(client, tenant, "0").status_code == 200  # no offer needs no mandate

    recorded = client.put(
        "/v1/mandates/penalty_discount", json=MANDATE, headers=tenant.headers()
    )  # the board's decision recorded through the API, as for a waiver
    assert recorded.status_code == 200, recorded.text
    assert put_policy(client, tenant, "100").status_code == 200


def test_36_warning_prints_the_offer_with_the_mandate_and_the_paid_principal_earns_it(
    client: TestClient, mandated: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    """#36: the warning offers to write off the penalty owed on its date, citing the board's
    protocol; the stated principal paid on the deadline day (25 December, inclusive) writes it
    off in the case's penalty and the claim's, to the tiyn; later penalty stays owed."""
    assert put_policy(client, mandated, "100").status_code == 200
    warning = warning_with_offer(client, mandated, clock, "bilingual")
    offer = stored_offer(wiring, warning["id"])
    assert offer["principal"] == STATED
    assert offer["discount"] == offer["penalty"] and Decimal(offer["discount"]) > 0
    pdf = pdf_of(client, mandated, warning["id"])
    assert contains(
        pdf,
        "Скидка на пеню.",
        "По решению совета дома (протокол № 7-П от 01.10.2026)",
        f"если основной долг в размере {format_amount(Decimal(STATED))} тенге",
        f"в размере {format_amount(Decimal(offer['penalty']))} тенге",
        "будет списана полностью",
        "Өсімпұл бойынша жеңілдік.",
        "Үй кеңесінің шешімі (хаттама № 7-П, 01.10.2026) бойынша",
        "толық есептен шығарылады",
    ), squashed_text(pdf)

    put_contract_case(client, mandated, {"date": "2026-12-25", "amount": STATED})
    clock.move_to(dt.date(2027, 1, 5))
    penalty = case_penalty(client, mandated)
    assert penalty["discounted"] == offer["discount"]
    assert [d["document_id"] for d in penalty["discounts"]] == [warning["id"]] * len(
        penalty["discounts"]
    )
    total, accrued = Decimal(penalty["total"]), Decimal(penalty["accrued"])
    assert total == accrued - Decimal(offer["discount"])
    assert total > 0  # penalty for 16-25 December is not part of the offer
    assert claim_penalty(client, mandated) == total
    # a later document states the same penalty, the discount as a row of its penalty table
    statement = issued(client, mandated, {"kind": "statement", "language": "ru"})
    later = pdf_of(client, mandated, statement["id"])
    assert contains(
        later,
        "скидка на пеню: условие выполнено",
        f"-{format_amount(Decimal(offer['discount']))}",
        f"Итого пеня {format_amount(total)}",
    ), squashed_text(later)


def test_36_paid_a_day_late_earns_nothing(
    client: TestClient, mandated: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    """#36: the same payment on 26 December, a day after the deadline: no discount anywhere."""
    assert put_policy(client, mandated, "100").status_code == 200
    warning_with_offer(client, mandated, clock)
    put_contract_case(client, mandated, {"date": "2026-12-26", "amount": STATED})
    clock.move_to(dt.date(2027, 1, 5))
    penalty = case_penalty(client, mandated)
    assert penalty["discounted"] == "0.00" and penalty["discounts"] == []
    assert penalty["total"] == penalty["accrued"]
    assert claim_penalty(client, mandated) == Decimal(penalty["accrued"])


def test_36_a_share_is_printed_as_a_reduction_in_both_languages(
    client: TestClient, mandated: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    """#36: a 50 % offer reads as a reduction by that share, with the amount it writes off."""
    assert put_policy(client, mandated, "50").status_code == 200
    warning = warning_with_offer(client, mandated, clock, "bilingual")
    offer = stored_offer(wiring, warning["id"])
    discount = format_amount(Decimal(offer["discount"]))
    pdf = pdf_of(client, mandated, warning["id"])
    assert contains(
        pdf,
        f"будет уменьшена на 50 % — на {discount} тенге",
        f"50 %-ға — {discount} теңгеге",
    ), squashed_text(pdf)


def test_36_no_offer_printed_without_the_policy(
    client: TestClient, mandated: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    """#36: a mandate alone makes no offer: the share defaults to 0 (no paragraph)."""
    warning = warning_with_offer(client, mandated, clock)
    pdf = pdf_of(client, mandated, warning["id"])
    assert not contains(pdf, "Скидка на пеню")


def test_36_agreement_prints_the_offer_and_honours_it_when_the_principal_is_paid_by_the_schedule(
    client: TestClient, mandated: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    """#36 in the restructuring agreement (research C.11: a waiver or reduction of penalty in an
    agreement needs a meeting or board mandate): the acknowledged penalty is reduced by the
    share if the acknowledged principal is paid by the schedule's last date (with its grace
    days); signed and paid in time, the case's penalty shows it."""
    assert put_policy(client, mandated, "50").status_code == 200
    put_contract_case(client, mandated)
    body = {
        "kind": "restructuring",
        "language": "bilingual",
        "restructuring": {"installments": 2, "first_due": "2026-12-10", "waive_penalty": False},
    }
    agreement = issued(client, mandated, body)
    offer = stored_offer(wiring, agreement["id"])
    # last instalment: Sunday 10 January 2027 moved to Monday 11 (ГК 175), + 5 grace days is
    # Saturday 16 January, so Monday 18 January
    assert offer["pay_by"] == "2027-01-18"
    discount = format_amount(Decimal(offer["discount"]))
    pdf = pdf_of(client, mandated, agreement["id"])
    # a bilingual paragraph a page break splits reads whole in its own column
    halves = columns(pdf)
    for phrase in (
        "Скидка на пеню.",
        "По решению совета дома (протокол № 7-П от 01.10.2026)",
        "не позднее 18 января 2027",
        f"будет уменьшена на 50 % — на {discount} тенге",
    ):
        assert squashed(phrase) in halves["right"], phrase
    for phrase in ("Өсімпұл бойынша жеңілдік.", f"50 %-ға — {discount} теңгеге"):
        assert squashed(phrase) in halves["left"], phrase

    signed = client.post(
        f"/v1/documents/{agreement['id']}/signature",
        json={"signed_on": "2026-11-24"},
        headers=mandated.headers(),
    )
    assert signed.status_code == 200, signed.text
    put_contract_case(client, mandated, {"date": "2027-01-18", "amount": offer["principal"]})
    clock.move_to(dt.date(2027, 2, 1))
    penalty = case_penalty(client, mandated)
    assert penalty["discounted"] == offer["discount"]
    assert Decimal(penalty["total"]) == Decimal(penalty["accrued"]) - Decimal(offer["discount"])
