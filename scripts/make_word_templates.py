"""Generate the bundled Word reminder (``templates/word/{kk,ru}/reminder.docx``) with python-docx.

These are what a lawyer downloads, edits in Word and uploads as a new version of the reminder
(engine ``docx``). The wording is the Typst reminder's (``templates/common/text-reminder.typ``,
``text-common.typ``, ``labels.typ``); variables are the view's paths (contract C1: ``t`` is the
document language's text). The debt and payment tables are Word tables whose rows repeat with
docxtpl's ``{%tr for %}``; the header carries the creditor, the footer the outgoing number and
date. Everything is set in DejaVu Serif, the font the service bundles and LibreOffice is given,
which covers Kazakh.

    .venv/bin/python scripts/make_word_templates.py     # rewrites the two files
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "word"
FONT = "DejaVu Serif"

WORDING = {
    "kk": {
        "outgoing": "Шығ. №",
        "verify": "Құжаттың түпнұсқалығын тексеру",
        "title": "ЕСКЕ САЛУ ХАТ",
        "subtitle": "жарналар бойынша берешек туралы",
        "unit": "Үй-жай",
        "greeting": "Құрметті меншік иесі!",
        "main": (
            "{{ t.creditor.name }} {{ t.as_of_attributive }} жағдай бойынша Сізге тиесілі үй-жай "
            "({{ t.debtor.unit.label }}) бойынша жарналарды төлеу мерзімі өткен "
            "{{ t.debt.totals.overdue }} теңге ({{ t.debt.overdue_words }}) мөлшерінде берешек "
            "бар екенін еске салады."
        ),
        "intro": (
            "Берешектің айлар мен жарна түрлері бойынша есебі "
            "({{ t.as_of_attributive }} жағдай бойынша):"
        ),
        "debt_heads": (
            "Кезең",
            "Жарна түрі",
            "Есептелді",
            "Төленді",
            "Берешек",
            "Төлеу мерзімі",
            "Мерзімі өткен күндер саны",
        ),
        "total": "Барлығы",
        "pay": (
            "Берешекті осы хатты алған күннен бастап {{ t.payment_term.days }} "
            "{{ t.payment_term.unit }} ішінде төмендегі деректемелер бойынша өтеуіңізді сұраймыз:"
        ),
        "pay_heads": ("Жарналар", "Шот", "Сомасы, теңге"),
        "iban": "ЖСК",
        "bic": "БСК",
        "purpose": (
            "Төлем мақсатында үй-жайдың нөмірін және төленетін кезеңді көрсетуіңізді сұраймыз. "
            "Егер берешек осы хатты алғанға дейін өтелген болса, хатты ескермеуіңізді сұраймыз."
        ),
        "dispute": (
            "Есеппен келіспесеңіз, осы хатты алған күннен бастап {{ t.payment_term.days }} "
            "{{ t.payment_term.unit }} ішінде себептерін көрсетіп және растайтын құжаттарды "
            "(мысалы, төлем түбіртектерін) қоса беріп, жазбаша қарсылығыңызды "
            "{{ t.creditor.address }} мекенжайы бойынша жіберіңіз. Қарсылық қаралып, Сізге "
            "жазбаша жауап беріледі; қарсылық негізді болса, есеп түзетіледі."
        ),
    },
    "ru": {
        "outgoing": "Исх. №",
        "verify": "Проверка подлинности документа",
        "title": "НАПОМИНАНИЕ",
        "subtitle": "о задолженности по взносам",
        "unit": "Помещение",
        "greeting": "Уважаемый собственник!",
        "main": (
            "{{ t.creditor.name }} напоминает, что по состоянию на {{ t.as_of_words }} по "
            "принадлежащему Вам помещению ({{ t.debtor.unit.label }}) имеется задолженность по "
            "взносам, срок уплаты которых истёк, в размере {{ t.debt.totals.overdue }} тенге "
            "({{ t.debt.overdue_words }})."
        ),
        "intro": (
            "Расчёт задолженности по месяцам и видам взносов (по состоянию на {{ t.as_of_words }}):"
        ),
        "debt_heads": (
            "Период",
            "Вид взноса",
            "Начислено",
            "Оплачено",
            "Задолженность",
            "Срок оплаты",
            "Дней просрочки",
        ),
        "total": "Итого",
        "pay": (
            "Просим погасить задолженность в течение {{ t.payment_term.days }} "
            "{{ t.payment_term.unit }} со дня получения настоящего письма по следующим "
            "реквизитам:"
        ),
        "pay_heads": ("Взносы", "Счёт", "Сумма, тенге"),
        "iban": "ИИК",
        "bic": "БИК",
        "purpose": (
            "В назначении платежа просим указать номер помещения и оплачиваемый период. Если "
            "задолженность уже погашена, просим не принимать настоящее напоминание во внимание."
        ),
        "dispute": (
            "Если Вы не согласны с расчётом, направьте в течение {{ t.payment_term.days }} "
            "{{ t.payment_term.unit }} со дня получения настоящего письма письменное возражение "
            "с указанием причин и приложением подтверждающих документов (например, квитанций об "
            "оплате) по адресу: {{ t.creditor.address }}. Возражение будет рассмотрено, и Вам "
            "ответят письменно; если оно обоснованно, расчёт будет исправлен."
        ),
    },
}

DEBT_CELLS = (
    "{{ r.period_numeric }}",
    "{{ r.contribution }}",
    "{{ r.charged }}",
    "{{ r.paid }}",
    "{{ r.outstanding }}",
    "{{ r.due_date }}",
    "{{ r.days_overdue }}",
)


def _paragraph(container, text: str, *, bold: bool = False, size: float = 10, align=None):  # type: ignore[no-untyped-def]
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _cell(cell, text: str, *, bold: bool = False, size: float = 8) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _table(document, heads: tuple[str, ...], loop: str, cells: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A table whose second row repeats once per item (docxtpl: the rows holding ``{%tr %}``
    tags are removed, the row between them repeats)."""
    table = document.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, head, bold=True)
    _cell(table.rows[1].cells[0], "{%tr for " + loop + " %}")
    for cell, value in zip(table.rows[2].cells, cells, strict=True):
        _cell(cell, value)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    return table


