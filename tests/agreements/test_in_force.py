"""Issue 8 through the API: one agreement in force (reliability review D4), an agreement in force
protects its debt (legal review #2), and after its default the pre-court letter names it and its
default clause and offers no new agreement unless the creditor's policy says so (#12).

The ladder of the contract case: reminder delivered 24 Nov 2026, warning 8 Dec (delivered the
same day), restructuring agreement issued 8 Dec 2026 covering March–October 2026; six instalments
from 10 January 2027; nothing paid, so it is late from 17 January and in default from 11 February.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from service.agreements.models import AgreementRow
from service.agreements.restructuring import DEFAULT_CLAUSE
from service.bootstrap import Wiring
from service.clock import FixedClock
from tests.agreements.test_endpoints import CASE, PRETRIAL, RESTRUCTURING, ladder_to_agreement, sign
from tests.api import Tenant, deliver, issue, issued, pdf_of, record_waiver_mandate, violation
from tests.conftest import load_fixture
from tests.pdftext import squashed, squashed_text

REMINDER = load_fixture("issue-reminder.json")
WARNING = load_fixture("issue-warning.json")
RU = {"language": "ru"}
NOTICE_RULE = "notice-not-during-agreement"
OFFER_RU = "Вы можете предложить"
WARNING_OFFER_RU = "предлагает заключить соглашение о реструктуризации"


@pytest.fixture(autouse=True)
def _waiver_mandate(client: TestClient, tenant: Tenant) -> None:
    """The contract payload waives penalty: the creditor has the meeting's mandate (#5)."""
    record_waiver_mandate(client, tenant)


def agreements(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    response = client.get(f"/v1/cases/{CASE}/agreements", headers=tenant.headers())
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["agreements"]
    return result


def signed_agreement(client: TestClient, tenant: Tenant, clock: FixedClock) -> dict[str, Any]:
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200
    return document


def add_november(client: TestClient, tenant: Tenant) -> None:
    """November 2026 (due 25 December): after the agreement was drawn up, so outside it."""
    case = load_fixture("case.json")
    case["charges"] += [
        {"period": "2026-11", "contribution": "current", "amount": "9360.00"},
        {"period": "2026-11", "contribution": "accumulative", "amount": "1248.00"},
    ]
    response = client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers())
    assert response.status_code == 200, response.text


# --- D4: one agreement in force ----------------------------------------------------------------


def test_d4_signing_supersedes_open_offers_and_a_second_signature_is_refused(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """Reliability review D4: two offers issued, the first signed → the second is superseded and
    cannot be signed (409); the list shows one agreement in force."""
    first = ladder_to_agreement(client, tenant, clock)
    second = issued(
        client,
        tenant,
        {**RESTRUCTURING, "restructuring": {"installments": 3, "first_due": "2027-01-15"}},
    )
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, first["id"], "2026-12-09").status_code == 200
    states = {a["document_id"]: a["state"] for a in agreements(client, tenant)}
    assert states == {first["id"]: "active", second["id"]: "issued"}  # never signed: "issued"
    refused = sign(client, tenant, second["id"], "2026-12-09")
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"]["code"] == "agreement_in_force"
    # the refusal names the agreement in force by number and date
    assert (
        f"№ {first['number']} от 08.12.2026"
        in violation(body, "restructuring-not-during-agreement")["messages"]["ru"]
    )
    assert violation(body, "restructuring-not-during-agreement")["kind"] == "contract"
    assert [a["state"] for a in agreements(client, tenant)].count("active") == 1


def test_d4_a_superseded_offer_stays_unsignable_after_the_agreement_ends(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    clock: FixedClock,
    wiring: Wiring,
) -> None:
    """D4: the offer left open when another was signed is superseded (stored state) and cannot be
    signed even once the signed agreement has defaulted."""
    first = ladder_to_agreement(client, tenant, clock)
    second = issued(
        client,
        tenant,
        {**RESTRUCTURING, "restructuring": {"installments": 3, "first_due": "2027-01-15"}},
    )
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, first["id"], "2026-12-09").status_code == 200
    with wiring.db.transaction(read_only=True) as session:
        stored = {r.document_id: r.state for r in session.query(AgreementRow).all()}
    assert stored == {first["id"]: "active", second["id"]: "superseded"}
    clock.move_to(dt.date(2027, 2, 11))  # the first is in default
    late = sign(client, tenant, second["id"], "2027-02-11")
    assert late.status_code == 409 and late.json()["error"]["code"] == "agreement_state"


