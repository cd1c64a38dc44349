"""A batch's summary as an XLSX workbook (openpyxl): one row per item, Kazakh first in the
headers; every value text, and text a spreadsheet would read as a formula quoted
(``kernel.spreadsheet.cell_text``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from service.kernel.spreadsheet import cell_text as safe_text

HEADERS = (
    "Жол / Строка",
    "Дербес шот / Лицевой счёт",
    "Түрі / Вид",
    "Тілі / Язык",
    "Нәтижесі / Результат",
    "Нөмірі / Номер",
    "Құжат / Документ",
    "Себептері / Причины",
)
WIDTHS = (8, 18, 14, 10, 16, 18, 60, 80)
OUTCOMES = {
    "issued": "шығарылды / выпущен",
    "refused": "бас тартылды / отказано",
    "error": "қате / ошибка",
    "pending": "күтілуде / ожидает",
}
SHEET = "Нәтижелер - Итоги"


@dataclass(frozen=True)
class SummaryLine:
    line: int
    case: str
    kind: str
    language: str
    status: str
    number: str | None
    document_url: str | None
    reasons: Sequence[str]


def workbook(
    batch_id: str, filename: str | None, created_at: dt.datetime, lines: Sequence[SummaryLine]
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(
        [safe_text(f"Топтама / Пакет {batch_id}" + (f" ({filename})" if filename else ""))]
    )
    sheet.append([safe_text(created_at.isoformat(timespec="seconds"))])
    sheet.append([])
    bold = Font(bold=True)
    sheet.append([_styled(sheet, h, font=bold) for h in HEADERS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for item in lines:
        sheet.append(
            [
                item.line,
                safe_text(item.case),
                safe_text(item.kind),
                safe_text(item.language),
                OUTCOMES.get(item.status, item.status),
                safe_text(item.number or ""),
                safe_text(item.document_url or ""),
                _styled(sheet, "\n".join(item.reasons), alignment=wrap),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styled(sheet: object, value: str, **style: object) -> object:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=safe_text(value))  # type: ignore[arg-type]
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
