"""Every kind × language × creditor form × route, built by the real facts builder, rendered by
Typst and read back, names its creditor for what it is (#1, housing law art. 51-1 p. 2, 51-4,
34-1 p. 10; research 1.13, 1.14, C.10):

- an ОСИ is «ОСИ» / «МИБ», and its agreement is signed by the chairman acting without a power of
  attorney (art. 51-1 p. 2);
- a КСК is «КСК» / «ПИК» and a management company «управляющая компания» / «басқарушы
  компания», each a management subject under its management contract with the ОСИ (art. 51-4),
  whose number and date every document prints; neither is ever called «ОСИ» / «МИБ» — the only
  ОСИ such a document names is the one whose chairman answers a request for financial documents
  (art. 51-1 p. 5 sub-para 12) and the one its contract is with;
- the signer is never declined by gender («действующего», #3), signs as «Председатель ОСИ
  «Көктем-3»  ____  Л. М. Сәрсенбаева» (#20), and the Kazakh party clause reads «оның атынан …
  әрекет ететін төрағасы … арқылы» (#21);
- a Kazakh text prints the Kazakh bank name and postal address where given (#18).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from service.demo.samples import FORMS, sample_creditor, sample_facts, sample_request
from service.documents.facts import DocumentFacts
from service.documents.kinds import default_kinds
from service.documents.present import present
from service.kernel.route import Route
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from tests.pdftext import pdf_text
from tests.samples import render

_LETTER = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
SELF = re.compile(rf"(?<![{_LETTER}])(ОСИ|МИБ)(?![{_LETTER}])")


def combinations() -> list[tuple[str, str, str | None]]:
    """(kind, language, route) of every document the registry issues."""
    combos = []
    for spec in default_kinds():
        routes: list[str | None] = [r.value for r in spec.cites_by_route] or [None]
        for language in spec.languages:
            combos.extend((spec.name, language, route) for route in routes)
    return combos


def langs(language: str) -> tuple[str, ...]:
    return ("kk", "ru") if language == "bilingual" else (language,)


def spaced(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text)


def loose(phrase: str) -> re.Pattern[str]:
    """``phrase`` wherever the PDF's text breaks or spaces it."""
    parts = [re.escape(c) for c in re.sub(r"[\s\u00a0]+", "", phrase)]
    return re.compile(r"\s*".join(parts))


_RENDERED: dict[tuple[str, str, str | None, str], tuple[DocumentFacts, str]] = {}


def facts_and_text(
    law: LawContext, renderer: TypstRenderer, kind: str, language: str, route: str | None, form: str
) -> tuple[DocumentFacts, str]:
    """Each document rendered once for the tests of this module (≈ 20 documents a second)."""
    key = (kind, language, route, form)
    if key not in _RENDERED:
        request = sample_request(kind, language, Route(route) if route else None)
        creditor = sample_creditor(form)
        facts = sample_facts(law, kind, language, request=request, creditor=creditor)
        _RENDERED[key] = (facts, spaced(pdf_text(render(renderer, facts))))
    return _RENDERED[key]


def view(facts: DocumentFacts, lang: str) -> dict[str, Any]:
    text: dict[str, Any] = present(facts)["text"][lang]
    return text


def has(text: str, phrase: str) -> bool:
    return loose(phrase).search(text) is not None


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("kind", "language", "route"), combinations())
def test_every_document_names_its_creditor_by_form_1(
    law: LawContext,
    renderer: TypstRenderer,
    kind: str,
    language: str,
    route: str | None,
    form: str,
) -> None:
    facts, text = facts_and_text(law, renderer, kind, language, route, form)
    for lang in langs(facts.language):
        creditor = view(facts, lang)["creditor"]
        signer = creditor["signer"]
        # the signature line (#20) or the agreement's signature, initials first
        assert has(text, signer["name"]), (lang, signer["name"])
        if kind != "restructuring":
            assert has(text, signer["title"]), (lang, signer["title"])
        if form == "osi":
            assert has(text, {"kk": "МИБ", "ru": "ОСИ"}[lang])
            assert signer["contract"] is None
        else:
            party = creditor["party"]["nom"]
            assert party in {"КСК", "ПИК", "управляющая компания", "басқарушы компания"}
            assert has(text, party) or has(text, creditor["party"]["start"]), (lang, party)
            # the management contract, number and date, on every document (art. 51-4)
            assert has(text, signer["contract"]["line"]), (lang, signer["contract"]["line"])
        if kind == "restructuring":
            clause = {
                ("osi", "ru"): f"от имени которого действует {signer['position_inner']} "
                f"{signer['name']} на основании Устава, без доверенности",
                ("osi", "kk"): f"Жарғы және заң («Тұрғын үй қатынастары туралы» ҚР Заңының "
                f"51-1-бабының 2-тармағы) негізінде сенімхатсыз әрекет ететін "
                f"{signer['position_inner']} {signer['name']} арқылы",
                ("contract", "ru"): f"по договору управления № {signer['contract']['number']} "
                f"от {signer['contract']['date']['words']}"
                if signer["contract"]
                else "",
                ("contract", "kk"): f"{signer['contract']['date']['attributive']} "
                f"№ {signer['contract']['number']} басқару шарты бойынша"
                if signer["contract"]
                else "",
            }[("osi" if form == "osi" else "contract", lang)]
            assert has(text, clause), (lang, clause)
    assert "действующего" not in text and "действующей" not in text  # #3
    if form != "osi":
        assert "сенімхатсыз" not in text and "без доверенности" not in text


@pytest.mark.parametrize("form", ["ksk", "management_company"])
@pytest.mark.parametrize(("kind", "language", "route"), combinations())
def test_a_management_subject_is_never_called_osi_1(
    law: LawContext,
    renderer: TypstRenderer,
    kind: str,
    language: str,
    route: str | None,
    form: str,
) -> None:
    """#1: «ОСИ» / «МИБ» in a КСК's or management company's document only where it speaks of
    the building's ОСИ: its chairman answers a request for financial documents (art. 51-1 p. 5
    sub-para 12)."""
    facts, text = facts_and_text(law, renderer, kind, language, route, form)
    rest = text
    for lang in langs(facts.language):
        for phrase in view(facts, lang)["creditor"]["osi"].values():
            rest = loose(phrase).sub("", rest)
    found = [rest[max(0, m.start() - 50) : m.end() + 20] for m in SELF.finditer(rest)]
    assert found == []


@pytest.mark.parametrize(("kind", "language", "route"), combinations())
def test_kazakh_text_prints_kazakh_requisites_18(
    law: LawContext, renderer: TypstRenderer, kind: str, language: str, route: str | None
) -> None:
    """#18 (language law art. 21): the bank and the debtor's postal address in Kazakh in the
    Kazakh text, in Russian in the Russian one."""
    facts, text = facts_and_text(law, renderer, kind, language, route, "osi")
    languages = langs(facts.language)
    bank = {"kk": "«Қазақстан Халық Банкі» АҚ", "ru": "АО «Народный Банк Казахстана»"}
    address = {
        "kk": "Алматы қ., Көктем-3 шағын ауданы, 21-үй, 45-пәтер",
        "ru": "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
    }
    for lang in ("kk", "ru"):
        assert has(text, bank[lang]) is (lang in languages), (lang, bank[lang])
        if kind != "restructuring" or lang == "kk":  # an agreement lists the debtor's once
            assert has(text, address[lang]) is (lang in languages), (lang, address[lang])
