"""The Typst renderer end to end: a view model in, PDF/A out, read back as a person would read it.

The facts are the sample documents' (``service.demo.samples``), built by the real builder."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from service.documents.facts import Issuance
from service.documents.present import present
from service.documents.snapshot import snapshot
from service.errors import RenderingFailed
from service.law.context import LawContext
from service.rendering.base import TemplateRef, texts
from service.rendering.typst import TypstRenderer
from service.rendering.typst.glyphs import is_covered
from service.rendering.typst.qr import qr_matrix, qr_svg
from tests.conftest import TEMPLATES
from tests.pdftext import contains, pages_text, pdf_text, squashed
from tests.samples import DEBT_ROW, NAME, render, sample_case, sample_facts, with_debtor


def png(pdf: bytes, page: int = 0, scale: float = 1.5) -> tuple[bytes, float]:
    """A grayscale PNG of one page, and the share of dark pixels (0 for a blank page)."""
    bitmap = pdfium.PdfDocument(pdf)[page].render(scale=scale, grayscale=True)
    width, height, stride, channels = (
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        bitmap.n_channels,
    )
    buffer = bytes(bitmap.buffer)
    rows = [buffer[y * stride : y * stride + width * channels][::channels] for y in range(height)]
    dark = sum(sum(1 for v in row if v < 128) for row in rows) / (width * height)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"".join(b"\x00" + row for row in rows))
    image = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
    return image + chunk(b"IEND", b""), dark


@pytest.mark.parametrize(
    ("language", "words", "number_label"),
    [
        ("kk", "елу сегіз мың алты жүз қырық сегіз теңге 00 тиын", "Шығ. №"),
        ("ru", "пятьдесят восемь тысяч шестьсот сорок восемь тенге 00 тиынов", "Исх. №"),
    ],
)
def test_reminder_reads_back(
    renderer: TypstRenderer,
    law: LawContext,
    tmp_path: Path,
    language: str,
    words: str,
    number_label: str,
) -> None:
    pdf = render(renderer, sample_facts(law, "reminder", language))
    assert pdf.startswith(b"%PDF-")
    assert contains(pdf, NAME, "58 648,00", f"{number_label} 2026-00017", words)
    assert contains(pdf, "KZ66601A871000234567", "KZ86601S871000234568", "HSBKKZKX")
    assert contains(pdf, "51 160,00", "7 488,00")  # overdue split: current / savings account
    image, dark = png(pdf)
    (tmp_path / f"reminder-{language}.png").write_bytes(image)
    assert 0.005 < dark < 0.5, "page 1 looks blank or black"


def test_kazakh_reminder_speaks_kazakh(renderer: TypstRenderer, law: LawContext) -> None:
    pdf = render(renderer, sample_facts(law, "reminder", "kk"))
    pages = len(pages_text(pdf))
    text = squashed(pdf_text(pdf))
    for phrase in (
        "ЕСКЕ САЛУ ХАТ",
        "жарналар бойынша берешек туралы",
        "осы хатты алған күннен бастап 14 күнтізбелік күн ішінде",
        "Ағымдағы шот",
        "Жинақ шоты",
        "өсімпұл",
        "МИБ төрағасына",
        "бір ай ішінде",
        "34-1-бабының 8-тармағы",
        "51-1-бабының 5-тармағының 12) тармақшасы",
        f"бет 1 / {pages}",
        "БСН 190340018228",
        "ЖСН 780412300566",
        "2 939,42",  # the penalty the real computation gives, for reference only
    ):
        assert squashed(phrase) in text, phrase


def test_russian_reminder_cites_its_basis(renderer: TypstRenderer, law: LawContext) -> None:
    pdf = render(renderer, sample_facts(law, "reminder", "ru"))
    text = squashed(pdf_text(pdf))
    for phrase in (
        "НАПОМИНАНИЕ",
        "в течение 14 календарных дней со дня получения настоящего письма",
        "п. 3 ст. 34 Закона РК «О жилищных отношениях»",
        "п. 8 ст. 34-1",
        "пп. 12) п. 5 ст. 51-1",
        "протокол № 3 от 20.12.2025",
        f"стр. 1 из {len(pages_text(pdf))}",
        "Л. М. Сәрсенбаева",  # initials first on the signature line (#20)
    ):
        assert squashed(phrase) in text, phrase


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_reminder_has_no_enforcement_language(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    text = pdf_text(render(renderer, sample_facts(law, "reminder", language))).lower()
    for word in ("нотариус", "суд", "исполнительн", "отключ", "сот", "атқарушылық", "ажырат"):
        assert not re.search(rf"\b{word}", text), word


def test_pdf_claims_pdf_a_2b_and_embeds_only_the_bundled_fonts(
    renderer: TypstRenderer, law: LawContext
) -> None:
    reader = PdfReader(io.BytesIO(render(renderer, sample_facts(law, "reminder", "kk"))))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("DejaVuSerif") for name in fonts), fonts


def test_the_same_facts_give_the_same_bytes(renderer: TypstRenderer, law: LawContext) -> None:
    assert render(renderer, sample_facts(law, "reminder", "ru")) == render(
        renderer, sample_facts(law, "reminder", "ru")
    )


@pytest.mark.parametrize(
    "name",
    [
        '#read("/etc/passwd")',
        "]#[ #panic() ]",
        "$x^2$ <b>bold</b> *star* _under_",
        '#{"a" + "b"} \\ `code` @label',
    ],
)
def test_data_is_printed_literally_never_evaluated(
    renderer: TypstRenderer, law: LawContext, name: str
) -> None:
    case = with_debtor(sample_case(), full_name=name)
    pdf = render(renderer, sample_facts(law, "reminder", "ru", case=case))
    assert contains(pdf, name)
    assert "root:" not in pdf_text(pdf)


def test_uncovered_characters_are_named_by_field_and_refused_by_the_renderer(
    renderer: TypstRenderer, law: LawContext
) -> None:
    case = with_debtor(sample_case(), full_name="𝔘rsula", postal_address="漢 street")
    facts = sample_facts(law, "reminder", "kk", case=case)
    errors = {e.path: e for e in renderer.glyph_errors(texts(snapshot(facts)))}
    assert set(errors) == {"debtor.full_name", "debtor.postal_address"}
    assert errors["debtor.full_name"].code == "missing_glyph"
    assert "U+1D518" in errors["debtor.full_name"].message
    assert "U+6F22 '漢'" in errors["debtor.postal_address"].message
    with pytest.raises(RenderingFailed) as caught:  # the renderer's own last guard
        render(renderer, facts)
    assert "text.kk.debtor.full_name" in {e.path for e in caught.value.errors}
    assert caught.value.status == 422


def test_every_template_character_is_covered_by_the_fonts() -> None:
    for path in sorted(TEMPLATES.rglob("*.typ")):
        text = path.read_text(encoding="utf-8")
        missing = sorted({c for c in text if not is_covered(c)})
        assert not missing, f"{path.name}: {[f'U+{ord(c):04X}' for c in missing]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_draft_is_marked_and_unnumbered(
    renderer: TypstRenderer, law: LawContext, language: str
) -> None:
    pdf = render(renderer, sample_facts(law, "reminder", language, issued=False))
    text = pdf_text(pdf)
    assert "ЖОБА" in text and "ПРОЕКТ" in text
    assert "2026-00017" not in text
    assert contains(pdf, "№ —")
    assert "Проверка подлинности" not in text and "түпнұсқалығын" not in text


def test_development_signature_note_only_when_true(
    renderer: TypstRenderer, law: LawContext
) -> None:
    facts = sample_facts(law, "reminder", "ru")
    note = "Подписано тестовым ключом разработчика — не имеет юридической силы"
    assert contains(render(renderer, facts), note, "Әзірлеушінің сынақ кілтімен қол қойылған")
    assert facts.issuance is not None
    real_key = facts.issued(dataclasses.replace(facts.issuance, development_signature=False))
    assert not contains(render(renderer, real_key), note)


def test_long_debt_table_repeats_its_header_on_every_page(
    renderer: TypstRenderer, law: LawContext
) -> None:
    from service.kernel.period import Period

    case = sample_case(months=36, first=Period(2023, 11))
    pages = pages_text(render(renderer, sample_facts(law, "reminder", "ru", case=case)))
    assert len(pages) > 2
    table_pages = [p for p in pages if DEBT_ROW.search(p)]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Начислено" in page and "Срок оплаты" in page
    assert f"стр. {len(pages)} из {len(pages)}" in pages[-1]


def test_unknown_kind_or_language_is_refused(renderer: TypstRenderer, law: LawContext) -> None:
    view = present(sample_facts(law, "reminder", "kk"))
    for kind, language in (("summons", "kk"), ("reminder", "en"), ("../kk/reminder", "kk")):
        template = TemplateRef(kind, language)
        assert not renderer.has_template(template)
        with pytest.raises(RenderingFailed):
            renderer.render(template, view, created=sample_facts(law).issue_date)


def test_a_broken_template_fails_with_a_readable_message(tmp_path: Path, law: LawContext) -> None:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "templates" / "ru" / "reminder.typ").write_text(
        '#import "/common/letter.typ": *\n#let t = load-data().text.ru\n#t.no_such_field\n',
        encoding="utf-8",
    )
    with pytest.raises(RenderingFailed) as caught:
        render(TypstRenderer(tmp_path / "templates"), sample_facts(law, "reminder", "ru"))
    message = caught.value.message
    assert "ru/reminder.typ" in message and "no_such_field" in message
    assert "Traceback" not in message and len(message) < 500


def test_template_versions_hash_the_entry_file_and_the_shared_blocks(tmp_path: Path) -> None:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    copy = TypstRenderer(tmp_path / "templates")
    reminder, warning = TemplateRef("reminder", "kk"), TemplateRef("warning", "kk")
    before = (copy.template_version(reminder), copy.template_version(warning))
    assert before[0].startswith("reminder/kk@") and before[0] != before[1]
    (tmp_path / "templates" / "kk" / "reminder.typ").write_text("// changed\n", encoding="utf-8")
    changed = TypstRenderer(tmp_path / "templates")
    assert changed.template_version(reminder) != before[0]
    assert changed.template_version(warning) == before[1]


def test_renders_from_several_threads(renderer: TypstRenderer, law: LawContext) -> None:
    def one(i: int) -> bool:
        case = with_debtor(sample_case(), full_name=f"{NAME} {i}")
        facts = sample_facts(law, "reminder", "kk" if i % 2 else "ru", case=case)
        return contains(render(renderer, facts), f"{NAME} {i}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(one, range(8)))


def test_qr_svg_draws_exactly_the_dark_modules() -> None:
    url = "http://127.0.0.1:8000/v1/documents/0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9a10/verify"
    matrix = qr_matrix(url)
    svg = qr_svg(url)
    drawn = sum(int(n) for n in re.findall(r"h(\d+)v1", svg))
    assert drawn == sum(sum(row) for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # quiet zone
    assert svg.startswith("<svg") and f'viewBox="0 0 {len(matrix)} {len(matrix)}"' in svg


def test_issuance_is_printed(renderer: TypstRenderer, law: LawContext) -> None:
    facts = sample_facts(law, "reminder", "ru")
    assert isinstance(facts.issuance, Issuance)
    pdf = render(renderer, facts)
    assert contains(pdf, facts.issuance.number, "Проверка подлинности")
