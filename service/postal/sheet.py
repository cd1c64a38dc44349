"""The list as an XLSX workbook (openpyxl), laid out from the same view model as the PDF.

Safe to open in a spreadsheet: every value is written as text, never as a formula, and a text
that a spreadsheet would read as one (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return — OWASP «CSV injection») gets a leading apostrophe, so an address such as
``=HYPERLINK(…)`` shows as typed and never runs. Characters XML cannot hold are replaced.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from service.kernel.spreadsheet import cell_text

WIDTHS = (8, 22, 32, 60, 26, 18)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


safe_text = cell_text
"""The text as a spreadsheet must store it: never read as a formula, XML-clean."""


def _put(sheet: Worksheet, row: int, column: int, value: str, **style: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_text(value)
    cell.data_type = "s"  # text, whatever it looks like
    for name, setting in style.items():
        setattr(cell, name, setting)


def _both(text: Mapping[str, str], sep: str = " / ") -> str:
    return text["kk"] if text["kk"] == text["ru"] else f"{text['kk']}{sep}{text['ru']}"


def _lines(items: Sequence[str]) -> str:
    return "\n".join(items)


def workbook(view: Mapping[str, Any]) -> bytes:
    """The XLSX bytes of the list (``listing.view``)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Тізілім - Реестр"
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    labels, sender = view["labels"], view["sender"]
    bold = Font(bold=True)
    row = 1
    _put(sheet, row, 1, view["title"]["kk"], font=Font(bold=True, size=13))
    row += 1
    _put(sheet, row, 1, view["title"]["ru"], font=Font(bold=True, size=13))
    if view["subtitle"] is not None:
        row += 1
        _put(sheet, row, 1, f"({_both(view['subtitle'], ') / (')})")
    row += 1
    _put(sheet, row, 1, f"{_both(labels['number'])} {view['number']}, {view['date']}", font=bold)
    row += 2
    for label, value in (
        ("sender", _lines(sender["name"])),
        ("bin", sender["bin"]),
        ("address", _lines(sender["address"])),
    ):
        _put(sheet, row, 1, _both(labels[label]), font=bold)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        _put(sheet, row, 3, value, alignment=_WRAP)
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
        row += 1
    row += 1
    header = row
    for column, heading in enumerate(view["columns"], 1):
        _put(sheet, row, column, _both(heading, "\n"), font=bold, alignment=_WRAP, border=_BOX)
    for line in view["lines"]:
        row += 1
        values = (
            line["position"],
            f"{line['document']}\n{line['document_date']}",
            line["addressee"],
            _lines(line["address"]) or "—",
            line["tracking"],
            line["notes"],
        )
        for column, value in enumerate(values, 1):
            _put(sheet, row, column, value, alignment=_WRAP, border=_BOX)
    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    row += 2
    total = view["total"]
    _put(sheet, row, 1, f"{_both(total['label'])}: {total['count']}", font=bold)
    row += 2
    _put(sheet, row, 1, _lines(sender["signer_title"]), font=bold, alignment=_WRAP)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    _put(sheet, row, 4, "______________________________")
    _put(sheet, row, 5, sender["signer_name"], font=bold)
    row += 2
    _put(sheet, row, 1, _both(view["received"], "\n"), alignment=_WRAP)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    _put(sheet, row, 4, "______________________________")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
