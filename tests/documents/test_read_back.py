"""Every kind × language, built by the real facts builder and rendered, reads back as a lawyer
would check it: names, totals in digits and words, articles, numbers, what the law asks each kind
to say and nothing it forbids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from service.agreements.restructuring import Acknowledgment
from service.claims.claim import case_claim
from service.creditors.creditor import Contacts
from service.demo.samples import sample_combinations, sample_creditor
from service.documents.facts import RestructuringTerms
from service.documents.present import present
from service.kernel.period import Period
from service.kernel.route import Route
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from service.rules.history import CaseHistory, IssuedDocument
from tests.pdftext import contains, pages_text, pdf_text, squashed
from tests.samples import (
    DEBT_ROW,
    NAME,
    render,
    sample_case,
    sample_facts,
    sample_request,
    with_debtor,
)

WORDS = {
    # overdue 58 648,00 (reminder, warning); past the gate 37 432,00 (pretrial);
    # acknowledged 61 587,42 (restructuring: principal 58 648,00 and penalty 2 939,42).
    "overdue": (
        "58 648,00",
        {
            "kk": "елу сегіз мың алты жүз қырық сегіз теңге 00 тиын",
            "ru": "пятьдесят восемь тысяч шестьсот сорок восемь тенге 00 тиынов",
        },
    ),
    "past_gate": (
        "37 432,00",
        {
            "kk": "отыз жеті мың төрт жүз отыз екі теңге 00 тиын",
            "ru": "тридцать семь тысяч четыреста тридцать два тенге 00 тиынов",
        },
    ),
    "acknowledged": (
        "61 587,42",
        {
            "kk": "алпыс бір мың бес жүз сексен жеті теңге 42 тиын",
            "ru": "шестьдесят одна тысяча пятьсот восемьдесят семь тенге 42 тиына",
        },
    ),
}
TOTAL_OF = {
    "reminder": "overdue",
    "warning": "overdue",
    "pretrial": "past_gate",
    "restructuring": "acknowledged",
    "statement": "overdue",
}
OUTGOING = {"kk": "Шығ. №", "ru": "Исх. №"}
TITLES = {
    "reminder": ("ЕСКЕ САЛУ ХАТ", "НАПОМИНАНИЕ"),
    "warning": ("РЕСМИ ЕСКЕРТУ", "ОФИЦИАЛЬНОЕ ПРЕДУПРЕЖДЕНИЕ"),
    "pretrial": ("СОТҚА ДЕЙІНГІ ТАЛАП", "ДОСУДЕБНАЯ ПРЕТЕНЗИЯ"),
    "restructuring": (
        "БЕРЕШЕКТІ ҚАЙТА ҚҰРЫЛЫМДАУ ТУРАЛЫ КЕЛІСІМ",
        "СОГЛАШЕНИЕ О РЕСТРУКТУРИЗАЦИИ ЗАДОЛЖЕННОСТИ",
    ),
    "statement": ("АНЫҚТАМА", "СПРАВКА"),
}

_FOOTER = re.compile(
    r"^(Шығ\. №|Исх\. №).*$|^(Келісім №|Соглашение №).* · .*$|^.*Әзірлеушінің.*$"
    r"|^не имеет юридической силы\s*$",
    re.M,
)


def body_text(pdf: bytes) -> str:
    """The text without page footers, so a sentence split by a page break reads whole."""
    return _FOOTER.sub("", pdf_text(pdf))


def columns(pdf: bytes) -> dict[str, str]:
    """Squashed text of each half of the page over the whole document, footers left out:
    a bilingual document's Kazakh column is the left half, the Russian one the right."""
    halves: dict[str, list[str]] = {"left": [], "right": []}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if y > 45:  # above the footer (its first line sits at ≈ 32 pt; body lines reach ≈ 57)
            halves["left" if x < 297 else "right"].append(text)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return {side: squashed("".join(parts)) for side, parts in halves.items()}


def langs(language: str) -> tuple[str, ...]:
    return ("kk", "ru") if language == "bilingual" else (language,)