def test_d4_the_database_holds_one_active_agreement_per_case(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    clock: FixedClock,
    wiring: Wiring,
) -> None:
    """D4 under a race: whatever the service checks, the partial unique index (one ``active``
    row per case) refuses a second active agreement, on SQLite and PostgreSQL alike."""
    first = ladder_to_agreement(client, tenant, clock)
    issued(
        client,
        tenant,
        {**RESTRUCTURING, "restructuring": {"installments": 3, "first_due": "2027-01-15"}},
    )
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, first["id"], "2026-12-09").status_code == 200
    try:
        with wiring.db.transaction() as session:
            other = next(r for r in session.query(AgreementRow).all() if r.state != "active")
            other.state = "active"
            other.signed_on = dt.date(2026, 12, 9)
            session.flush()
    except IntegrityError:
        pass
    else:
        raise AssertionError("two active agreements were stored for one case")


# --- #2: an agreement in force protects its debt -----------------------------------------------


def test_2_a_warning_for_the_debt_under_a_performing_agreement_is_refused(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#2 (research A.4: no collection while an agreement performs; the agreement's schedule
    binds the creditor): on 5 January 2027 every overdue item is in the agreement, so a reminder
    and a warning are refused by notice-not-during-agreement, which names the agreement."""
    document = signed_agreement(client, tenant, clock)
    clock.move_to(dt.date(2027, 1, 5))
    for body in (REMINDER, WARNING):
        refused = issue(client, tenant, body)
        assert refused.status_code == 422, refused.text
        found = violation(refused.json(), NOTICE_RULE)
        assert found["kind"] == "contract" and found["passes_on"] is None
        assert f"№ {document['number']} от 08.12.2026" in found["messages"]["ru"]
        assert "not a legal requirement" in found["message"]


def test_2_newer_arrears_are_claimed_alone_and_the_letters_name_the_agreement(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#2: November 2026 (due 25 December) is outside the agreement. On 5 January a reminder
    states only November (10 608,00), names the agreement; the warning after it (its reminder
    delivered 6 January, deadline counted from delivery) does too, and offers no new agreement."""
    document = signed_agreement(client, tenant, clock)
    add_november(client, tenant)
    clock.move_to(dt.date(2027, 1, 5))
    reminder = issued(client, tenant, {**REMINDER, **RU})
    text = squashed_text(pdf_of(client, tenant, reminder["id"]))
    named = squashed(
        "включённая в соглашение о реструктуризации задолженности "
        f"№ {document['number']} от 8 декабря 2026"
    )
    assert named in text
    assert squashed("10 608,00 тенге") in text
    assert squashed("9 360,00") in text and "25.11.2026" not in text  # October: in it
    early = issue(client, tenant, {**WARNING, **RU})
    assert "warning-after-reminder-delivery" in {v["rule"] for v in early.json()["violations"]}

    clock.move_to(dt.date(2027, 1, 6))
    deliver(client, tenant, reminder["id"], "2027-01-06")
    clock.move_to(dt.date(2027, 1, 21))
    warning = issued(client, tenant, {**WARNING, **RU})
    text = squashed_text(pdf_of(client, tenant, warning["id"]))
    assert named in text and squashed("10 608,00 тенге") in text
    assert squashed(WARNING_OFFER_RU) not in text
    # the agreement acknowledges only the debt it covers: not quoted for November (92-1 p. 3)
    assert squashed("Вы признали долг письменно") not in text


