"""The list's pure parts: S10 tracking numbers, the view model, the PDF (real Typst, read back
with pypdf) and the XLSX (read back with openpyxl, formula injection neutralised)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from service.kernel.text import Localized
from service.postal.listing import Channel, Line, PostList, Sender, view
from service.postal.sheet import safe_text, workbook
from service.postal.tracking import check_digit, normalized, s10_problem
from service.rendering.base import TemplateRef
from service.rendering.typst import TypstRenderer
from tests.pdftext import contains, pdf_text

SENDER = Sender(
    name=Localized("«Көктем-3» мүлік иелерінің бірлестігі", "ОСИ «Көктем-3»"),
    bin="180240000125",
    address=Localized("Алматы қ., Көктем-3 ш/а, 21-үй", "г. Алматы, мкр. Коктем-3, д. 21"),
    signer_title=Localized("«Көктем-3» МИБ төрағасы", "Председатель ОСИ «Көктем-3»"),
    signer_name="Л. М. Сәрсенбаева",
)
LINES = (
    Line(
        1,
        "2026-00017",
        dt.date(2026, 11, 20),
        "Жақсыбеков Нұрлан Әбілқайырұлы",
        Localized(
            "Алматы қ., Көктем-3 ш/а, 21-үй, 45-пәтер", "г. Алматы, мкр. Коктем-3, д. 21, кв. 45"
        ),
        "RR123456785KZ",
    ),
    Line(
        2,
        "2026-00018",
        dt.date(2026, 11, 21),
        "Ким Ольга Викторовна",
        Localized.given("г. Алматы, ул. Розыбакиева, д. 7, кв. 12"),
        "RR000000014KZ",
    ),
    Line(3, "2026-00019", dt.date(2026, 11, 21), "=cmd|' /C calc'!A0", None, None),
)
LIST = PostList("P-2026-00004", dt.date(2026, 11, 24), Channel.REGISTERED_POST, SENDER, LINES)


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("RR123456785KZ", None),
        ("RR000000014KZ", None),
        ("RR123456786KZ", "check_digit"),
        ("RR12345678KZ", "invalid_format"),
        ("R1123456785KZ", "invalid_format"),
    ],
)
def test_s10_numbers_and_their_check_digit(number: str, problem: str | None) -> None:
    found = s10_problem(number)
    assert (found[0] if found else None) == problem


def test_s10_check_digit_rules_for_10_and_11() -> None:
    assert check_digit("12345678") == 5  # 204 % 11 = 6 → 5
    assert check_digit("00000000") == 5  # 11 - 0 = 11 → 5
    assert check_digit("00000001") == 4  # 7 → 11 - 7
    assert check_digit("00000003") == 1  # 21 % 11 = 10 → 1
    assert check_digit("02000000") == 0  # 12 % 11 = 1, 11 - 1 = 10 → 0
    assert normalized(" rr 1234 5678 5kz ") == "RR123456785KZ"


def test_the_view_prints_kazakh_first_and_each_address_in_both_forms() -> None:
    shown = view(LIST)
    assert shown["title"] == {"kk": "Тапсырыс хаттар тізілімі", "ru": "Реестр почтовых отправлений"}
    first, second, third = shown["lines"]
    assert first["address"] == [
        "Алматы қ., Көктем-3 ш/а, 21-үй, 45-пәтер",
        "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
    ]
    assert second["address"] == ["г. Алматы, ул. Розыбакиева, д. 7, кв. 12"], "one text, once"
    assert third["address"] == [] and third["tracking"] == ""
    assert first["document_date"] == "20.11.2026"
    assert shown["total"]["count"] == "3"
    assert shown["sender"]["name"][0].startswith("«Көктем-3» мүлік")


def test_hand_delivery_has_its_own_title_and_a_receipt_column() -> None:
    shown = view(PostList("P-2026-00005", LIST.date, Channel.HAND_DELIVERY, SENDER, LINES[:1]))
    assert shown["title"]["ru"] == "Реестр документов, вручаемых под подпись"
    assert shown["columns"][4]["ru"].startswith("Получил")
    assert shown["subtitle"] is None


def test_the_pdf_reads_back_with_every_number_and_address(renderer: TypstRenderer) -> None:
    pdf = renderer.render(TemplateRef("post_register", "bilingual"), view(LIST), created=LIST.date)
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None and (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    text = pdf_text(pdf)
    assert text.index("Тапсырыс хаттар тізілімі") < text.index("Реестр почтовых отправлений")
    assert contains(pdf, "P-2026-00004", "24.11.2026", "180240000125")
    for line in LINES:
        assert contains(pdf, line.document_number, line.addressee), line.position
        if line.address is not None:
            assert contains(pdf, line.address.kk, line.address.ru)
        if line.tracking_number:
            assert contains(pdf, line.tracking_number)
    assert contains(pdf, "Барлық жөнелтілімдер саны / Всего отправлений: 3")
    assert contains(pdf, "Л. М. Сәрсенбаева", "Принял (работник отделения связи)")
    again = renderer.render(
        TemplateRef("post_register", "bilingual"), view(LIST), created=LIST.date
    )
    assert again == pdf, "the same list gives the same bytes"


def test_many_lines_run_over_pages_with_the_header_repeated(renderer: TypstRenderer) -> None:
    lines = tuple(
        Line(i, f"2026-{i:05d}", dt.date(2026, 11, 20), f"Адресат {i}", SENDER.address, None)
        for i in range(1, 61)
    )
    many = PostList("P-2026-00006", LIST.date, Channel.COURIER, SENDER, lines)
    pdf = renderer.render(TemplateRef("post_register", "bilingual"), view(many), created=many.date)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    last = reader.pages[-1].extract_text()
    assert "Адресат (Ф.И.О.)" in last and "Адресат 60" in last
    assert f"стр. {len(reader.pages)} из {len(reader.pages)}" in last


def test_the_xlsx_reads_back_and_never_holds_a_formula() -> None:
    book = load_workbook(io.BytesIO(workbook(view(LIST))))
    sheet = book.active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows()]
    values = [str(c.value) for row in rows for c in row if c.value is not None]
    assert values[0] == "Тапсырыс хаттар тізілімі" and values[1] == "Реестр почтовых отправлений"
    header = next(i for i, row in enumerate(rows) if row[0].value == "№\u00a0р/с\n№\u00a0п/п")
    lines = rows[header + 1 : header + 4]
    assert [r[1].value for r in lines] == [
        "2026-00017\n20.11.2026",
        "2026-00018\n21.11.2026",
        "2026-00019\n21.11.2026",
    ]
    assert lines[0][3].value == (
        "Алматы қ., Көктем-3 ш/а, 21-үй, 45-пәтер\nг. Алматы, мкр. Коктем-3, д. 21, кв. 45"
    )
    assert [r[4].value for r in lines] == ["RR123456785KZ", "RR000000014KZ", None]
    assert lines[2][2].value == "'=cmd|' /C calc'!A0"
    assert all(c.data_type != "f" for row in rows for c in row)
    assert any("P-2026-00004" in v for v in values)


@pytest.mark.parametrize("text", ["=1+1", "+7 701", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_texts_that_a_spreadsheet_would_run_get_an_apostrophe(text: str) -> None:
    assert safe_text(text) == "'" + text


def test_plain_texts_stay_as_they_are_and_xml_illegal_characters_are_replaced() -> None:
    assert safe_text("г. Алматы, 7") == "г. Алматы, 7"
    assert safe_text("a\x01b") == "a\ufffdb"
