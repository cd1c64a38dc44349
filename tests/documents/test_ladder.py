"""All four kinds in kk, ru and bilingual issued through the API along the default ladder
(reminder → delivered → warning → delivered, deadline passed → pre-court letter; restructuring
any time after an overdue item), each read back as a lawyer would check it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.documents.models import IssuedDocumentRow
from service.kernel.words import amount_in_words, format_amount
from tests.api import CASE, NAME, Tenant, deliver, issued, record_waiver_mandate
from tests.conftest import load_fixture
from tests.pdftext import contains, pdf_text, squashed

LANGUAGES = ("kk", "ru", "bilingual")
HEADLINE = {"reminder": "overdue", "warning": "overdue", "pretrial": "past_gate"}
ARTICLES = {
    "reminder": ("housing-34-1-p8", "housing-51-1-p5-12"),
    "warning": ("housing-34-1-p9", "housing-34-1-p10", "notary-92-1-p2-6"),
    "pretrial": ("housing-34-1-p10", "notary-92-1-p2-6", "notary-92-6"),
    "restructuring": ("gk-183", "notary-92-1-p3", "language-15"),
}
TITLE = {
    "reminder": ("ЕСКЕ САЛУ ХАТ", "НАПОМИНАНИЕ"),
    "warning": ("РЕСМИ ЕСКЕРТУ", "ОФИЦИАЛЬНОЕ ПРЕДУПРЕЖДЕНИЕ"),
    "pretrial": ("СОТҚА ДЕЙІНГІ ТАЛАП", "ДОСУДЕБНАЯ ПРЕТЕНЗИЯ"),
    "restructuring": ("КЕЛІСІМ", "СОГЛАШЕНИЕ"),
}


def snapshot(wiring: Wiring, document_id: str) -> dict[str, Any]:
    with wiring.db.transaction(read_only=True) as session:
        row = session.get(IssuedDocumentRow, document_id)
        assert row is not None
        return dict(row.snapshot)


def check_reads_back(
    client: TestClient, tenant: Tenant, wiring: Wiring, document: dict[str, Any]
) -> None:
    pdf = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers()).content
    facts = snapshot(wiring, document["id"])
    kind, language = facts["kind"], facts["language"]
    languages = ("kk", "ru") if language == "bilingual" else (language,)
    if kind == "restructuring":
        total = Decimal(facts["restructuring"]["acknowledged"]["total"])
    else:
        total = Decimal(facts["debt"]["totals"][HEADLINE[kind]])
    assert contains(pdf, NAME, document["number"], format_amount(total)), (kind, language)
    for lang in languages:
        words = amount_in_words(total, lang, tiyn="digits")
        assert contains(pdf, words), (kind, language, lang, words)
        cites = {p["id"]: p["cite"][lang] for p in facts["provisions"]}
        for provision in ARTICLES[kind]:
            assert contains(pdf, cites[provision]), (kind, lang, provision)
    text = squashed(pdf_text(pdf))
    kk_title, ru_title = (squashed(t) for t in TITLE[kind])
    if language == "bilingual":
        assert kk_title in text and ru_title in text
        assert text.index(kk_title) < text.index(ru_title), "Kazakh comes first"
    else:
        assert (kk_title if language == "kk" else ru_title) in text
    verdict = client.get(f"/v1/documents/{document['id']}/verify", headers=tenant.headers())
    assert verdict.json()["valid"] is True


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_in_each_language(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    wiring: Wiring,
    language: str,
) -> None:
    document = issued(client, tenant, {"kind": "reminder", "language": language})
    assert document["language"] == language
    check_reads_back(client, tenant, wiring, document)


@pytest.mark.parametrize("language", LANGUAGES)
def test_restructuring_is_always_bilingual_art_15(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    wiring: Wiring,
    language: str,
) -> None:
    record_waiver_mandate(client, tenant)  # the payload waives penalty (#5)
    body = {**load_fixture("issue-restructuring.json"), "language": language}
    document = issued(client, tenant, body)
    assert document["language"] == "bilingual"
    facts = snapshot(wiring, document["id"])
    schedule = facts["restructuring"]["schedule"]
    assert len(schedule) == 6
    # the instalments pay off exactly the overdue debt the case computes, penalty waived
    total = sum(Decimal(row["total"]) for row in schedule)
    assert total == Decimal(facts["debt"]["totals"]["overdue"]) > 0
    assert facts["restructuring"]["totals"]["penalty"] == "0.00"  # waive_penalty: true
    assert Decimal(facts["restructuring"]["acknowledged"]["penalty"]) > 0  # acknowledged in full
    check_reads_back(client, tenant, wiring, document)


def test_warning_and_pretrial_follow_the_ladder_in_every_language(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    wiring: Wiring,
    clock: FixedClock,
) -> None:
    reminder = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    refused = client.post(
        f"/v1/cases/{CASE}/documents",
        json={"kind": "warning", "language": "kk"},
        headers=tenant.headers(),
    )
    assert refused.status_code == 422
    assert refused.json()["violations"][0]["rule"] == "warning-after-reminder-delivery"

    clock.move_to(dt.date(2026, 11, 26))
    deliver(client, tenant, reminder["id"], "2026-11-25")
    clock.move_to(dt.date(2026, 12, 15))  # 10 working days after 25 November
    warnings = [issued(client, tenant, {"kind": "warning", "language": lang}) for lang in LANGUAGES]
    for document in warnings:
        check_reads_back(client, tenant, wiring, document)
        assert document["route"] is None
    deliver(client, tenant, warnings[0]["id"], "2026-12-15")

    clock.move_to(dt.date(2027, 1, 5))  # the warning's deadline (25 December) has passed
    for language in LANGUAGES:
        document = issued(
            client, tenant, {"kind": "pretrial", "language": language, "route": "notary"}
        )
        check_reads_back(client, tenant, wiring, document)
        facts = snapshot(wiring, document["id"])
        assert facts["route"] == document["route"] == "notary"
        assert facts["enforcement"]["gate_opens"] is not None


def test_pretrial_without_a_route_is_refused_once_with_the_law_and_every_rule(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """A pre-court letter names its route (housing law art. 34-1 p. 10): a missing route is one
    field error citing the law, reported together with the rules it breaks, the same on issue,
    preview and explain."""
    body = {"kind": "pretrial", "language": "ru"}
    answers = {
        suffix: client.post(
            f"/v1/cases/{CASE}/documents{suffix}", json=body, headers=tenant.headers()
        )
        for suffix in ("", ":preview", ":explain")
    }
    issued, previewed, explained = (answers[s] for s in ("", ":preview", ":explain"))
    assert issued.status_code == 422 and previewed.status_code == 422
    assert explained.status_code == 200 and explained.json()["allowed"] is False
    for answer in answers.values():
        errors = answer.json()["errors"]
        assert [(e["path"], e["code"]) for e in errors] == [("route", "required")]
        assert "34-1" in errors[0]["message"]
    assert issued.json()["error"]["code"] == "validation_failed"
    assert {v["rule"] for v in issued.json()["violations"]} == {"pretrial-after-warning-deadline"}
    assert [v["rule"] for v in explained.json()["violations"]] == [
        "pretrial-after-warning-deadline"
    ]


def test_restructuring_with_penalty_schedules_it_apart_and_tiyn_exact(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    body = {
        "kind": "restructuring",
        "language": "bilingual",
        "restructuring": {"installments": 7, "first_due": "2027-01-31", "waive_penalty": False},
    }
    document = issued(client, tenant, body)
    facts = snapshot(wiring, document["id"])["restructuring"]
    rows = facts["schedule"]
    penalty = sum(Decimal(r["penalty"]) for r in rows)
    assert penalty == Decimal(facts["acknowledged"]["penalty"]) > 0
    assert Decimal(facts["totals"]["total"]) == Decimal(facts["acknowledged"]["total"])
    # #26, gk-175: 31.01.2027 and 28.02.2027 are Sundays, so the next working days
    assert [r["due"] for r in rows[:3]] == ["2027-02-01", "2027-03-01", "2027-03-31"]
    # #6: the penalty is paid last, all of it in the last instalment
    assert all(Decimal(r["penalty"]) == 0 for r in rows[:-1])
    equal = {r["current"] for r in rows[:-1]}
    assert len(equal) == 1  # equal instalments; the remainder sits on the last one
    check_reads_back(client, tenant, wiring, document)


def test_court_route_letter_speaks_of_court_costs_and_cites_the_gpk(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    response = client.post(
        f"/v1/cases/{CASE}/documents:preview",
        json={"kind": "pretrial", "language": "ru", "route": "court"},
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text
    text = squashed(pdf_text(response.content))
    assert squashed("До обращения в суд Вы можете") in text
    assert squashed("Расходы на совершение исполнительной надписи") not in text
    assert squashed("ст. 29 ГПК РК") in text
    assert squashed("Закона РК «О нотариате»") not in text
