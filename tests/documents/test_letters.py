"""What the debtor reads in a reminder, a warning and a pre-court letter (legal review #13–#17,
#22, #24, #25, #34, #37, #38), read back from the rendered PDFs; and what the creditor is told
about its penalty's rate table (#14)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from service.cases.case import assess
from service.documents.present import payment_term
from service.kernel.period import Period
from service.kernel.route import Route
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from tests.api import CASE, Tenant
from tests.conftest import load_fixture
from tests.pdftext import pages_text, pdf_text, squashed
from tests.samples import (
    render,
    sample_case,
    sample_facts,
    sample_request,
)

LETTERS = ("reminder", "warning", "pretrial")
# Sample deadlines (service.demo.samples) minus the issue date, 24.11.2026.
TERM_DAYS = {"reminder": 14, "warning": 15, "pretrial": 10}


def _pdf(renderer: TypstRenderer, law: LawContext, kind: str, language: str, **kw: Any) -> bytes:
    return render(renderer, sample_facts(law, kind, language, **kw))


def _text(pdf: bytes) -> str:
    return squashed(pdf_text(pdf))


def _first(months: int) -> Period:
    """The first month of ``months`` months of contributions ending in October 2026."""
    period = Period(2026, 10)
    for _ in range(months - 1):
        period = period.previous()
    return period


# --- #13: the deadline runs from receipt ---------------------------------------------------


@pytest.mark.parametrize("kind", LETTERS)
def test_13_payment_term_counts_from_receipt_of_the_letter(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    """#13 (research A.5: waiting periods start at delivery): N = deadline − issue date, counted
    from the day the letter is received, not a calendar date a slow delivery would eat."""
    days = TERM_DAYS[kind]
    ru = _text(_pdf(renderer, law, kind, "ru"))
    assert squashed(f"в течение {days} календарных дней со дня получения настоящего письма") in ru
    assert not re.search(r"в(окончательный)?срокдо\d", ru)  # no «в срок до 8 декабря 2026 г.»
    kk = _text(_pdf(renderer, law, kind, "kk"))
    assert squashed(f"осы хатты алған күннен бастап {days} күнтізбелік күн ішінде") in kk
    assert squashed("(қоса алғанда)") not in kk


def test_13_russian_term_agrees_with_its_number() -> None:
    """#13: «в течение 1 / 21 календарного дня», «11 / 10 календарных дней»."""
    assert payment_term(1, "ru")["unit"] == "календарного дня"
    assert payment_term(21, "ru")["unit"] == "календарного дня"
    assert payment_term(11, "ru")["unit"] == "календарных дней"
    assert payment_term(10, "ru") == {"days": "10", "unit": "календарных дней"}
    assert payment_term(10, "kk") == {"days": "10", "unit": "күнтізбелік күн"}


# --- #14, #34: the penalty is the creditor's calculation, not a consequence in law ----------


