"""The statement (issue 8, scope 10): «справка о задолженности и принятых мерах» / «берешек және
қабылданған шаралар туралы анықтама» — the debtor's right to information about the debt and every
action taken, issued on request in the debtor's language, outside the ladder.

Provisions behind it: the owner's written request is answered (housing law art. 51-1 p. 5
sub-para 12, cited as ``housing-51-1-p5-12``), in the state language or the language of the
appeal (language law art. 11, ``language-11``); debt per account (art. 34-1 p. 3–4), penalty apart
(art. 34-1 p. 9, ``housing-34-1-p9``); deliveries as recorded (e-document law art. 7 p. 2–4: the
delivery date is what waiting periods count from).
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
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from tests.api import (
    CASE,
    NAME,
    Tenant,
    deliver,
    explain,
    issue,
    issued,
    monthly,
    pdf_of,
    put_case,
    violation,
)
from tests.conftest import TEMPLATES
from tests.documents.test_read_back import body_text
from tests.pdftext import contains, pdf_text, squashed
from tests.samples import render, sample_facts

STATEMENT = "statement"
DELIVERED = {
    "kk": "тапсырысты хат № RR123456789KZ: тапсырылды",
    "ru": "заказное письмо № RR123456789KZ: вручено",
}  # the contract payload's tracking number, printed since issue 10
RETURNED = {"kk": "тапсырысты хат: қайтарылды", "ru": "заказное письмо: возвращено"}
BY_HAND = {"kk": "қолма-қол тапсыру: тапсырылды", "ru": "вручение лично: вручено"}
NONE = {"kk": "тапсыру туралы мәлімет жоқ", "ru": "сведений о вручении нет"}
NAMES = {
    "reminder": {"kk": "Еске салу хат", "ru": "Напоминание"},
    "warning": {"kk": "Ресми ескерту", "ru": "Официальное предупреждение"},
}


def snapshot(wiring: Wiring, document_id: str) -> dict[str, Any]:
    with wiring.db.transaction(read_only=True) as session:
        row = session.get(IssuedDocumentRow, document_id)
        assert row is not None
        return dict(row.snapshot)


def record(client: TestClient, tenant: Tenant, document_id: str, **delivery: str) -> None:
    response = client.post(
        f"/v1/documents/{document_id}/deliveries", json=delivery, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text


def statement(client: TestClient, tenant: Tenant, language: str) -> tuple[dict[str, Any], str]:
    document = issued(client, tenant, {"kind": STATEMENT, "language": language})
    return document, squashed(pdf_text(pdf_of(client, tenant, document["id"])))


def in_order(text: str, *needles: str) -> bool:
    """Every needle appears, each after the one before it (a row reads left to right)."""
    at = 0
    for needle in needles:
        found = text.find(squashed(needle), at)
        if found < 0:
            return False
        at = found + len(squashed(needle))
    return True


def test_a_statement_lists_every_earlier_document_with_its_delivery_scope_10(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    clock: FixedClock,
    wiring: Wiring,
) -> None:
    """Scope 10 acceptance: a statement issued through the API lists every earlier document of
    the case — number, date and delivery (channel, status, date; e-document law art. 7 p. 2–4) —
    in Kazakh and in Russian (language law art. 11: the language of the request)."""
    reminder = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    clock.move_to(dt.date(2026, 11, 26))
    deliver(client, tenant, reminder["id"], "2026-11-25")
    clock.move_to(dt.date(2026, 12, 15))  # 10 working days after 25 November
    warning = issued(client, tenant, {"kind": "warning", "language": "ru"})
    clock.move_to(dt.date(2026, 12, 22))
    record(
        client,
        tenant,
        warning["id"],
        channel="registered_post",
        status="returned",
        delivered_at="2026-12-21",
    )
    record(
        client,
        tenant,
        warning["id"],
        channel="hand_delivery",
        status="delivered",
        delivered_at="2026-12-22",
    )
    clock.move_to(dt.date(2026, 12, 23))
    other = issued(client, tenant, {"kind": "reminder", "language": "ru"})  # never delivered

    texts = {}
    for language in ("kk", "ru"):
        document, text = statement(client, tenant, language)
        assert document["kind"] == STATEMENT and document["language"] == language
        assert document["deadline"] is None  # a statement sets no payment deadline
        texts[language] = text
        assert squashed(NAME) in text and squashed(document["number"]) in text
        assert in_order(
            text,
            reminder["number"],
            "24.11.2026",
            NAMES["reminder"][language],
            f"{DELIVERED[language]} 25.11.2026",
            warning["number"],
            "15.12.2026",
            NAMES["warning"][language],
            # the warning's time to pay, from its receipt by hand on 22.12.2026: 10 days end on
            # 1 January 2027, a holiday, then 2 January (holiday), 3 (Sunday), 4 (carry-over)
            {"kk": "(05.01.2027 дейін)", "ru": "(до 05.01.2027)"}[language],
            f"{RETURNED[language]} 21.12.2026",
            f"{BY_HAND[language]} 22.12.2026",
            other["number"],
            "23.12.2026",
            NONE[language],
        ), language
        facts = snapshot(wiring, document["id"])
        listed = facts["history"]["documents"]
        earlier = [reminder["number"], warning["number"], other["number"]]
        assert [d["number"] for d in listed][:3] == earlier  # (the ru one lists the kk one)
        assert [len(d["deliveries"]) for d in listed][:3] == [1, 2, 0]
    # a later statement lists the earlier statements too
    third, text = statement(client, tenant, "bilingual")
    # bilingual: channel and status in both languages, Kazakh first, the date once
    assert in_order(
        text,
        reminder["number"],
        "тапсырысты хат / заказное письмо № RR123456789KZ: тапсырылды / вручено 25.11.2026",
        other["number"],
        NONE["kk"],
        NONE["ru"],
    )
    listed = snapshot(wiring, third["id"])["history"]["documents"]
    assert [d["kind"] for d in listed][-2:] == [STATEMENT, STATEMENT]
    assert squashed("Справка о задолженности и принятых мерах") in text


def test_a_statement_states_the_debt_by_account_and_the_penalty_apart_34_1_p9(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    """Debt by month and by account (current / savings: housing law art. 34-1 p. 3–4), the
    penalty stated apart and not added to the debt (art. 34-1 p. 9), and the payments."""
    for language in ("kk", "ru"):
        document = issued(client, tenant, {"kind": STATEMENT, "language": language})
        facts = snapshot(wiring, document["id"])
        by_account = facts["by_account"]
        assert set(by_account) == {"current", "savings"}
        lines = facts["debt"]["lines"]
        for account, contribution in (("current", "current"), ("savings", "accumulative")):
            outstanding = sum(
                Decimal(line["outstanding"])
                for line in lines
                if line["contribution"] == contribution
            )
            assert Decimal(by_account[account]["outstanding"]) == outstanding > 0
        overdue = Decimal(facts["debt"]["totals"]["overdue"])
        assert sum(Decimal(a["overdue"]) for a in by_account.values()) == overdue
        penalty = Decimal(facts["debt"]["penalty"]["total"])
        assert penalty > 0
        pdf = pdf_of(client, tenant, document["id"])
        assert contains(pdf, format_amount(overdue), format_amount(penalty))
        apart = {
            "kk": "Өсімпұл жарналар бойынша берешектен бөлек көрсетілген және оның сомасына "
            "кірмейді",
            "ru": "Пеня указана отдельно и в сумму задолженности по взносам не включена",
        }
        accounts = {"kk": ("Ағымдағы шот", "Жинақ шоты"), "ru": ("Текущий счёт", "Сберегательный")}
        assert contains(pdf, apart[language], *accounts[language])
        # the ledger's payments, with their references and total
        assert contains(pdf, "20.04.2026", "Kaspi 4471902", "10 608,00", "15 608,00")
        assert facts["deadline"] is None
        cites = {p["id"] for p in facts["provisions"]}
        assert {"housing-34-1-p9", "housing-51-1-p5-12", "language-11"} <= cites


def test_a_statement_is_outside_the_ladder_at_any_time_and_no_step_for_later_rules(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """No rule applies to a statement: it is issued when the ladder refuses a warning, and a
    delivered statement does not open the way to a warning (the rule counts reminders only)."""
    trace = explain(client, tenant, {"kind": STATEMENT, "language": "kk"})
    assert trace["allowed"] is True
    assert {t["outcome"] for t in trace["trace"]} == {"not_applicable"}
    document = issued(client, tenant, {"kind": STATEMENT, "language": "ru"})
    clock.move_to(dt.date(2026, 11, 26))
    deliver(client, tenant, document["id"], "2026-11-25")
    clock.move_to(dt.date(2026, 12, 15))
    refused = issue(client, tenant, {"kind": "warning", "language": "kk"})
    assert refused.status_code == 422
    blocked = violation(refused.json(), "warning-after-reminder-delivery")
    assert "не направлялось" in blocked["messages"]["ru"]
    step = client.get(f"/v1/cases/{CASE}/segment", headers=tenant.headers()).json()
    assert step["next_step"]["kind"] == "reminder"


def test_a_statement_is_issued_while_an_agreement_is_performed(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """Even while a restructuring agreement is in force — when a pre-court letter is refused —
    the debtor may have a statement; it names the agreement, its number, date and state."""
    body = {
        "kind": "restructuring",
        "language": "bilingual",
        "restructuring": {"installments": 6, "first_due": "2027-01-10", "waive_penalty": False},
    }
    agreement = issued(client, tenant, body)
    clock.move_to(dt.date(2026, 11, 25))
    signed = client.post(
        f"/v1/documents/{agreement['id']}/signature",
        json={"signed_on": "2026-11-25"},
        headers=tenant.headers(),
    )
    assert signed.status_code in (200, 201), signed.text
    for language, state in (("kk", "қол қойылды, күшінде"), ("ru", "подписано, действует")):
        trace = explain(client, tenant, {"kind": STATEMENT, "language": language})
        assert trace["allowed"] is True and trace["violations"] == []
        _, text = statement(client, tenant, language)
        assert in_order(text, agreement["number"], "24.11.2026", "25.11.2026", state), language


def test_a_statement_refuses_a_payment_deadline(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """A statement asks for nothing: a deadline in its request is a field error, not ignored."""
    body = {"kind": STATEMENT, "language": "ru", "deadline": "2026-12-10"}
    response = issue(client, tenant, body)
    assert response.status_code == 422
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [
        ("deadline", "not_applicable")
    ]


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_a_statement_with_nothing_done_says_so_in_every_language(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], language: str
) -> None:
    """Scope 10, first request: no document sent yet, no agreement — said, not left blank."""
    _, text = statement(client, tenant, language)
    said = {
        "kk": ("Берешек бойынша Сізге құжаттар жіберілмеген", "Бөліп төлеу келісімдері жасалмаған"),
        "ru": ("Документы по задолженности Вам не направлялись", "Соглашения о рассрочке не"),
    }
    for lang in ("kk", "ru") if language == "bilingual" else (language,):
        for phrase in said[lang]:
            assert squashed(phrase) in text, (lang, phrase)


def test_no_rule_of_the_rulebook_applies_to_a_statement(law: LawContext) -> None:
    """Outside the ladder by construction: no rule names the kind."""
    assert all(STATEMENT not in rule.spec.applies_to for rule in law.rulebook.rules)


def test_the_statement_text_names_the_creditor_never_by_an_acronym() -> None:
    """Brief's shared contract: new text refers to the creditor by its name or its keys."""
    text = (TEMPLATES / "common" / "text-statement.typ").read_text(encoding="utf-8")
    for acronym in ("ОСИ", "МИБ", "КСК"):
        assert acronym not in text, acronym


