"""Every kind × language renders and reads back as a lawyer would check it."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from service.errors import RenderingFailed
from service.rendering.samples import NAME, TEMPLATES, sample_combinations, sample_facts
from service.rendering.schema import SCHEMAS, missing_fields, required_fields
from service.rendering.typst_renderer import TypstRenderer
from tests.pdftext import contains, pdf_text, squashed

WORDS = {
    # overdue 58 648,00 (reminder, warning); past the gate 37 432,00 (pretrial);
    # acknowledged 59 008,71 (restructuring: principal and penalty).
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
        "59 008,71",
        {
            "kk": "елу тоғыз мың сегіз теңге 71 тиын",
            "ru": "пятьдесят девять тысяч восемь тенге 71 тиын",
        },
    ),
}
TOTAL_OF = {
    "reminder": "overdue",
    "warning": "overdue",
    "pretrial": "past_gate",
    "restructuring": "acknowledged",
}
OUTGOING = {"kk": "Шығ. №", "ru": "Исх. №"}
TITLES = {
    "reminder": ("ЕСКЕРТУ ХАТ", "НАПОМИНАНИЕ"),
    "warning": ("РЕСМИ ЕСКЕРТУ", "ОФИЦИАЛЬНОЕ ПРЕДУПРЕЖДЕНИЕ"),
    "pretrial": ("СОТҚА ДЕЙІНГІ ТАЛАП", "ДОСУДЕБНАЯ ПРЕТЕНЗИЯ"),
    "restructuring": (
        "БЕРЕШЕКТІ ҚАЙТА ҚҰРЫЛЫМДАУ ТУРАЛЫ КЕЛІСІМ",
        "СОГЛАШЕНИЕ О РЕСТРУКТУРИЗАЦИИ ЗАДОЛЖЕННОСТИ",
    ),
}


@pytest.fixture(scope="module")
def renderer() -> TypstRenderer:
    return TypstRenderer(TEMPLATES)


_FOOTER = re.compile(
    r"^(Шығ\. №|Исх\. №).*$|^.*Әзірлеушінің.*$|^не имеет юридической силы\s*$", re.M
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
        if y > 60:  # above the footer (bottom margin 20 mm)
            halves["left" if x < 297 else "right"].append(text)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return {side: squashed("".join(parts)) for side, parts in halves.items()}


def langs(language: str) -> tuple[str, ...]:
    return ("kk", "ru") if language == "bilingual" else (language,)


def test_every_kind_is_sampled_in_every_language_the_law_allows() -> None:
    combos = sample_combinations()
    assert len(combos) == 10
    assert ("restructuring", "bilingual") in combos
    assert ("restructuring", "kk") not in combos and ("restructuring", "ru") not in combos


@pytest.mark.parametrize(("kind", "language"), sample_combinations())
def test_document_reads_back_with_name_totals_articles_and_number(
    renderer: TypstRenderer, kind: str, language: str
) -> None:
    facts = sample_facts(language, kind)
    pdf = renderer.render(facts)
    digits, words = WORDS[TOTAL_OF[kind]]
    assert contains(pdf, NAME, digits, facts["number"])
    text = squashed(body_text(pdf))
    if kind != "restructuring":
        outgoing = " / ".join(OUTGOING[lang] for lang in langs(language))
        assert contains(pdf, f"{outgoing} {facts['number']}")
    halves = columns(pdf) if language == "bilingual" else {}
    for lang in langs(language):
        assert squashed(words[lang]) in text, (lang, words[lang])
        where = halves.get("left" if lang == "kk" else "right", text)
        for provision in facts["provisions"]:
            assert squashed(provision["cite"][lang]) in where, provision["id"]
    # nothing in English: no Latin word outside identifiers, e-mail, URL and bank codes
    latin = set(re.findall(r"\b[A-Za-z]{3,}\b", pdf_text(pdf)))
    allowed = {"http", "example", "osi", "koktem", "zhaksybekov", "verify", "documents"}
    assert {w for w in latin if w.lower() not in allowed and not w.isupper()} == set()


@pytest.mark.parametrize("kind", ["reminder", "warning", "pretrial", "restructuring"])
def test_bilingual_puts_kazakh_first(renderer: TypstRenderer, kind: str) -> None:
    pdf = renderer.render(sample_facts("bilingual", kind))
    first_page = squashed(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
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


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_restructuring_is_bilingual_only(renderer: TypstRenderer, language: str) -> None:
    with pytest.raises(RenderingFailed) as caught:
        renderer.render(sample_facts(language, "restructuring"))
    assert caught.value.errors[0].path in {"language", "kind"}


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_warning_states_only_lawful_consequences(renderer: TypstRenderer, language: str) -> None:
    text = pdf_text(renderer.render(sample_facts(language, "warning"))).lower()
    for word in ("отключ", "приказ", "арест", "ажырат", "бұйрық", "тыйым", "изъят"):
        assert word not in text, word
    squashed_text = squashed(text)
    if "ru" in langs(language):
        for phrase in (
            "исполнительной надписи",
            "право на обращение возникло с 26 июля 2026 г.",
            "реструктуризации",
            "в срок до 9 декабря 2026 г. включительно",
            "государственная пошлина",
        ):
            assert squashed(phrase) in squashed_text, phrase
    if "kk" in langs(language):
        for phrase in (
            "атқарушылық жазба",
            "2026 жылғы 26 шілдеден бастап туындады",
            "қайта құрылымдау",
            "мемлекеттік баж",
        ):
            assert squashed(phrase) in squashed_text, phrase


def test_warning_before_the_gate_says_when_it_opens(renderer: TypstRenderer) -> None:
    facts = sample_facts("ru", "warning")
    facts["enforcement"].update(gate_opens="2026-12-26", past_gate_total="0.00")
    text = squashed(pdf_text(renderer.render(facts)))
    assert squashed("Это право возникает с 26 декабря 2026 г.") in text


@pytest.mark.parametrize("language", ["ru", "bilingual"])
def test_long_warning_table_repeats_its_header(renderer: TypstRenderer, language: str) -> None:
    facts = sample_facts(language, "warning", months=36, first=dt.date(2023, 11, 1))
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(renderer.render(facts))).pages]
    rows = re.compile(r"(текущие|накопительные)\s+\d")
    table_pages = [p for p in pages if len(rows.findall(p)) > 5]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Начислено" in page and "Право на" in page
    assert f"{len(pages)} из {len(pages)}" in pages[-1]


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_pretrial_claims_only_items_past_the_gate(renderer: TypstRenderer) -> None:
    text = pdf_text(renderer.render(sample_facts("ru", "pretrial")))
    table1 = _between(text, "Таблица 1.", "Таблица 2.")
    assert "июль 2026" in table1 and "апрель 2026" in table1
    assert "август 2026" not in table1 and "октябрь 2026" not in table1
    assert squashed("37 432,00") in squashed(table1)
    table2 = _between(text, "Таблица 2.", "Собственник квартиры")
    assert "август 2026" in table2 and "июль 2026" not in table2


@pytest.mark.parametrize("language", ["kk", "ru", "bilingual"])
def test_pretrial_notary_route(renderer: TypstRenderer, language: str) -> None:
    facts = sample_facts(language, "pretrial")
    text = squashed(pdf_text(renderer.render(facts)))
    if "ru" in langs(language):
        for phrase in (
            "копию исполнительной надписи",
            "десяти рабочих дней",
            "мотивированное возражение",
            "по месту нахождения недвижимости",
            "Такого признания нет",
            "Приложения:",
            "выписка из протокола собрания собственников № 3 от 20.12.2025",
            "в окончательный срок до 4 декабря 2026 г. включительно",
        ):
            assert squashed(phrase) in text, phrase
    if "kk" in langs(language):
        for phrase in ("көшірмесін", "он жұмыс күні", "қарсылық", "Қосымшалар:"):
            assert squashed(phrase) in text, phrase
    assert "судебныйприказ" not in text.lower() and "сотбұйрығы" not in text.lower()


def test_pretrial_with_acknowledgment_includes_penalty_on_the_notary_route(
    renderer: TypstRenderer,
) -> None:
    facts = sample_facts("ru", "pretrial")
    facts["acknowledgment"] = {"date": "2026-10-01", "document_number": "2026-00031"}
    text = squashed(pdf_text(renderer.render(facts)))
    assert squashed("Вы признали долг письменно (№ 2026-00031 от 1 октября 2026 г.)") in text
    assert squashed("пеня будет включена в заявление нотариусу") in text
    assert squashed("копия письменного признания долга") in text
    assert squashed("Такого признания нет") not in text


def test_pretrial_court_route(renderer: TypstRenderer) -> None:
    facts = sample_facts("ru", "pretrial")
    facts["route"] = "court"
    facts["provisions"].append(
        {"id": "gpk-29", "cite": {"ru": "ст. 29 ГПК РК", "kk": "ҚР АПК 29-бабы"}}
    )
    facts["venue"]["debtor_address"] = None
    text = squashed(pdf_text(renderer.render(facts)))
    assert squashed("ОСИ обратится в суд с иском") in text
    assert squashed("по месту жительства ответчика (ст. 29 ГПК РК)") in text
    assert squashed("мкр. Коктем-3, д. 21, кв. 45") in text
    assert "исполнительнойнадписи" not in text.split("Еслизадолженностьнебудетпогашена")[-1][:200]


SCHEDULE_ROW = re.compile(
    r"^\s*(\d)\s+(\d\d)\.(\d\d)\.(\d{4})\s+([\d\s\u202f]+,\d\d)\s+([\d\s\u202f]+,\d\d)\s+"
    r"([\d\s\u202f]+,\d\d)\s*$",
    re.M,
)


def _amount(text: str) -> Decimal:
    return Decimal(squashed(text).replace(",", "."))


def test_restructuring_schedule_in_the_pdf_sums_to_the_total(renderer: TypstRenderer) -> None:
    facts = sample_facts("bilingual", "restructuring")
    text = pdf_text(renderer.render(facts))
    rows = SCHEDULE_ROW.findall(text)
    assert [int(r[0]) for r in rows] == list(range(1, 7))
    for row in rows:
        dt.date(int(row[3]), int(row[2]), int(row[1]))  # a real date
        assert _amount(row[4]) + _amount(row[5]) == _amount(row[6])
    total = Decimal(facts["restructuring"]["totals"]["total"])
    assert sum(_amount(r[6]) for r in rows) == total
    assert sum(_amount(r[4]) for r in rows) == Decimal("51160.00")
    assert contains(renderer.render(facts), "58 648,00", "51 160,00", "7 488,00")


def test_restructuring_says_what_the_law_needs(renderer: TypstRenderer) -> None:
    facts = sample_facts("bilingual", "restructuring")
    text = squashed(pdf_text(renderer.render(facts)))
    for phrase in (
        "заключено в порядке досудебного урегулирования спора",
        "дауды сотқа дейін реттеу тәртібімен жасалды",
        "признаёт свою задолженность",
        "«О жилищных отношениях») — 360,71 тенге",
        "прерывает течение срока исковой давности",
        "в течение 30 календарных дней",
        "досрочного погашения всей оставшейся задолженности",
        "решения собрания собственников или совета дома",
        "Реквизиты и подписи сторон",
        "Сәрсенбаева Л. М.",
        "Жақсыбеков Н. Ә.",
    ):
        assert squashed(phrase) in text, phrase


def test_restructuring_without_waiver_schedules_the_penalty(renderer: TypstRenderer) -> None:
    from service.rendering.samples import schedule

    facts = sample_facts("bilingual", "restructuring")
    facts["restructuring"] = schedule(facts["debt"], 4, dt.date(2027, 1, 31), False)
    text = squashed(pdf_text(renderer.render(facts)))
    assert squashed("решения собрания собственников или совета дома") not in text
    assert squashed("включена в график (графа «Пеня»)") in text
    assert squashed("59 008,71") in text  # the schedule's sum row includes the penalty
    assert squashed("28.02.2027") in text  # 31 January + 1 month: last day of February


def test_a_schedule_that_does_not_add_up_is_refused(renderer: TypstRenderer) -> None:
    facts = sample_facts("bilingual", "restructuring")
    facts["restructuring"]["schedule"][-1]["current"] = "8526.71"
    with pytest.raises(RenderingFailed) as caught:
        renderer.render(facts)
    paths = {e.path for e in caught.value.errors}
    assert "restructuring.schedule.5.total" in paths and "restructuring.totals.current" in paths


def test_required_fields_are_declared_per_kind() -> None:
    assert set(SCHEMAS) == {"reminder", "warning", "restructuring", "pretrial"}
    assert "route" in required_fields("pretrial", "ru")
    assert "enforcement.gate_opens" in required_fields("warning", "kk")
    assert "restructuring.schedule.*.due" in required_fields("restructuring", "bilingual")
    names = required_fields("warning", "bilingual")
    assert "creditor.name.kk" in names and "creditor.name.ru" in names
    assert "route" not in required_fields("warning", "ru")


def test_every_missing_field_is_listed_at_once(renderer: TypstRenderer) -> None:
    facts = sample_facts("ru", "pretrial")
    del facts["route"]
    facts["venue"]["property_address"] = "  "
    facts["basis"][1]["protocol"]["date"] = None
    facts["creditor"]["name"] = {"kk": "«Көктем-3» МИБ", "ru": ""}
    facts["number"] = None
    with pytest.raises(RenderingFailed) as caught:
        renderer.render(facts)
    errors = caught.value.errors
    assert {e.path for e in errors} == {
        "route",
        "venue.property_address",
        "basis.1.protocol.date",
        "creditor.name.ru",
        "number",
    }
    assert all(e.code == "required" for e in errors)
    assert "route" in caught.value.message


def test_a_draft_needs_no_number(renderer: TypstRenderer) -> None:
    facts = sample_facts("kk", "warning")
    facts.update(draft=True, number=None, document_id=None, verify_url=None)
    assert missing_fields(facts) == []
    assert contains(renderer.render(facts), "ЖОБА")


@pytest.mark.parametrize("kind", ["warning", "pretrial", "restructuring"])
def test_optional_fields_leave_no_dangling_labels(renderer: TypstRenderer, kind: str) -> None:
    language = "bilingual" if kind == "restructuring" else "ru"
    facts = copy.deepcopy(sample_facts(language, kind))
    facts["debtor"].update(iin=None, email=None, phone=None, postal_address=None)
    facts["creditor"]["contacts"] = None
    facts["unit"]["area_m2"] = None
    if kind == "pretrial":
        facts["venue"]["debtor_address"] = ""
    text = pdf_text(renderer.render(facts))
    for label in ("ИИН", "тел.", "эл. почта", "площадь", "По вопросам расчёта", "()"):
        assert label not in text, label
    if kind == "pretrial":
        assert "регистрации либо" in squashed(text) or "регистрациилибо" in squashed(text)


def test_abbreviations_in_user_data_and_template_text_do_not_break(
    renderer: TypstRenderer,
) -> None:
    view = renderer.view_model(sample_facts("ru", "pretrial"))
    assert "д.\u00a021, кв.\u00a045" in view["text"]["ru"]["venue"]["property_address"]
    assert "мкр.\u00a0Коктем-3" in view["text"]["ru"]["debtor"]["postal_address"]
    for path in TEMPLATES.glob("common/text-*.typ"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(п|пп|ст|д|кв)\. \d", source), path.name
