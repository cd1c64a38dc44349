"""Reading an export's rows: XLSX through python-calamine (fast, read-only), CSV through the
standard library with the encoding found (UTF-8 with or without BOM, else the Windows Cyrillic
code page 1C writes by default: read as KZ-1048, Windows-1251 with the Kazakh letters in place
of Serbian and Ukrainian ones — the Russian letters sit where Windows-1251 has them).

Pure: bytes in, rows of cell values out, each with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

Cell = str | int | float | bool | dt.date | dt.datetime | dt.timedelta | dt.time | None


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[Cell]]]
    """(line number in the file, 1-based as a spreadsheet shows it; the cells)."""


class UnreadableFile(ValueError):
    """The file is not a workbook or CSV this reads, said in words."""


def read_sheet(filename: str, data: bytes, *, header_row: int = 1, sheet: str | int = 0) -> Sheet:
    lowered = filename.lower()
    if lowered.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        table = _workbook_rows(data, sheet)
    elif lowered.endswith((".csv", ".txt")):
        table = _csv_rows(data)
    else:
        raise UnreadableFile(f"{filename}: expected an .xlsx or .csv export")
    lines = list(table)
    if len(lines) < header_row:
        raise UnreadableFile(f"{filename}: no header row at line {header_row}")
    header = [_header(cell) for cell in lines[header_row - 1]]
    rows = [
        (number, cells)
        for number, cells in enumerate(lines[header_row:], header_row + 1)
        if any(_present(cell) for cell in cells)
    ]
    return Sheet(header, header_row, rows)


def _header(cell: Cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def _present(cell: Cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _workbook_rows(data: bytes, sheet: str | int) -> Iterator[list[Cell]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        chosen = (
            book.get_sheet_by_index(sheet)
            if isinstance(sheet, int)
            else book.get_sheet_by_name(sheet)
        )
        rows = chosen.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise UnreadableFile(f"not a readable workbook: {exc}") from exc
    for row in rows:
        yield [None if cell == "" else cell for cell in row]


ENCODINGS = ("utf-8-sig", "kz1048")


def decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (a BOM dropped) if it decodes, else Windows-1251/KZ-1048."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the CSV is neither UTF-8 nor Windows-1251")  # pragma: no cover


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    text = decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=";,\t"
        )
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        yield [cell if cell.strip() else None for cell in row]