@pytest.mark.parametrize(("kind", "language"), sample_combinations())
def test_document_reads_back_with_name_totals_articles_and_number(
    renderer: TypstRenderer, law: LawContext, kind: str, language: str
) -> None:
    facts = sample_facts(law, kind, language)
    assert facts.issuance is not None
    pdf = render(renderer, facts)
    digits, words = WORDS[TOTAL_OF[kind]]
    assert contains(pdf, NAME, digits, facts.issuance.number)
    text = squashed(body_text(pdf))
    if kind != "restructuring":
        outgoing = " / ".join(OUTGOING[lang] for lang in langs(language))
        assert contains(pdf, f"{outgoing} {facts.issuance.number}")
    halves = columns(pdf) if language == "bilingual" else {}
    for lang in langs(language):
        assert squashed(words[lang]) in text, (lang, words[lang])
        where = halves.get("left" if lang == "kk" else "right", text)
        for citation in facts.provisions:
            assert squashed(getattr(citation.cite, lang)) in where, citation.id
    # nothing in English: no Latin word outside identifiers, e-mail, URL and bank codes
    latin = set(re.findall(r"\b[A-Za-z]{3,}\b", pdf_text(pdf)))
    allowed = {"http", "example", "osi", "koktem", "zhaksybekov", "verify", "documents"}
    allowed |= {"kaspi", "halyk"}  # payment references as the ledger gives them (statement)
    assert {w for w in latin if w.lower() not in allowed and not w.isupper()} == set()