def _fonts(document) -> None:  # type: ignore[no-untyped-def]
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    for name in ("Table Grid", "Header", "Footer"):
        if name in [s.name for s in document.styles]:
            document.styles[name].font.name = FONT


def _language(document, lang: str) -> None:  # type: ignore[no-untyped-def]
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "kk-KZ" if lang == "kk" else "ru-RU")
    rpr.append(language)


def build(lang: str) -> bytes:
    w = WORDING[lang]
    document = Document()
    _fonts(document)
    _language(document, lang)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(20)

    header = section.header
    head = header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("{{ t.creditor.name }}")
    run.bold = True
    run.font.size = Pt(12)
    _paragraph(header, "{{ t.creditor.address }}", size=8, align=WD_ALIGN_PARAGRAPH.CENTER)
    foot = section.footer.paragraphs[0]
    run = foot.add_run(w["outgoing"] + ' {{ t.number or "—" }} · {{ t.issue_date }}')
    run.font.size = Pt(7.5)
    verify = section.footer.add_paragraph()
    run = verify.add_run("{% if verify_url %}" + w["verify"] + ": {{ verify_url }}{% endif %}")
    run.font.size = Pt(7.5)

    _paragraph(document, w["outgoing"] + ' {{ t.number or "—" }}\n{{ t.issue_date }}')
    addressee = _paragraph(
        document, "{{ t.debtor.full_name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    addressee.add_run("\n" + w["unit"] + ": {{ t.debtor.unit.label }}")
    _paragraph(
        document,
        "{{ t.debtor.postal_address }}",
        size=9,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _paragraph(document, w["title"], bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, w["subtitle"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, w["greeting"])
    _paragraph(document, w["main"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, w["intro"])
    debt = _table(document, w["debt_heads"], "r in t.debt.lines", DEBT_CELLS)
    totals = debt.add_row().cells
    _cell(totals[0], w["total"], bold=True)
    _cell(totals[2], "{{ t.debt.totals.charged }}", bold=True)
    _cell(totals[3], "{{ t.debt.totals.paid }}", bold=True)
    _cell(totals[4], "{{ t.debt.totals.outstanding }}", bold=True)
    _paragraph(document, "")
    _paragraph(document, w["pay"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    account = (
        w["iban"] + " {{ p.iban }}{% if p.bank %}, {{ p.bank }}{% endif %}"
        "{% if p.bic %}, " + w["bic"] + " {{ p.bic }}{% endif %}"
    )
    _table(
        document,
        w["pay_heads"],
        "p in t.payment",
        ("{{ p.contributions }}", account, "{{ p.amount }}"),
    )
    _paragraph(document, "")
    _paragraph(document, w["purpose"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, w["dispute"], size=9, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "")
    _paragraph(
        document, "{{ t.creditor.signer.title }}    ____________    {{ t.creditor.signer.name }}"
    )

    out = io.BytesIO()
    document.save(out)
    return _reproducible(out.getvalue())


def _reproducible(docx: bytes) -> bytes:
    """The same DOCX bytes on every run: fixed zip timestamps and no creation dates."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                    b'2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                    b"<dc:title>Reminder</dc:title><dc:creator>Talap</dc:creator>"
                    b"</cp:coreProperties>"
                )
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


# The field schema (contract C3) of both languages: every path the template reads, all supplied
# by Talap from the case (no ``fields.*``: the reminder asks nothing of the issue request).
SCHEMA_FIELDS = [
    ("verify_url", "text"),
    ("t.creditor.name", "text"),
    ("t.creditor.address", "text"),
    ("t.creditor.signer.title", "text"),
    ("t.creditor.signer.name", "text"),
    ("t.number", "text"),
    ("t.issue_date", "text"),
    ("t.as_of_words", "text"),
    ("t.as_of_attributive", "text"),
    ("t.debtor.full_name", "text"),
    ("t.debtor.postal_address", "text"),
    ("t.debtor.unit.label", "text"),
    ("t.debt.totals.overdue", "money"),
    ("t.debt.totals.charged", "money"),
    ("t.debt.totals.paid", "money"),
    ("t.debt.totals.outstanding", "money"),
    ("t.debt.overdue_words", "text"),
    ("t.payment_term.days", "text"),
    ("t.payment_term.unit", "text"),
]
TABLES = {
    "t.debt.lines": (
        "period_numeric",
        "contribution",
        "charged",
        "paid",
        "outstanding",
        "due_date",
        "days_overdue",
    ),
    "t.payment": ("contributions", "iban", "bank", "bic", "amount"),
}
MONEY_COLUMNS = {"charged", "paid", "outstanding", "amount"}


def schema_yaml(lang: str) -> str:
    """The schema of the ``lang`` Word reminder; kk and ru read the same paths (the checks
    compare them), except the date wording each language uses."""
    unused = "t.as_of_words" if lang == "kk" else "t.as_of_attributive"
    lines = [
        f"# Field schema of templates/word/{lang}/reminder.docx (generated by",
        "# scripts/make_word_templates.py). Everything is supplied by Talap from the case.",
        "fields:",
    ]
    for name, kind in SCHEMA_FIELDS:
        if name != unused:
            lines.append(f"  - {{name: {name}, type: {kind}}}")
    for name, columns in TABLES.items():
        lines.append(f"  - name: {name}")
        lines.append("    type: table")
        lines.append("    columns:")
        for column in columns:
            kind = "money" if column in MONEY_COLUMNS else "text"
            lines.append(f"      - {{name: {column}, type: {kind}}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    for lang in WORDING:
        path = OUT / lang / "reminder.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build(lang))
        schema = path.with_name("reminder.schema.yaml")
        schema.write_text(schema_yaml(lang), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes; {schema.name}")


if __name__ == "__main__":
    main()