def test_a_paid_up_owner_gets_a_statement_that_says_nothing_is_overdue(
    client: TestClient, tenant: Tenant
) -> None:
    """Outside the ladder, the statement needs no overdue item (the law rule overdue-required,
    housing law art. 34-1 p. 8, names reminders, warnings and agreements only): a paid-up owner
    may ask what was charged and paid."""
    charges = monthly("2026-08", "2026-09")
    payments = [
        {"date": "2026-09-20", "amount": "9360.00"},
        {"date": "2026-10-20", "amount": "9360.00"},
    ]
    put_case(client, tenant, "PAID-1", charges, payments)
    refused = issue(client, tenant, {"kind": "reminder", "language": "ru"}, "PAID-1")
    assert refused.status_code == 422
    assert "overdue-required" in {v["rule"] for v in refused.json()["violations"]}
    response = issue(client, tenant, {"kind": STATEMENT, "language": "ru"}, "PAID-1")
    assert response.status_code == 201, response.text
    text = squashed(pdf_text(pdf_of(client, tenant, response.json()["id"])))
    for phrase in ("Просроченной задолженности по взносам нет", "20.09.2026", "18 720,00"):
        assert squashed(phrase) in text, phrase


def test_13_the_statement_words_each_letters_time_to_pay_as_the_letter_did(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """Review #13 (research A.5: the time to pay runs from receipt), text review of the
    statement: a letter's time to pay is printed as the letter worded it — N days from receipt
    — with the day it ends once receipt is recorded (ГК 175: moved to a working day), not the
    stored date counted from the issue date, which fell before the warning was even handed
    over. An agreement sets no time to pay."""
    for language in ("ru", "kk"):
        text = squashed(body_text(render(renderer, sample_facts(law, "statement", language))))
        if language == "ru":
            # the warning of 27.10.2026 (10 days), handed over 12.11.2026 → 22.11 is a Sunday
            assert (
                squashed("в течение 10 календарных дней со дня получения (до 23.11.2026)") in text
            )
            assert squashed("(до 19.10.2026)") in text  # the reminder, received 09.10.2026
        else:
            assert (
                squashed("алған күннен бастап 10 күнтізбелік күн ішінде (23.11.2026 дейін)") in text
            )
        assert squashed("06.11.2026") not in text  # the stored date, before the hand-over