@pytest.mark.parametrize("kind", ["reminder", "warning", "pretrial", "restructuring"])
def test_bilingual_puts_kazakh_first(renderer: TypstRenderer, law: LawContext, kind: str) -> None:
    pdf = render(renderer, sample_facts(law, kind, "bilingual"))
    first_page = squashed(pages_text(pdf)[0])
    kk_title, ru_title = (squashed(t) for t in TITLES[kind])
    assert 0 <= first_page.index(kk_title) < first_page.index(ru_title)
    if kind != "restructuring":
        assert first_page.index("Құрметтіменшікиесі") < first_page.index("Уважаемыйсобственник")
    # Kazakh in the left column, Russian in the right one.
    halves = columns(pdf)
    kk, ru = (
        ("(бұданәрі—Кредитор)", "(далее—Кредитор)")
        if kind == "restructuring"
        else ("Құрметтіменшікиесі", "Уважаемыйсобственник")
    )
    assert kk in halves["left"] and kk not in halves["right"]
    assert ru in halves["right"] and ru not in halves["left"]


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_warning_states_only_lawful_consequences(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    text = pdf_text(render(renderer, sample_facts(law, "warning", language))).lower()
    for word in ("отключ", "приказ", "арест", "ажырат", "бұйрық", "тыйым", "изъят"):
        assert word not in text, word
    squashed_text = squashed(text)
    # April's contributions were due on 25 May; two months ended on 27 July (25 July was a
    # Saturday, ГК 175), so the right to apply arose on 28 July.
    if "ru" in langs(language):
        for phrase in (
            "исполнительной надписи",
            "право на обращение возникло с 28 июля 2026 г.",
            "реструктуризации",
            "в течение 15 календарных дней со дня получения настоящего письма",
            "государственная пошлина",
        ):
            assert squashed(phrase) in squashed_text, phrase
    if "kk" in langs(language):
        for phrase in (
            "атқарушылық жазба",
            "2026 жылғы 28 шілдеден бастап туындады",
            "қайта құрылымдау",
            "мемлекеттік баж",
        ):
            assert squashed(phrase) in squashed_text, phrase


def test_warning_before_the_gate_says_when_it_opens(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """August's contributions fall due on 25 September; the two months end on 25 November, so
    on 24 November the letter says the right arises on 26 November (housing law 34-1 p. 10)."""
    case = dataclasses.replace(sample_case(months=4, first=Period(2026, 8)), payments=())
    text = squashed(pdf_text(render(renderer, sample_facts(law, "warning", "ru", case=case))))
    assert squashed("Это право возникает с 26 ноября 2026 г.") in text


@pytest.mark.parametrize("language", ["ru", "bilingual"])
def test_long_warning_table_repeats_its_header(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    case = sample_case(months=36, first=Period(2023, 11))
    pages = pages_text(render(renderer, sample_facts(law, "warning", language, case=case)))
    table_pages = [p for p in pages if len(DEBT_ROW.findall(p)) > 5]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Начислено" in page and "Право на" in page
    assert f"{len(pages)} из {len(pages)}" in pages[-1]


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_pretrial_claims_only_items_past_the_gate(renderer: TypstRenderer, law: LawContext) -> None:
    """#11 (housing law 34-1 p. 10): table 1 holds what is past the two-month gate; table 2 the
    newer overdue items, named for what they are, and amounts not yet due in neither total."""
    text = pdf_text(render(renderer, sample_facts(law, "pretrial", "ru")))
    table1 = _between(text, "Таблица 1.", "Таблица 2.")
    periods = set(re.findall(r"^(\d\d\.2026) ", table1, re.M))  # a row starts with its period
    assert {"07.2026", "04.2026"} <= periods
    assert "08.2026" not in periods and "10.2026" not in periods
    assert squashed("37 432,00") in squashed(table1)
    table2 = _between(text, "Таблица 2.", "Собственник квартиры")
    assert squashed("Задолженность, по которой двухмесячный срок не истёк") in squashed(table2)
    periods = set(re.findall(r"^(\d\d\.2026) ", table2, re.M))
    assert "08.2026" in periods and "07.2026" not in periods
    # October (due 25.11.2026) is not yet due on 24.11.2026: not arrears, not in the total
    assert "10.2026" not in periods
    assert squashed("Итого 21 216,00 0,00 21 216,00") in squashed(table2)
    assert "Текущая задолженность" not in text


def test_pretrial_states_one_total_and_the_part_that_may_be_enforced(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#11 (research C.10–C.11: totals, only gated items enforceable): one amount to pay by the
    deadline, the payment table's sum, and of it the part past the gate (housing law 34-1
    p. 10). #31: «может быть взыскана через нотариуса или суд», «Требуем погасить»."""
    facts = sample_facts(law, "pretrial", "ru")
    text = squashed(body_text(render(renderer, facts)))
    assert facts.debt.summary.totals.overdue == Decimal("58648.00")
    assert facts.debt.summary.totals.past_gate == Decimal("37432.00")
    for phrase in (
        "Итого к оплате в этот срок: 58 648,00 тенге (пятьдесят восемь "
        "тысяч шестьсот сорок восемь тенге 00 тиынов), из них сумма 37 432,00 тенге (таблица 1) "
        "может быть взыскана через нотариуса или суд. Пеня в эту сумму не включена.",
        "она может быть взыскана через нотариуса или суд",
        "Требуем погасить задолженность в окончательный срок — в течение 10 календарных дней "
        "со дня получения настоящего письма",
    ):
        assert squashed(phrase) in text, phrase
    for wrong in ("подлежит принудительному взысканию", "Предлагаем добровольно погасить"):
        assert squashed(wrong) not in text, wrong
    kk = squashed(body_text(render(renderer, sample_facts(law, "pretrial", "kk"))))
    for phrase in (
        "Осы мерзімде төленетін сома барлығы: 58 648,00 теңге",
        "оның ішінде 1-кестедегі 37 432,00 теңге нотариус немесе сот арқылы өндіріп алынуы мүмкін",
        "Екі айлық мерзімі өтпеген берешек",
        "өтеуді талап етеміз",
    ):
        assert squashed(phrase) in kk, phrase


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_pretrial_notary_route(renderer: TypstRenderer, law: LawContext, language: str) -> None:
    """Notary law 92-2 p. 3 (venue), 92-6, 92-8; #31: the creditor, by its name, is who may apply
    to the notary; #33: the only attachment is the calculation in the letter, the protocol
    extracts are shown on request (the service attaches no files)."""
    text = squashed(body_text(render(renderer, sample_facts(law, "pretrial", language))))
    if "ru" in langs(language):
        for phrase in (
            "копию исполнительной надписи",
            "десяти рабочих дней",
            "мотивированное возражение",
            "Объединение собственников имущества «Көктем-3» вправе обратиться к нотариусу по "
            "месту Вашего жительства или регистрации",
            "по месту нахождения недвижимости (г. Алматы, Бостандыкский район, мкр. Коктем-3, "
            "д. 21, кв. 45)",
            "Такого признания нет",
            "Приложение: расчёт задолженности и пени (в тексте письма, таблицы 1–2).",
            "Документы, предъявляемые по требованию: 1. выписка из протокола собрания "
            "собственников № 3 от 20.12.2025",
            "в окончательный срок — в течение 10 календарных дней со дня получения "
            "настоящего письма",
        ):
            assert squashed(phrase) in text, phrase
        assert "Приложения:" not in text and "Обратитьсяможно" not in text
    if "kk" in langs(language):
        for phrase in (
            "көшірмесін",
            "он жұмыс күні",
            "қарсылық",
            "Қосымша: берешектің және өсімпұлдың есебі (хаттың мәтінінде, 1–2-кестелер).",
            "Талап бойынша ұсынылатын құжаттар:",
            "«Көктем-3» мүлік иелерінің бірлестігі Сіздің тұрғылықты немесе тіркелген жеріңіз",
            # the property's address in Kazakh, as the creditor gave it, and the unit
            "Көктем-3 шағын ауданы, 21-үй, № 45 пәтер",
        ):
            assert squashed(phrase) in text, phrase
    assert "судебныйприказ" not in text.lower() and "сотбұйрығы" not in text.lower()


def _history_with_agreement(law: LawContext, signed_on: dt.date) -> CaseHistory:
    """An agreement № 2026-00031 issued 28 September 2026, signed by the debtor on
    ``signed_on``: its acknowledgment is what the claim relies on (notary law 92-1 p. 3)."""
    debt = sample_facts(law, "pretrial", "ru").debt
    agreement = IssuedDocument("restructuring", "doc-31", "2026-00031", dt.date(2026, 9, 28))
    return CaseHistory(
        debt=debt.summary,
        documents=(agreement,),
        acknowledgments=(Acknowledgment(signed_on, "agreement", document_id="doc-31"),),
    )


def test_pretrial_with_acknowledgment_prints_the_claims_penalty_and_names_the_agreement(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#12 (notary law 92-1 p. 3): the penalty the letter sends to the notary is the claim's
    (``case_claim``, the claim endpoint's computation) to the tiyn; the rest is for a court;
    the acknowledging agreement is named by number and date."""
    history = _history_with_agreement(law, dt.date(2026, 10, 1))
    facts = sample_facts(law, "pretrial", "ru", history=history)
    claim = case_claim(facts.case, facts.creditor, facts.debt, history, Route.NOTARY, law.calendar)
    assert claim.penalty.included == Decimal("2479.07")  # table 1 items, all due before 1.10
    assert claim.penalty.left_out == Decimal("460.35")
    text = squashed(body_text(render(renderer, facts)))
    for phrase in (
        "Вы признали долг письменно (соглашение о реструктуризации задолженности № 2026-00031 "
        "от 28 сентября 2026 г., подписанное Вами 1 октября 2026 г.), поэтому",
        "в заявление нотариусу будет включена пеня в размере 2 479,07 тенге",
        "Остальные 460,35 тенге пени в заявление нотариусу не включаются; Объединение "
        "собственников имущества «Көктем-3» вправе взыскать их в судебном порядке.",
        "копия соглашения о реструктуризации задолженности № 2026-00031 от 28 сентября 2026 г.",
    ):
        assert squashed(phrase) in text, phrase
    assert squashed("Такого признания нет") not in text
    kk = squashed(body_text(render(renderer, sample_facts(law, "pretrial", "kk", history=history))))
    for phrase in (
        "2026 жылғы 28 қыркүйектегі № 2026-00031 берешекті қайта құрылымдау туралы келісім",
        "нотариусқа берілетін өтінішке 2 479,07 теңге",
        "Өсімпұлдың қалған 460,35 теңгесі",
    ):
        assert squashed(phrase) in kk, phrase


def test_pretrial_acknowledgment_before_every_due_date_sends_no_penalty_to_the_notary(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#12 (notary law 92-1 p. 3): an acknowledgment covers only amounts due by its date; one
    older than every table 1 item sends no penalty to the notary, as the claim says."""
    history = _history_with_agreement(law, dt.date(2026, 5, 1))
    facts = sample_facts(law, "pretrial", "ru", history=history)
    claim = case_claim(facts.case, facts.creditor, facts.debt, history, Route.NOTARY, law.calendar)
    assert claim.penalty.included == Decimal("0.00")
    text = squashed(body_text(render(renderer, facts)))
    assert squashed("однако признание не охватывает пеню на суммы, указанные в таблице 1") in text
    assert squashed("будет включена пеня") not in text


def test_pretrial_court_route(renderer: TypstRenderer, law: LawContext) -> None:
    """#32 (ГПК 29): the competent court is named; the penalty that will be claimed is the
    court claim's, not the whole penalty (the rest is on items outside table 1)."""
    request = sample_request("pretrial", "ru", route=Route.COURT)
    case = with_debtor(sample_case(), postal_address=None)
    facts = sample_facts(law, request=request, case=case)
    assert "gpk-29" in {c.id for c in facts.provisions}
    claim = case_claim(
        facts.case,
        facts.creditor,
        facts.debt,
        CaseHistory(facts.debt.summary),
        Route.COURT,
        law.calendar,
    )
    assert claim.penalty.included == Decimal("2479.07")
    text = squashed(pdf_text(render(renderer, facts)))
    for phrase in (
        "обратится с иском о взыскании задолженности, пени и судебных расходов в районный "
        "(городской) суд по месту жительства ответчика (ст. 29 ГПК РК): г. Алматы, "
        "Бостандыкский район, мкр. Коктем-3, д. 21, кв. 45.",
        "В иске будет заявлена к взысканию пеня на суммы, указанные в таблице 1, в размере "
        "2 479,07 тенге",
        "Остальные 460,35 тенге пени начислены на суммы, не указанные в таблице 1, и в иск не "
        "включаются.",
        "она может быть взыскана в судебном порядке",
    ):
        assert squashed(phrase) in text, phrase
    assert "исполнительнойнадписи" not in text.split("Еслизадолженностьнебудетпогашена")[-1][:200]


def test_reminder_and_warning_total_the_overdue_apart_from_rows_not_yet_due(
    renderer: TypstRenderer, law: LawContext
) -> None:
    """#35: the debt table's «Итого» counts the italic rows not yet due (October, due
    25.11.2026); an «Итого просрочено» row gives the overdue sum the headline states
    (housing law 34-1 p. 8: due by the 25th of the next month)."""
    for kind in ("reminder", "warning"):
        text = squashed(pdf_text(render(renderer, sample_facts(law, kind, "ru"))))
        assert squashed("Итого просрочено 58 648,00") in text, kind
        kk = squashed(pdf_text(render(renderer, sample_facts(law, kind, "kk"))))
        assert squashed("Мерзімі өткен берешек барлығы 58 648,00") in kk, kind


SCHEDULE_ROW = re.compile(
    r"^\s*(\d)\s+(\d\d)\.(\d\d)\.(\d{4})\s+([\d\s\u202f]+,\d\d)\s+([\d\s\u202f]+,\d\d)\s+"
    r"([\d\s\u202f]+,\d\d)\s*$",
    re.M,
)


def _amount(text: str) -> Decimal:
    return Decimal(squashed(text).replace(",", "."))


def test_restructuring_schedule_in_the_pdf_sums_to_the_total(
    renderer: TypstRenderer, law: LawContext
) -> None:
    facts = sample_facts(law, "restructuring", "bilingual")
    pdf = render(renderer, facts)
    rows = SCHEDULE_ROW.findall(pdf_text(pdf))
    assert [int(r[0]) for r in rows] == list(range(1, 7))
    for row in rows:
        dt.date(int(row[3]), int(row[2]), int(row[1]))  # a real date
        assert _amount(row[4]) + _amount(row[5]) == _amount(row[6])
    assert sum(_amount(r[6]) for r in rows) == Decimal("58648.00")
    assert sum(_amount(r[4]) for r in rows) == Decimal("51160.00")
    assert contains(pdf, "58 648,00", "51 160,00", "7 488,00")


def test_restructuring_says_what_the_law_needs(renderer: TypstRenderer, law: LawContext) -> None:
    # Each language column read on its own: a paragraph a page break splits reads whole.
    sides = columns(render(renderer, sample_facts(law, "restructuring", "bilingual")))
    text = sides["left"] + sides["right"]
    for phrase in (
        "заключено в порядке досудебного урегулирования спора",
        "дауды сотқа дейін реттеу тәртібімен жасалды",
        "признаёт свою задолженность",
        "«О жилищных отношениях») — 2 939,42 тенге",
        "может служить основанием для взыскания пени",
        "в течение 30 календарных дней",
        "досрочного погашения всей оставшейся задолженности",
        "На основании решения собрания собственников (протокол № 5 от 14 марта 2026 г.)",
        "Реквизиты и подписи сторон",
        "Л. М. Сәрсенбаева",  # initials first on the signature line (#20)
        "Н. Ә. Жақсыбеков",  # the debtor's too
    ):
        assert squashed(phrase) in text, phrase


def test_restructuring_without_waiver_schedules_the_penalty(
    renderer: TypstRenderer, law: LawContext
) -> None:
    request = dataclasses.replace(
        sample_request("restructuring", "bilingual"),
        restructuring=RestructuringTerms(4, dt.date(2027, 1, 31), waive_penalty=False),
    )
    text = squashed(pdf_text(render(renderer, sample_facts(law, request=request))))
    assert squashed("На основании решения") not in text
    assert squashed("включена в последний (№ 4) платёж графика (графа «Пеня»)") in text
    assert squashed("61 587,42") in text  # the schedule's sum row includes the penalty
    # 31 January + 1 month: last day of February (ГК 174 p. 3), a Sunday: 1 March (ГК 175)
    assert squashed("01.03.2027") in text and squashed("28.02.2027") not in text


@pytest.mark.parametrize("kind", ["reminder", "warning", "pretrial", "restructuring"])
def test_optional_fields_leave_no_dangling_labels(
    renderer: TypstRenderer, law: LawContext, kind: str
) -> None:
    language = "bilingual" if kind == "restructuring" else "ru"
    case = with_debtor(sample_case(), iin=None, email=None, phone=None, postal_address=None)
    case = dataclasses.replace(case, unit=dataclasses.replace(case.unit, area_m2=None))
    facts = sample_facts(law, kind, language, case=case)
    facts = dataclasses.replace(
        facts, creditor=dataclasses.replace(sample_creditor(), contacts=Contacts())
    )
    text = pdf_text(render(renderer, facts))
    for label in ("ИИН", "тел.", "эл. почта", "площадь", "По вопросам расчёта", "()"):
        assert label not in text, label
    if kind == "pretrial":
        assert "регистрациилибо" in squashed(text)


def test_abbreviations_in_user_data_and_template_text_do_not_break(law: LawContext) -> None:
    from service.bundled import bundled_dir

    view = present(sample_facts(law, "pretrial", "ru"))["text"]["ru"]
    assert "д.\u00a021, кв.\u00a045" in view["venue"]["property_address"]
    assert "мкр.\u00a0Коктем-3" in view["debtor"]["postal_address"]
    for path in bundled_dir("templates").glob("common/text-*.typ"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(п|пп|ст|д|кв)\. \d", source), path.name
