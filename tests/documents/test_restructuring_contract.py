"""The restructuring agreement as a complete bilingual contract (legal review #4–#10, #23,
#26–#30, #39), read back from the PDF: what each clause says in Kazakh and Russian, the waiver's
mandate (research C.11), the schedule on working days (ГК 175), notices (notary law 92-6), and
the agreements' own number register."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.creditors.creditor import Mandate, MandateBody, MandatePower
from service.demo.samples import sample_creditor
from service.documents.facts import DocumentFacts, RestructuringTerms
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from tests.api import WAIVER_MANDATE, Tenant, issue, issued, record_waiver_mandate
from tests.conftest import load_fixture
from tests.documents.test_read_back import columns
from tests.pdftext import pdf_text, squashed
from tests.samples import render, sample_facts, sample_request

WAIVER = load_fixture("issue-restructuring.json")  # the contract payload: waive_penalty: true
NO_WAIVER = {
    "kind": "restructuring",
    "language": "bilingual",
    "restructuring": {"installments": 4, "first_due": "2027-01-31", "waive_penalty": False},
}


def text_of(renderer: TypstRenderer, facts: DocumentFacts) -> str:
    """The whole text, then each language column on its own (a paragraph a page break splits
    reads whole there), squashed."""
    pdf = render(renderer, facts)
    sides = columns(pdf)
    return squashed(pdf_text(pdf)) + sides["left"] + sides["right"]


def without_waiver(law: LawContext) -> DocumentFacts:
    request = dataclasses.replace(
        sample_request("restructuring", "bilingual"),
        restructuring=RestructuringTerms(4, dt.date(2027, 1, 31), waive_penalty=False),
    )
    return sample_facts(law, request=request)


def preview(client: TestClient, tenant: Tenant, body: dict[str, Any]) -> str:
    response = client.post(
        "/v1/cases/KKT3-21-045/documents:preview", json=body, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    return squashed(pdf_text(response.content))


def test_kazakh_waiver_says_shart_where_russian_says_uslovie_review_4(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#4 (language law art. 15, both texts of equal force): «условие» is «шарт», not «талап»."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("бұл шарт күшін жояды") in text
    assert squashed("это условие утрачивает силу") in text
    assert squashed("бұл талап") not in text and squashed("бұл талапты") not in text


def test_waiver_prints_the_recorded_mandate_review_5(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#5, research C.11: the waiver cites the decision (body, protocol number and date), not an
    unstated condition."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert (
        squashed("На основании решения собрания собственников (протокол № 5 от 14 марта 2026 г.)")
        in text
    )
    assert (
        squashed("меншік иелері жиналысының шешімі (2026 жылғы 14 наурыздағы № 5 хаттама)") in text
    )
    assert squashed("только при наличии решения") not in text


def test_board_mandate_names_the_board_review_5(renderer: TypstRenderer, law: LawContext) -> None:
    board = Mandate(MandatePower.PENALTY_WAIVER, MandateBody.BOARD, "12-К", dt.date(2026, 6, 2))
    creditor = dataclasses.replace(sample_creditor(), mandates={MandatePower.PENALTY_WAIVER: board})
    facts = sample_facts(law, "restructuring", "bilingual")
    part = facts.parts["restructuring"]
    facts = dataclasses.replace(
        facts,
        creditor=creditor,
        parts={**facts.parts, "restructuring": dataclasses.replace(part, mandate=board)},  # type: ignore[type-var]
    )
    text = text_of(renderer, facts)
    assert squashed("решения совета дома (протокол № 12-К от 2 июня 2026 г.)") in text
    assert squashed("үй кеңесінің шешімі (2026 жылғы 2 маусымдағы № 12-К хаттама)") in text


def test_waiver_without_a_recorded_mandate_is_refused_422_review_5(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#5: no mandate on record → 422 naming the field and what is missing; nothing issued."""
    response = issue(client, tenant, WAIVER)
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("restructuring.waive_penalty", "mandate_missing")
    assert "protocol" in error["message"]
    # the same agreement without the waiver needs no mandate
    assert issue(client, tenant, NO_WAIVER).status_code == 201


