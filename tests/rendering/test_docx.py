"""The Word engine: docxtpl fills a lawyer's DOCX in a sandbox with autoescape, LibreOffice (a
warm unoserver pool) turns it into PDF/A-2b. Results are read back: the DOCX's XML and text
(python-docx), the PDF's text, XMP and fonts (pypdf).

Tests that convert need LibreOffice and unoserver (`.ci/run` installs them); without them they
skip and say what to install. Filling a DOCX needs neither."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document

from service.errors import RenderingFailed
from service.rendering.docx import DOCX_TYPE, DocxEngine
from service.rendering.docx import pool as uno
from service.rendering.docx.engine import PDFA_OPTIONS
from service.rendering.docx.structure import text_by_location
from service.rendering.docx.tags import split_tags, tags
from service.rendering.engines import Engine
from service.rendering.typst.glyphs import FONTS_DIR
from tests.pdftext import contains, pdf_text
from tests.rendering.pdfa import fonts_without_file, pdfa_part
from tests.rendering.word import (
    KAZAKH_LETTERS,
    Paths,
    bundle_of,
    document_xml,
    docx_of,
    docx_text,
    reminder_bundle,
    sample_view,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CREATED = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocxEngine]:
    engine = DocxEngine(tmp_path_factory.mktemp("docx"), pool_size=2, timeout=60)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def converting(engine: DocxEngine) -> DocxEngine:
    missing = engine.missing()
    if missing is not None:
        pytest.skip(f"the Word engine cannot convert here: {missing}")
    return engine


def living_in_group(group: int) -> list[int]:
    """The processes of a process group that are still running (zombies aside)."""
    living = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(stat.parent.name))
    return living


def test_the_engine_is_an_engine(engine: DocxEngine) -> None:
    assert isinstance(engine, Engine)
    assert engine.name == "docx"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_bundled_word_reminder_gives_pdfa_with_embedded_fonts_and_kazakh(
    converting: DocxEngine, lang: str
) -> None:
    view = sample_view(lang)
    name = "Әбілқайыр Ғалымжан Қоңыр-Өмір Ұлан Үміт Шаһмардан Іңкәр"
    view["text"][lang]["debtor"]["full_name"] = name
    rendered = converting.render("v-word", reminder_bundle(lang), view, created=CREATED)

    assert pdfa_part(rendered.pdf) == "2"
    assert fonts_without_file(rendered.pdf) == []
    text = pdf_text(rendered.pdf)
    assert all(letter in text.lower() for letter in KAZAKH_LETTERS), text[:400]
    title = "ЕСКЕ САЛУ ХАТ" if lang == "kk" else "НАПОМИНАНИЕ"
    t = view["text"][lang]
    assert contains(rendered.pdf, title, name, t["debt"]["totals"]["overdue"], t["number"])
    assert view["verify_url"] and contains(rendered.pdf, view["verify_url"])  # in the footer
    # The filled DOCX is kept beside the PDF and reads back with the same data.
    assert rendered.native_type == DOCX_TYPE
    assert rendered.native is not None
    assert name in docx_text(rendered.native)


def test_markup_characters_and_newlines_in_the_data_give_a_valid_document(
    converting: DocxEngine,
) -> None:
    view = sample_view("ru")
    t = view["text"]["ru"]
    t["creditor"]["name"] = "ОСИ \"Дом & Сад\" <корпус 2> 'А'"
    t["debtor"]["postal_address"] = "Алматы қ.\nКөктем-3, 21-үй\tкв. 45"
    rendered = converting.render("v-word", reminder_bundle("ru"), view, created=CREATED)

    assert rendered.native is not None
    body = document_xml(rendered.native)  # well-formed XML
    header = document_xml(rendered.native, "word/header1.xml")
    assert "ОСИ \"Дом & Сад\" <корпус 2> 'А'" in "".join(header.itertext())
    address = next(p for p in body.iter(f"{W}p") if "Көктем-3" in "".join(p.itertext()))
    assert address.findall(f".//{W}br") and address.findall(f".//{W}tab")
    text = docx_text(rendered.native)
    assert "Алматы қ.\nКөктем-3, 21-үй\tкв. 45" in text
    assert contains(rendered.pdf, 'ОСИ "Дом & Сад" <корпус 2>', "Көктем-3, 21-үй")


def test_characters_xml_forbids_are_dropped_from_the_filled_docx(engine: DocxEngine) -> None:
    view = sample_view("ru")
    view["text"]["ru"]["number"] = "2026-\x0700017\x00"
    filled = engine.fill(bundle_of(docx_of([["№ {{ t.number }}"]])), view)
    assert "№ 2026-00017" in docx_text(filled)


def test_a_tag_word_split_into_three_runs_is_joined(engine: DocxEngine) -> None:
    docx = docx_of([["Кредитор: {{ t.cred", "itor.na", "me }}."], ["{{ t.number }}"]])
    assert len(Document(io.BytesIO(docx)).paragraphs[0].runs) == 3
    bundle = bundle_of(docx)

    filled = engine.fill(bundle, sample_view("ru"))

    name = sample_view("ru")["text"]["ru"]["creditor"]["name"]
    assert f"Кредитор: {name}." in docx_text(filled)
    assert [(t.where, t.runs) for t in tags(bundle)] == [("paragraph 1", 3), ("paragraph 2", 1)]
    assert split_tags(bundle) == []


def test_a_tag_split_across_paragraphs_is_found(engine: DocxEngine) -> None:
    bundle = bundle_of(docx_of([["Уважаемый"], ["{{ t.debtor.", "full_name"], ["}}!"]]))
    assert split_tags(bundle) == [
        ("paragraph 2", "{{ t.debtor.full_name"),
        ("paragraph 3", "}}"),
    ]


def test_curly_quotes_typed_by_word_inside_tags_are_straightened(engine: DocxEngine) -> None:
    view = sample_view("ru")
    view["text"]["ru"]["number"] = None
    docx = docx_of([["№ {{ t.number or “—” }}; {{ «x» if t.number else ‘y’ }}"]])
    assert "№ —; y" in docx_text(engine.fill(bundle_of(docx), view))


def test_the_sandbox_keeps_python_out(engine: DocxEngine) -> None:
    docx = docx_of([["{{ t.creditor.__class__.__mro__ }}"]])
    with pytest.raises(RenderingFailed):
        engine.fill(bundle_of(docx), sample_view("ru"))


def test_an_unknown_path_fails_the_render_but_is_recorded_in_a_recording_one(
    engine: DocxEngine,
) -> None:
    bundle = bundle_of(docx_of([["{{ t.creditor.nickname }} {{ fields.meeting_date }}"]]))
    with pytest.raises(RenderingFailed, match="nickname"):
        engine.fill(bundle, sample_view("ru"))
    paths = Paths()
    engine.fill(bundle, sample_view("ru"), recorder=paths)
    assert {"t.creditor.nickname", "fields.meeting_date"} <= paths.read_paths


def test_a_recording_render_sees_loops_tables_headers_and_footers(engine: DocxEngine) -> None:
    paths = Paths()
    engine.fill(reminder_bundle("kk"), sample_view("kk"), recorder=paths)
    assert {
        "t.creditor.name",  # header
        "t.number",  # footer (and body)
        "t.debt.lines",  # the {%tr for %} loop
        "t.debt.lines.period_numeric",  # a cell of the repeated row
        "t.payment.iban",
        "t.payment.bic",  # inside an {% if %} in a cell
        "t.debt.totals.outstanding",
        "t.as_of_attributive",
        "verify_url",  # a top-level name, in the footer
    } <= paths.read_paths
    assert not any(p.startswith("t.debt.lines.0") for p in paths.read_paths)


def test_text_the_fonts_cannot_show_is_refused_with_its_field(converting: DocxEngine) -> None:
    view = sample_view("ru")
    view["text"]["ru"]["debtor"]["full_name"] = "Жақсыбеков 漢字"
    with pytest.raises(RenderingFailed) as refused:
        converting.render("v-word", reminder_bundle("ru"), view, created=CREATED)
    assert [e.path for e in refused.value.errors] == ["text.ru.debtor.full_name"]
    assert refused.value.errors[0].code == "missing_glyph"


def test_the_structure_names_paragraphs_cells_headers_and_footers() -> None:
    located = dict(text_by_location(reminder_bundle("ru").files["reminder.docx"]))
    assert located["header"].startswith("{{ t.creditor.name }}")
    assert located["footer"].startswith("Исх. №")
    assert located["table 1 row 1 cell 1"] == "Период"
    assert located["table 1 row 3 cell 2"] == "{{ r.contribution }}"
    assert located["paragraph 6"] == "Уважаемый собственник!"


def test_concurrent_documents_share_the_warm_pool_and_a_dead_server_is_replaced(
    converting: DocxEngine,
) -> None:
    bundle, view = reminder_bundle("ru"), sample_view("ru")
    with ThreadPoolExecutor(4) as workers:
        pdfs = list(
            workers.map(
                lambda _: converting.render("v", bundle, view, created=CREATED).pdf, range(4)
            )
        )
    assert all(pdfa_part(pdf) == "2" for pdf in pdfs)
    servers = converting.pool._servers
    assert 1 <= len(servers) <= 2
    groups = [server.process.pid for server in servers if server.process is not None]
    for server in servers:
        server.stop()  # as if LibreOffice had crashed
    assert [living_in_group(group) for group in groups] == [[] for _ in groups]
    rendered = converting.render("v", bundle, view, created=CREATED)
    assert pdfa_part(rendered.pdf) == "2"


def test_a_full_pool_refuses_at_once_instead_of_queueing_without_end(tmp_path: Path) -> None:
    pool = uno.UnoPool(tmp_path, fonts_dir=tmp_path, size=1, queue_limit=0)
    assert pool._admitted.acquire(blocking=False)  # one document in flight
    with pytest.raises(RenderingFailed, match="busy"):
        pool.convert(b"not reached")


def test_without_libreoffice_the_engine_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    missing = DocxEngine(tmp_path).missing()
    assert missing is not None
    assert "apt-get install libreoffice-writer-nogui" in missing
    assert "pip install unoserver" in missing


def test_a_conversion_past_its_timeout_is_cut_off_and_the_server_restarted(
    converting: DocxEngine, tmp_path: Path
) -> None:
    filled = converting.fill(reminder_bundle("ru"), sample_view("ru"))
    pool = uno.UnoPool(tmp_path, fonts_dir=FONTS_DIR, size=1, timeout=0.05, start_timeout=90)
    try:
        with pytest.raises(RenderingFailed, match="could not convert"):
            pool.convert(filled, filter_options=PDFA_OPTIONS)
        [server] = pool._servers
        assert not server.alive()  # stopped, LibreOffice with it
        pool.timeout = 60
        assert pdfa_part(pool.convert(filled, filter_options=PDFA_OPTIONS)) == "2"
        assert server.alive()
    finally:
        pool.close()