def test_2_without_an_agreement_the_warning_still_offers_one(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#2, the other side: with no agreement the warning offers restructuring as before."""
    reminder = issued(client, tenant, REMINDER)
    deliver(client, tenant, reminder["id"], "2026-11-24")
    clock.move_to(dt.date(2026, 12, 8))
    warning = issued(client, tenant, {**WARNING, **RU})
    text = squashed_text(pdf_of(client, tenant, warning["id"]))
    assert squashed(WARNING_OFFER_RU) in text
    assert squashed("погашается по графику этого соглашения") not in text


# --- #12: after a default ----------------------------------------------------------------------


def test_12_the_pretrial_letter_after_a_default_names_the_agreement_and_offers_none(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#12 (research C.11: default as defined in the agreement unblocks enforcement): from
    11 February 2027 the agreement is in default; the pre-court letter names it (number, date),
    its default clause (п. 5) and the day of default, and offers no new agreement — until the
    creditor's policy restructuring-terms.offer_after_default says so (to-confirm)."""
    document = signed_agreement(client, tenant, clock)
    # the clause quoted is the agreement's own: its text defines default under that number
    signed_text = squashed_text(pdf_of(client, tenant, document["id"]))
    assert re.search(
        rf"{DEFAULT_CLAUSE}\.(Просрочка,)?[Нн]еисполнениеи(его|их)последствия", signed_text
    )
    clock.move_to(dt.date(2027, 2, 11))
    letter = issued(client, tenant, PRETRIAL)
    text = squashed_text(pdf_of(client, tenant, letter["id"]))
    assert (
        squashed(
            "По соглашению о реструктуризации задолженности "
            f"№ {document['number']} от 8 декабря 2026"
        )
        in text
    )
    assert (
        squashed(
            f"По п. {DEFAULT_CLAUSE} соглашения это считается его неисполнением (с 11 февраля 2027"
        )
        in text
    )
    assert squashed(OFFER_RU) not in text

    change = {"overrides": {"restructuring-terms": {"offer_after_default": True}}}
    assert client.put("/v1/policy", json=change, headers=tenant.headers()).status_code == 200
    again = issued(client, tenant, PRETRIAL)
    assert squashed(OFFER_RU) in squashed_text(pdf_of(client, tenant, again["id"]))


def test_12_a_pretrial_letter_with_no_agreement_offers_one(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#12, the other side: no agreement was ever signed, so the letter may offer one."""
    reminder = issued(client, tenant, REMINDER)
    deliver(client, tenant, reminder["id"], "2026-11-24")
    clock.move_to(dt.date(2026, 12, 8))
    warning = issued(client, tenant, WARNING)
    deliver(client, tenant, warning["id"], "2026-12-08")
    clock.move_to(dt.date(2026, 12, 21))
    letter = issued(client, tenant, PRETRIAL)
    text = squashed_text(pdf_of(client, tenant, letter["id"]))
    assert squashed(OFFER_RU) in text
    assert squashed("считается его неисполнением") not in text


def test_d4_a_statement_shows_a_superseded_offer_as_replaced_not_as_open(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """D4 and issue 8 scope 10 (the debtor's right to information): an offer left unsigned when
    another was signed can no longer be signed, so the statement must not present it as open."""
    first = ladder_to_agreement(client, tenant, clock)
    second = issued(
        client,
        tenant,
        {**RESTRUCTURING, "restructuring": {"installments": 3, "first_due": "2027-01-15"}},
    )
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, first["id"], "2026-12-09").status_code == 200
    statement = issued(client, tenant, {"kind": "statement", "language": "ru"})
    text = squashed_text(pdf_of(client, tenant, statement["id"]))
    assert squashed(second["number"]) in text
    assert squashed("заменено другим соглашением") in text
    assert squashed("предложено, не подписано") not in text
    assert squashed("подписано, действует") in text


def test_2_36_no_discount_offer_under_a_performing_agreement(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """#2 with #36 (code review): a warning under a performing agreement states only the newer
    arrears, so it makes no penalty discount offer — one would be granted on the whole case,
    penalty the agreement's schedule still demands. Nothing printed, nothing granted."""
    mandate = {"body": "board", "protocol": {"number": "7-П", "date": "2026-10-01"}}
    recorded = client.put("/v1/mandates/penalty_discount", json=mandate, headers=tenant.headers())
    assert recorded.status_code == 200, recorded.text
    policy = client.put(
        "/v1/policy",
        json={"overrides": {"penalty-discount": {"percent": "100"}}},
        headers=tenant.headers(),
    )
    assert policy.status_code == 200, policy.text
    signed_agreement(client, tenant, clock)
    add_november(client, tenant)
    clock.move_to(dt.date(2027, 1, 5))
    reminder = issued(client, tenant, {**REMINDER, **RU})
    clock.move_to(dt.date(2027, 1, 6))
    deliver(client, tenant, reminder["id"], "2027-01-06")
    clock.move_to(dt.date(2027, 1, 21))
    warning = issued(client, tenant, {**WARNING, **RU})
    text = squashed_text(pdf_of(client, tenant, warning["id"]))
    assert squashed("10 608,00 тенге") in text  # the newer arrears alone
    assert squashed("Скидка на пеню") not in text
    case = client.get(f"/v1/cases/{CASE}", headers=tenant.headers()).json()
    assert case["debt"]["penalty"]["discounts"] == []
