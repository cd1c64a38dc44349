"""Injection into the Word (docxtpl) and HTML (Jinja2 + WeasyPrint) engines (issue 13, item 9):
the bundled Word reminders (Kazakh and Russian) and the bundled HTML reminder filled from the
sample facts with every hostile payload in every text of the case and the creditor that reaches
the view. The filled DOCX is read back part by part (and must stay well-formed XML), the HTML
engine's PDF with pypdf. Each text is the payload behind a tag of its own: where the tag shows,
the whole text must show as sent. A refusal must name its fields (the glyph guard). Nothing may
be evaluated, nothing fetched (a loopback canary counts requests)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from service.bundled import bundled_dir
from service.cases.case import DebtCase, Debtor
from service.creditors.creditor import Creditor
from service.demo.samples import _sample, sample_case, sample_facts
from service.documents.present import present
from service.errors import RenderingFailed
from service.law.context import LawContext
from service.rendering.docx import DocxEngine
from service.rendering.engines import SourceBundle
from service.rendering.html import HtmlEngine
from service.rendering.typst.glyphs import require_coverage
from tests.hardening.injection import PAYLOADS, Canary, canary_server, evaluated, with_canary
from tests.pdftext import pdf_text, squashed

CREATED = dt.date(2026, 11, 24)
WORD = bundled_dir("templates") / "word"
HTML = bundled_dir("templates") / "html" / "ru"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")

CREDITOR_TEXTS = (
    ("name", "kk"),
    ("name", "ru"),
    ("address", "kk"),
    ("address", "ru"),
    ("chairman", "full_name"),
    ("chairman", "position", "kk"),
    ("chairman", "position", "ru"),
    ("accounts", "current", "bank", "kk"),
    ("accounts", "current", "bank", "ru"),
    ("contacts", "phone"),
    ("contacts", "email"),
)
DEBTOR_TEXTS = ("full_name", "email", "phone")


def tagged(index: int, payload: str) -> str:
    return f"Q{index:02d}{payload}"


def hostile_creditor(payload: str) -> Creditor:
    profile = copy.deepcopy(_sample()["creditor"])
    for index, path in enumerate(CREDITOR_TEXTS):
        target = profile
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = tagged(index, payload)
    return Creditor.from_profile("hostile-creditor", profile)


def hostile_case(payload: str) -> DebtCase:
    case = sample_case()
    base = len(CREDITOR_TEXTS)
    texts = {name: tagged(base + i, payload) for i, name in enumerate(DEBTOR_TEXTS)}
    address = {"kk": tagged(base + 3, payload), "ru": tagged(base + 4, payload)}
    first, *rest = case.payments
    return replace(
        case,
        debtor=replace(case.debtor, **texts, postal_address=Debtor.address_of(address)),
        unit=replace(case.unit, number=tagged(base + 5, payload)),
        payments=(replace(first, reference=tagged(base + 6, payload)), *rest),
    )


TEXT_COUNT = len(CREDITOR_TEXTS) + len(DEBTOR_TEXTS) + 4


def hostile_view(law: LawContext, payload: str, language: str) -> dict[str, Any]:
    facts = sample_facts(
        law, "reminder", language, case=hostile_case(payload), creditor=hostile_creditor(payload)
    )
    return present(facts)


def docx_texts(docx: bytes) -> str:
    """The text of the body, headers and footers, each part's runs joined (parsed as XML: a
    payload that broke the markup would fail here)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if _PARTS.fullmatch(name):
                root = etree.fromstring(archive.read(name))
                out.append("".join(t.text or "" for t in root.iter(f"{W}t")))
    return "\n".join(out)


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocxEngine]:
    engine = DocxEngine(tmp_path_factory.mktemp("docx"), pool_size=1, timeout=60)
    yield engine
    engine.close()


def word_render(engine: DocxEngine, language: str) -> Callable[[dict[str, Any]], str]:
    bundle = SourceBundle(
        {"reminder.docx": (WORD / language / "reminder.docx").read_bytes()}, "reminder.docx"
    )

    def render(view: dict[str, Any]) -> str:
        require_coverage(view)  # what DocxEngine.render does before it fills
        return docx_texts(engine.fill(bundle, view))

    return render


def html_render(view: dict[str, Any]) -> str:
    files = {p.name: p.read_bytes() for p in Path(HTML).iterdir() if p.is_file()}
    bundle = SourceBundle(files, "reminder.html")
    return pdf_text(HtmlEngine().render("v-html", bundle, view, created=CREATED).pdf)


def view_texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from view_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from view_texts(item)


def check(
    render: Callable[[dict[str, Any]], str], view: dict[str, Any], payload: str
) -> tuple[Counter[str], list[str]]:
    """Counts each text as refused, not printed, or printed literally: the output holds the
    text, or a form of it the view carries (the chairman's short name, «квартира № …»)."""
    outcomes: Counter[str] = Counter()
    try:
        text = render(view)
    except RenderingFailed as exc:
        if not exc.errors:
            return outcomes, [f"refused without naming a field: {exc}"]
        outcomes["refused by name"] += TEXT_COUNT
        return outcomes, []
    problems = []
    flat = squashed(text)
    for index in range(TEXT_COUNT):
        if squashed(f"Q{index:02d}") not in flat:
            outcomes["not printed"] += 1
        elif any(
            squashed(form) in flat
            for form in (tagged(index, payload), *view_texts(view))
            if f"Q{index:02d}" in form
        ):
            outcomes["printed literally"] += 1
        else:
            outcomes["printed differently"] += 1
            problems.append(f"text {index} printed otherwise than sent")
    marks = evaluated(text)
    if marks:
        problems.append(f"evaluated: {marks}")
    return outcomes, problems


@pytest.mark.parametrize("engine", ["word-kk", "word-ru", "html-ru"])
def test_every_payload_is_printed_literally_or_refused_by_name(
    engine: str, word: DocxEngine, law: LawContext, canary: Canary
) -> None:
    kind, language = engine.split("-")
    render = word_render(word, language) if kind == "word" else html_render
    total: Counter[str] = Counter()
    problems: list[str] = []
    for raw in PAYLOADS:
        if "\u202e" in raw:
            continue  # D7, refused at storage: test_a_bidi_override_is_refused_by_name
        payload = with_canary(raw, canary.address)
        outcomes, found = check(render, hostile_view(law, payload, language), payload)
        total.update(outcomes)
        problems.extend(f"{raw[:40]!r}: {p}" for p in found)
    print(f"\n{engine}: {dict(total)}")
    assert problems == [], problems
    assert canary.hits == []
    assert total["printed literally"] >= (len(PAYLOADS) - 3) * 3
