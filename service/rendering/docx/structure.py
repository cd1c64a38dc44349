"""A Word document's text by location, read with python-docx: what the redline compares and what
the checks point at («paragraph 12», «table 1 row 2 cell 3», «header»).

Locations count as a person reading the document does: body paragraphs from 1 in document order
(tables do not interrupt the count), tables from 1, rows and cells from 1 (a cell merged across
columns is listed once). Headers and footers are named by their section when there are several
sections, and by their kind when the document has a first-page or even-page one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.section import _Footer, _Header
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class Block:
    where: str
    """``paragraph N``, ``table T row R cell C``, ``header``, ``footer`` (``section S header``,
    ``first-page header`` …), ``header table T row R cell C``."""
    text: str
    paragraphs: tuple[Paragraph, ...] = ()
    """The python-docx paragraphs behind the text (for run-level reading: ``tags.py``)."""


def open_document(docx: bytes) -> WordDocument:
    return Document(io.BytesIO(docx))


def _table_blocks(table: Table, prefix: str) -> Iterator[Block]:
    for r, row in enumerate(table.rows, 1):
        seen: list[object] = []
        c = 0
        for cell in row.cells:
            if any(cell._tc is s for s in seen):
                continue  # a cell merged across columns comes back once per grid column
            seen.append(cell._tc)
            c += 1
            where = f"{prefix} row {r} cell {c}"
            paragraphs = tuple(cell.paragraphs)
            yield Block(where, "\n".join(p.text for p in paragraphs), paragraphs)
            for n, inner in enumerate(cell.tables, 1):
                yield from _table_blocks(inner, f"{where} table {n}")


def _part_blocks(part: _Header | _Footer, name: str) -> Iterator[Block]:
    paragraphs = tuple(part.paragraphs)
    yield Block(name, "\n".join(p.text for p in paragraphs), paragraphs)
    for t, table in enumerate(part.tables, 1):
        yield from _table_blocks(table, f"{name} table {t}")


def blocks(docx: bytes) -> list[Block]:
    """Every piece of text with its location: body paragraphs and table cells in document order,
    then headers and footers."""
    document = open_document(docx)
    found: list[Block] = []
    paragraph_no = table_no = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_no += 1
            found.append(Block(f"paragraph {paragraph_no}", item.text, (item,)))
        else:
            table_no += 1
            found.extend(_table_blocks(item, f"table {table_no}"))
    sections = list(document.sections)
    for s, section in enumerate(sections, 1):
        prefix = f"section {s} " if len(sections) > 1 else ""
        parts: list[tuple[str, _Header | _Footer]] = [
            ("header", section.header),
            ("footer", section.footer),
        ]
        if section.different_first_page_header_footer:
            parts += [
                ("first-page header", section.first_page_header),
                ("first-page footer", section.first_page_footer),
            ]
        if document.settings.odd_and_even_pages_header_footer:
            parts += [
                ("even-page header", section.even_page_header),
                ("even-page footer", section.even_page_footer),
            ]
        for name, part in parts:
            if part.is_linked_to_previous:
                continue  # none of its own (the section before's, or none at all): listed once
            found.extend(_part_blocks(part, prefix + name))
    return found


def text_by_location(docx: bytes) -> list[tuple[str, str]]:
    """(location, text) of every block: the plain form the redline and the checks compare."""
    return [(block.where, block.text) for block in blocks(docx)]
