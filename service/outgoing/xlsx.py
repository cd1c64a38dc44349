"""The outgoing register as an XLSX workbook (openpyxl, write-only mode: rows stream out, a
large register costs linear time): bilingual header row (Kazakh first), frozen; dates as dates;
column widths; every text cell formula-safe (``register.safe_text``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from service.outgoing.register import COLUMNS, Cell, RegisterRow, cells, heading, safe_text

SHEET = "Шығыс құжаттар"
"""Sheet name (at most 31 characters): «outgoing documents» in Kazakh."""
DATE_FORMAT = "DD.MM.YYYY"


def to_xlsx(rows: Iterable[RegisterRow], *, created: dt.datetime) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=safe_text(heading(column)))
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in cells(row)])
    # a fixed creation time: the same register gives the same workbook
    book.properties.created = created.replace(tzinfo=None)
    book.properties.modified = created.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> XlsxCell:
    if isinstance(value, dt.date):  # a date cell (Excel stores days; midnight adds nothing)
        cell = WriteOnlyCell(sheet, value=dt.datetime.combine(value, dt.time.min))
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=None if value is None else safe_text(value))
    if value is not None:
        cell.data_type = "s"  # never a formula, whatever the text
    return cell