def test_mandate_is_recorded_through_the_api_and_then_printed_review_5(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    record_waiver_mandate(client, tenant)
    listed = client.get("/v1/mandates", headers=tenant.headers()).json()
    assert listed["mandates"] == [{"power": "penalty_waiver", **WAIVER_MANDATE}]
    replaced = {"body": "board", "protocol": {"number": "7", "date": "2026-10-01"}}
    response = client.put("/v1/mandates/penalty_waiver", json=replaced, headers=tenant.headers())
    assert response.status_code == 200, response.text
    assert response.json()["mandates"] == [{"power": "penalty_waiver", **replaced}]
    text = preview(client, tenant, WAIVER)
    assert squashed("решения совета дома (протокол № 7 от 1 октября 2026 г.)") in text
    with wiring.db.transaction() as session:
        from service.audit.repository import events_for

        actions = [e.action for e in events_for(session, tenant.creditor_id)]
    assert actions.count("MandateRecorded") == 2


def test_mandate_input_is_checked(client: TestClient, tenant: Tenant) -> None:
    future = {"body": "meeting", "protocol": {"number": "1", "date": "2027-01-01"}}
    response = client.put("/v1/mandates/penalty_waiver", json=future, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "protocol.date"
    wrong = {"body": "chairman", "protocol": {"number": "1", "date": "2026-01-01"}}
    response = client.put("/v1/mandates/penalty_waiver", json=wrong, headers=tenant.headers())
    assert response.status_code == 422
    assert (
        client.put(
            "/v1/mandates/unknown_power", json=WAIVER_MANDATE, headers=tenant.headers()
        ).status_code
        == 422
    )
    auditor = tenant.headers(tenant.auditor_key)
    assert (
        client.put("/v1/mandates/penalty_waiver", json=WAIVER_MANDATE, headers=auditor).status_code
        == 403
    )


def test_mandate_can_come_with_the_creditor_registration(
    client: TestClient, admin_key: str
) -> None:
    body = {**load_fixture("creditor.json"), "mandates": {"penalty_waiver": WAIVER_MANDATE}}
    body["bin"] = "190340018228"
    response = client.post(
        "/v1/creditors", json=body, headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert response.status_code == 201, response.text
    creditor = response.json()["id"]
    listed = client.get(
        f"/v1/mandates?creditor={creditor}", headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert listed.json()["mandates"] == [{"power": "penalty_waiver", **WAIVER_MANDATE}]


def test_penalty_is_paid_last_in_text_and_schedule_review_6(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    """#6: the text says the penalty is paid after the whole principal, and the schedule puts it
    in the last instalment only; every column adds up to the tiyn."""
    document = issued(client, tenant, NO_WAIVER)
    with wiring.db.transaction() as session:
        from service.documents.repository import find

        row = find(session, document["id"])
        assert row is not None
        facts = row.snapshot["restructuring"]
    rows = facts["schedule"]
    assert [Decimal(r["penalty"]) for r in rows[:-1]] == [Decimal("0.00")] * 3
    assert Decimal(rows[-1]["penalty"]) == Decimal(facts["acknowledged"]["penalty"]) > 0
    for row_ in rows:
        parts = Decimal(row_["current"]) + Decimal(row_["savings"]) + Decimal(row_["penalty"])
        assert parts == Decimal(row_["total"])
    text = preview(client, tenant, NO_WAIVER)
    assert squashed("Пеня включена в последний (№ 4) платёж графика") in text
    assert squashed("Өсімпұл кестенің соңғы (№ 4) төлеміне енгізілген") in text


def test_current_contributions_duty_and_default_review_7(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#7, housing law 34-1 p. 8: keep paying the contributions falling due meanwhile (all of
    them, not only «текущие» ones: that word names one kind of contribution, research 1.1);
    missing one is a default; a payment goes to the obligations in the order of their
    deadlines (cl. 3, so a payment on schedule never leaves an instalment unpaid)."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("Текущие взносы.") not in text
    for phrase in (
        "6. Взносы за период действия соглашения.",
        "обязуется своевременно, в установленный для их уплаты срок (п. 8 ст. 34-1",
        "неуплата взноса, указанного в п. 6",
        "по взносам, указанным в п. 6, в порядке наступления их сроков, начиная с более раннего",
        "6. Келісім қолданылатын кезеңдегі жарналар.",
        "6-тармақта көрсетілген жарнаның төленбеуі",
        "олардың мерзімдерінің кезегімен, ертерегінен бастап",
    ):
        assert squashed(phrase) in text, phrase


def test_place_and_signing_date_lines_review_8(renderer: TypstRenderer, law: LawContext) -> None:
    """#8 (ГК 183: the acknowledgment dates from the signature): place of conclusion in the head,
    a date line under each party's signature, entry into force on the later signature."""
    text = pdf_text(render(renderer, sample_facts(law, "restructuring", "bilingual")))
    head = squashed(text.split("БЕРЕШЕКТІ ҚАЙТА")[0])
    assert squashed("Алматы қ.") in head and squashed("г. Алматы") in head
    assert squashed(text).count(squashed("күні / дата:")) == 2
    assert squashed("дата последней из подписей ниже") in squashed(text)


def test_penalty_accrual_during_performance_is_stated_in_both_variants_review_9(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#9, research C.11: the agreement says whether penalty accrues while it is performed. By
    default it does (housing law 34-1 p. 9: for each day of delay; freezing it would waive
    penalty, which needs a mandate), as the penalty computation does."""
    for facts in (sample_facts(law, "restructuring", "bilingual"), without_waiver(law)):
        text = text_of(renderer, facts)
        assert squashed("пеня продолжает начисляться") in text
        assert squashed("өсімпұл есептеле береді") in text
        assert squashed("не начисляется") not in text


def test_penalty_accrual_policy_changes_the_clause_review_9(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#9: `penalty_accrues_during_performance` (policy, to-confirm) is honoured in the text; on
    default the penalty on the unpaid principal comes on top of the acknowledged one, never
    counted twice (text review M4)."""
    response = client.put(
        "/v1/policy",
        json={"overrides": {"restructuring-terms": {"penalty_accrues_during_performance": False}}},
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text
    text = preview(client, tenant, NO_WAIVER)
    assert squashed("пеня на задолженность, включённую в график, не начисляется") in text
    assert squashed("кестеге енгізілген берешекке өсімпұл есептелмейді") in text
    assert squashed("сверх пени, признанной в п. 1") in text
    assert squashed("1-тармақта мойындалған өсімпұлдан бөлек") in text
    assert squashed("за всё время просрочки") not in text


def test_two_signed_originals_and_copies_review_10(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#10 (notary law 92-1 p. 1: the notary needs the original): one signing form, paper."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("в двух экземплярах, по одному для каждой стороны") in text
    assert squashed("подписывается сторонами собственноручно") in text
    assert squashed("является подлинником для представления нотариусу или в суд") in text
    assert squashed("екі данада жасалады") in text


def test_column_names_agree_in_number_review_23(renderer: TypstRenderer, law: LawContext) -> None:
    """#23: one column → «графы» / «бағанындағы»; two → «граф … и …» / «бағандарындағы»."""
    waived = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("Суммы графы «На текущий счёт» перечисляются") in waived
    assert squashed("«Ағымдағы шотқа» бағанындағы сомалар") in waived
    assert squashed("бағандарындағы сомалар Кредитордың") not in waived
    with_penalty = text_of(renderer, without_waiver(law))
    assert squashed("Суммы граф «На текущий счёт» и «Пеня» перечисляются") in with_penalty
    assert squashed("«Ағымдағы шотқа» және «Өсімпұл» бағандарындағы") in with_penalty


def test_instalments_on_working_days_review_26(renderer: TypstRenderer, law: LawContext) -> None:
    """#26, gk-175: 10.01.2027 (Sunday) and 10.04.2027 (Saturday) are not printed; the next
    working days are, and the rule is stated."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert "10.01.2027" not in text and "10.04.2027" not in text
    assert "11.01.2027" in text and "12.04.2027" in text
    assert squashed("ближайший следующий рабочий день (ст. 175") in text


def test_late_window_is_defined_review_27(renderer: TypstRenderer, law: LawContext) -> None:
    """#27: a payment 6–30 days late is late, not a default; the agreement says what follows."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("Платёж, поступивший позднее, но не позднее 30 календарных дней") in text
    assert squashed("считается просроченным: соглашение продолжает действовать") in text
    assert squashed("мерзімі өткен болып саналады: келісім қолданыла береді") in text


def test_may_serve_as_basis_and_no_limitation_claim_review_28(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#28 (research 3.2, 2.5, 10.5–10.6): «может служить основанием», no bare claim that it
    interrupts limitation (contribution debts are not subject to it, 34-1 p. 9 part 2)."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("может служить основанием для взыскания пени") in text
    assert squashed("негіз бола алады") in text
    assert squashed("является основанием") not in text
    assert squashed("исковой давности") not in text and squashed("ескіру") not in text


def test_notices_name_the_email_and_disputes_the_venue_review_29(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#29, notary-92-6: a notary's copy may go by e-mail only to an address stated in a contract;
    disputes go to the court of the debtor's residence (ГПК 29)."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("по адресу электронной почты n.zhaksybekov@example.kz") in text
    assert squashed("копия исполнительной надписи нотариуса (ст. 92-6") in text
    assert squashed("n.zhaksybekov@example.kz электрондық пошта мекенжайы бойынша") in text
    assert squashed("9. Споры.") in text and squashed("(ст. 29 ГПК РК)") in text


def test_penalty_column_follows_the_penalty_account_policy_review_30(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#30 (housing law 34-1 p. 3–4; `penalty_account` to-confirm): the clause names the account
    the policy sends the penalty to."""
    response = client.put(
        "/v1/policy",
        json={"overrides": {"restructuring-terms": {"penalty_account": "savings"}}},
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text
    text = preview(client, tenant, NO_WAIVER)
    assert squashed("Суммы графы «На текущий счёт» перечисляются на текущий счёт") in text
    assert squashed("суммы граф «На сберегательный счёт» и «Пеня»") in text


def test_agreements_have_their_own_register_review_39(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#39: letters and agreements are numbered apart, each gapless; the agreement's footer
    carries no «Исх.»."""
    reminder = issued(client, tenant, load_fixture("issue-reminder.json"))
    agreement = issued(client, tenant, NO_WAIVER)
    warning_number = issued(client, tenant, load_fixture("issue-reminder.json"))["number"]
    assert (reminder["number"], agreement["number"], warning_number) == (
        "2026-00001",
        "R-2026-00001",
        "2026-00002",
    )
    pdf = client.get(f"/v1/documents/{agreement['id']}/pdf", headers=tenant.headers())
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "Исх." not in text and "Шығ." not in text
    assert squashed("Келісім № / Соглашение № R-2026-00001") in squashed(text)


def test_debtor_consents_to_processing_in_the_agreement_review_16(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#16 (PD law art. 7 p. 1: processing with the subject's consent; art. 19-1: objection to
    automated processing, answered in three working days): the agreement takes the debtor's
    written consent, in both languages, and cites both provisions."""
    text = text_of(renderer, sample_facts(law, "restructuring", "bilingual"))
    assert squashed("Должник даёт Кредитору согласие на сбор и обработку") in text
    assert squashed("Борышкер Кредиторға осы келісімде көрсетілген") in text
    assert squashed("келісім береді") in text
    assert squashed("ст. 7 Закона РК «О персональных данных и их защите»") in text
    assert squashed("в течение трёх рабочих дней") in text