@pytest.mark.parametrize("language", ["ru", "bilingual"])
def test_14_warning_penalty_is_the_creditors_calculation_not_a_consequence(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    """#14 (housing law 34-1 p. 9 sets no rate; ГК 353; research §4, A.2 [POLICY]): the penalty
    is «рассчитанная … по базовой ставке НБ РК (ст. 353 ГК РК)», stated before the consequences
    of missing the deadline and not among them, and nothing is «предусмотренные законом»."""
    text = squashed(re.sub(r"\s+", " ", pdf_text(_pdf(renderer, law, "warning", language))))
    assert (
        squashed(
            "рассчитанная кредитором по базовой ставке Национального Банка РК "
            "(п. 1–2 ст. 353 Гражданского кодекса РК), составляет 2 939,42"
        )
        in text
    )
    assert "предусмотренныезаконом" not in text
    consequences = text[text.index("возможныследующиепоследствия") :]
    consequences = consequences[: consequences.index("2.Расходы")]
    assert "1.Нотариусилисуд." in consequences
    assert "Пеня." not in consequences
    assert text.index("Пеня.") < text.index("возможныследующиепоследствия")


def test_14_kazakh_warning_penalty_is_the_creditors_calculation(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#14 in Kazakh: no «заңда көзделген» consequences; the penalty is what the association
    calculated from the National Bank base rate (ГК 353)."""
    text = _text(_pdf(renderer, law, "warning", "kk"))
    assert squashed("кредитор Қазақстан Республикасы Ұлттық Банкінің базалық мөлшерлемесі") in text
    assert squashed("бойынша есептеген") in text
    assert squashed("353-бабының 1–2-тармағы") in text
    assert squashed("заңда көзделген") not in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_34_reminder_cites_the_basis_of_its_penalty(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    """#34: «Справочно: пеня» cites housing law 34-1 p. 9 (and ГК 353 for the rate)."""
    text = _text(_pdf(renderer, law, "reminder", language))
    cite = {"ru": "п. 9 ст. 34-1 Закона РК «О жилищных отношениях»", "kk": "34-1-бабының 9-тармағы"}
    assert squashed(cite[language]) in text
    start = text.index("Справочно:" if language == "ru" else "Анықтамаүшін:")
    assert squashed(cite[language]) in text[start : start + 600]


def test_14_no_rate_status_is_printed_to_the_debtor(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#14: the rate table's `to-confirm` is for the creditor (explain, preview header), never
    printed in the letter as if it were law or doubt about the debtor's liability."""
    for kind in LETTERS:
        text = pdf_text(_pdf(renderer, law, kind, "ru")).lower()
        assert "to-confirm" not in text and "не подтвержден" not in text


def test_14_rates_used_carry_their_confidence(law: LawContext) -> None:
    """#14: the 18,00 % row (from 13.10.2025) is `to-confirm` in legal/penalty; the penalty
    reports which rows it applied."""
    debt = assess(sample_case(), dt.date(2026, 11, 24), law.calendar, law.penalty_policy)
    used = debt.penalty.rates_used()
    assert [(str(r.annual_percent), r.confidence) for r in used] == [("18.00", "to-confirm")]
    first = law.penalty_policy.entry_on(dt.date(2023, 7, 10))
    assert first.confidence == "verified" and first.confirmed


def test_14_explain_and_preview_tell_the_creditor_the_rate_status(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """#14: `:explain` lists the rate rows the penalty applied with their status; `:preview`
    says it in a header beside the draft PDF."""
    body = load_fixture("issue-warning.json")
    explained = client.post(
        f"/v1/cases/{CASE}/documents:explain", json=body, headers=tenant.headers()
    )
    assert explained.status_code == 200, explained.text
    rates = explained.json()["penalty_rates"]
    assert rates["status"] == "to-confirm"
    assert rates["provision"] == "gk-353" and rates["day_count"] == 365
    assert {"effective_from": "2025-10-13", "percent": "18.00", "confidence": "to-confirm"} in (
        rates["rates"]
    )
    previewed = client.post(
        f"/v1/cases/{CASE}/documents:preview", json=body, headers=tenant.headers()
    )
    assert previewed.status_code == 200
    assert previewed.headers["Talap-Penalty-Rates"] == "to-confirm"


# --- #15: how to dispute the calculation ---------------------------------------------------


def test_15_warning_says_how_to_dispute_and_that_a_disputed_sum_is_not_sent_to_a_notary(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#15 (notary law 92-1 p. 2, 92-2 p. 1–2: an inscription only for an undisputed debt):
    form, address, e-mail, term, what follows."""
    text = _text(_pdf(renderer, law, "warning", "ru"))
    for phrase in (
        "Если Вы не согласны с расчётом, направьте в течение 15 календарных дней со дня "
        "получения настоящего письма письменное возражение с указанием причин",
        "по адресу: г. Алматы, Бостандыкский район, мкр. Коктем-3, д. 21",
        "по электронной почте osi.koktem3@example.kz",
        "Вам ответят письменно до обращения к нотариусу или в суд",
        "расчёт будет исправлен",
        "Оспоренная Вами сумма нотариусу не направляется",
        "по бесспорной задолженности (п. 1–2 ст. 92-2 Закона РК «О нотариате»)",
    ):
        assert squashed(phrase) in text, phrase
    kk = _text(_pdf(renderer, law, "warning", "kk"))
    for phrase in (
        "Есеппен келіспесеңіз",
        "жазбаша қарсылығыңызды",
        "Сіз дау айтқан сома нотариусқа жіберілмейді",
        "92-2-бабының 1–2-тармағы",
    ):
        assert squashed(phrase) in kk, phrase


def test_15_pretrial_states_the_dispute_on_each_route(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#15: the notary-route letter keeps disputed sums from the notary (92-2 p. 1–2); the
    court-route letter speaks of the court only (it cites no notary law)."""
    notary = _text(_pdf(renderer, law, "pretrial", "ru"))
    assert squashed("Оспоренная Вами сумма нотариусу не направляется") in notary
    court_facts = sample_facts(
        law, "pretrial", "ru", request=sample_request("pretrial", "ru", Route.COURT)
    )
    court = squashed(pdf_text(render(renderer, court_facts)))
    dispute = court[court.index("ЕслиВынесогласны") : court.index("Персональныеданные.")]
    assert squashed("Вам ответят письменно до обращения в суд") in dispute
    assert "нотариус" not in dispute


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_15_reminder_dispute_is_neutral(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    """#15: a reminder says how to object but names no notary and no court."""
    raw = pdf_text(_pdf(renderer, law, "reminder", language))
    text = squashed(raw)
    opening = {"ru": "Если Вы не согласны с расчётом", "kk": "Есеппен келіспесеңіз"}
    assert squashed(opening[language]) in text
    for word in ("нотариус", "суд", "сот", "исполнительн", "атқарушылық"):
        assert not re.search(rf"\b{word}", raw.lower()), word


# --- #16: personal data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "language"), [(k, lang) for k in LETTERS for lang in ("kk", "ru")]
)
def test_16_letter_carries_a_personal_data_notice(
    renderer: TypstRenderer, law: LawContext, kind: str, language: str
) -> None:
    """#16 (PD law art. 7: specific purposes, no excess data; art. 19-1: objection to automated
    processing, answered within three working days): operator, purpose, basis, objection."""
    text = _text(_pdf(renderer, law, kind, language))
    phrases = {
        "ru": (
            "Персональные данные.",
            "Объединение собственников имущества «Көктем-3» (оператор, адрес:",
            "обрабатывает следующие Ваши данные: фамилию, имя, отчество",
            "только для учёта взносов, которые обязан уплачивать собственник (п. 1 ст. 34-1",
            "(ст. 7 Закона РК «О персональных данных и их защите»)",
            "возразить против автоматизированной обработки Ваших данных",  # art. 19-1 only
            "в течение трёх рабочих дней (ст. 19-1 Закона РК «О персональных данных и их защите»)",
        ),
        "kk": (
            "Дербес деректер.",
            "(оператор, мекенжайы:",
            "«Дербес деректер және оларды қорғау туралы» ҚР Заңының 7-бабы",
            "Сіз деректеріңізді автоматтандырылған өңдеуге",
            "үш жұмыс күні ішінде",
            "«Дербес деректер және оларды қорғау туралы» ҚР Заңының 19-1-бабы",
        ),
    }[language]
    for phrase in phrases:
        assert squashed(phrase) in text, phrase


@pytest.mark.parametrize("kind", LETTERS)
def test_16_paper_letter_has_no_debtor_phone_or_email(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    """#16 (PD law art. 7: no excess data): the debtor's phone and e-mail are not printed."""
    text = _text(_pdf(renderer, law, kind, "bilingual"))
    assert "n.zhaksybekov@example.kz" not in text
    assert "5551234" not in text.replace("\u00a0", "")
    assert "ЖСН/ИИН780412300566" in text  # the ИИН stays, out of the window


def _pieces(pdf: bytes) -> list[tuple[str, float]]:
    """Page 1's text pieces with their height (PDF points from the bottom)."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        found.append((text, cm[1] * tm[4] + cm[3] * tm[5] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("language", ["ru", "bilingual"])
def test_16_iin_is_below_the_title_not_in_the_envelope_window(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    """#16: above the title (letterhead and the addressee block a window envelope shows) there
    is the debtor's name and address but no ИИН; the ИИН is printed under the title."""
    pieces = _pieces(_pdf(renderer, law, "warning", language))
    title = next(y for text, y in pieces if "ОФИЦИАЛЬНОЕ" in text)
    above = " ".join(text for text, y in pieces if y > title)
    assert "Жақсыбеков" in above and "кв." in above
    assert "780412300566" not in above
    assert any("780412300566" in text for text, y in pieces if y < title)


# --- #37: how the letter is sent and its receipt line -----------------------------------------


@pytest.mark.parametrize("kind", LETTERS)
def test_37_letter_states_how_it_is_sent_and_has_a_receipt_line(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    """#37 (research A.5: registered mail with delivery notice or hand delivery against
    signature): the sending method and «Тапсырылды / Вручено: ____ қолы / подпись, күні / дата»."""
    text = _text(_pdf(renderer, law, kind, "bilingual"))
    for phrase in (
        "заказное письмо с уведомлением о вручении либо вручение под подпись",
        "хабарламасы бар тапсырысты хат",
        "Тапсырылды:",
        "(қолы)",
        "Вручено:",
        "(подпись)",
    ):
        assert squashed(phrase) in text, phrase


_AMOUNT = r"\d{1,3}(?:\s\d{3})*,\d\d"
_ROW = re.compile(
    rf"^\d\d\.20\d\d\s[^\d]+?{_AMOUNT}\s*{_AMOUNT}\s*{_AMOUNT}\s*\d\d\.\d\d\.20\d\d", re.M
)
"""A whole debt row as pypdf reads it: period, contribution(s), charged, paid, outstanding and
due date (a penalty row has two amounts before its dates)."""


# --- #17, #38: layout -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["reminder", "warning"])
def test_17_signature_never_stands_alone_on_a_page(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    """#17: whatever the length, the page with the signature also carries the letter's last
    paragraph (the personal-data notice ends with «19-1»). Bilingual letters of 4 to 30 months
    move the page breaks through every part of the letter."""
    for months in range(4, 31, 2):
        case = sample_case(months=months, first=_first(months))
        pdf = _pdf(renderer, law, kind, "bilingual", case=case)
        pages = pages_text(pdf)
        signed = [p for p in pages if "Сәрсенбаева" in p and "Вручено" in p]
        assert len(signed) == 1, months
        body = squashed(signed[0])
        assert "19-1-бабы" in body and squashed("ст. 19-1") in body, (months, len(pages))


def test_38_table_rows_are_never_split_across_pages(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#38: every debt row reads whole on one page, however the table breaks."""
    for months in (24, 30, 36):
        case = sample_case(months=months, first=_first(months))
        for language in ("ru", "bilingual"):
            pages = pages_text(_pdf(renderer, law, "warning", language, case=case))
            assert sum(len(_ROW.findall(p)) for p in pages) == 2 * months, (months, language)


SAVINGS_IBAN = "KZ86601S871000234568"


@pytest.mark.parametrize(("kind", "language"), [("reminder", "ru"), ("warning", "bilingual")])
def test_38_payment_row_keeps_account_bank_and_amount_on_one_page(
    renderer: TypstRenderer, law: LawContext, kind: str, language: str
) -> None:
    """#38 (reminder ru p. 1–2: «ИИК KZ666…» on p. 1, the bank and БИК on p. 2): 4 to 8 months
    of arrears move the payment table across the page break; its savings-account row is read
    whole on one page (the letterhead's line has a comma after the IBAN)."""
    for months in range(4, 9):
        case = sample_case(months=months, first=_first(months))
        for page in pages_text(_pdf(renderer, law, kind, language, case=case)):
            for found in re.finditer(rf"{SAVINGS_IBAN}(?!,)", page):
                assert "HSBKKZKX" in page[found.end() :], (months, page[found.start() :])


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_38_one_period_format_in_debt_and_penalty_tables(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    """#38: «04.2026» in both tables, no month names («апрель 2026», «2026 ж. сәуір»)."""
    raw = pdf_text(_pdf(renderer, law, "warning", language))
    assert len(re.findall(r"^04\.2026 ", raw, re.M)) >= 4  # 2 debt rows + 3 penalty rows
    assert "апрель 2026" not in raw and "сәуір" not in raw
    if language != "ru":
        assert squashed("Мерзімі өткен күндер саны") in squashed(raw)


def test_22_reminder_is_called_eske_salu(renderer: TypstRenderer, law: LawContext) -> None:
    """#22: the reminder is «ЕСКЕ САЛУ ХАТ», not the warning's «ескерту»."""
    text = pdf_text(_pdf(renderer, law, "reminder", "kk"))
    assert "ЕСКЕ САЛУ ХАТ" in text and "ЕСКЕРТУ" not in text


# --- #24, #25: notes under the tables ---------------------------------------------------------


@pytest.mark.parametrize("kind", LETTERS)
def test_25_due_date_moved_to_a_working_day_is_explained(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    """#25 (ГК 175): March's contributions were due on Saturday 25.04.2026, so 27.04.2026;
    the row is marked and the note cites art. 175."""
    text = _text(_pdf(renderer, law, kind, "ru"))
    assert "27.04.2026*" in text or kind == "pretrial"  # pre-court: March is paid, not listed
    assert (
        squashed("срок перенесён на ближайший рабочий день (ст. 175 Гражданского кодекса РК)")
        in text
    )


def test_25_no_note_when_no_due_date_moved(renderer: TypstRenderer, law: LawContext) -> None:
    """#25: May (due Thursday 25.06.2026) alone: no star, no note."""
    case = dataclasses.replace(sample_case(months=1, first=Period(2026, 5)), payments=())
    text = _text(_pdf(renderer, law, "reminder", "ru", case=case))
    assert "25.06.2026" in text and "*" not in text
    assert squashed("ближайший рабочий день") not in text


def test_24_penalty_row_on_a_late_payment_says_when_it_was_paid(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#24: April's current contribution was paid, late, on 24.06.2026; its penalty row says so."""
    assert squashed("оплачено 24.06.2026 с просрочкой") in _text(
        _pdf(renderer, law, "warning", "ru")
    )
    assert squashed("24.06.2026 кешіктіріліп төленді") in _text(
        _pdf(renderer, law, "warning", "kk")
    )
