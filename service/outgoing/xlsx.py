"""The outgoing register as an XLSX workbook (openpyxl): bilingual header row (Kazakh first),
frozen; dates as dates; column widths; every text cell formula-safe (``register.safe_text``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from service.outgoing.register import COLUMNS, RegisterRow, cells, heading, safe_text

SHEET = "Шығыс құжаттар"
"""Sheet name (at most 31 characters): «outgoing documents» in Kazakh."""
DATE_FORMAT = "DD.MM.YYYY"


def to_xlsx(rows: Iterable[RegisterRow], *, created: dt.datetime) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([safe_text(heading(c)) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = cells(row)
        sheet.append([v if isinstance(v, dt.date) or v is None else safe_text(v) for v in values])
        for cell, value in zip(sheet[sheet.max_row], values, strict=True):
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif value is not None:
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
    # a fixed creation time: the same register gives the same workbook
    book.properties.created = created.replace(tzinfo=None)
    book.properties.modified = created.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
