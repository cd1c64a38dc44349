"""Word templates built with python-docx for the checks' tests: runs split the way Word splits
them, tables with docxtpl row loops, headers and footers."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document


def docx(
    paragraphs: Sequence[str | Sequence[str]],
    *,
    table: Sequence[Sequence[str]] = (),
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A DOCX whose body paragraphs are given as text or as the texts of their runs (each run
    with its own formatting, as Word stores a tag typed in pieces), then a table, a header and a
    footer."""
    document = Document()
    for item in paragraphs:
        if isinstance(item, str):
            document.add_paragraph(item)
            continue
        paragraph = document.add_paragraph()
        for index, text in enumerate(item):
            run = paragraph.add_run(text)
            run.bold = index % 2 == 1  # a change of formatting: Word starts a new run
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
