"""A text as a spreadsheet cell must hold it: shown as typed, never run. Pure.

- **Formulas** (OWASP «CSV injection»): Excel and LibreOffice run a cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so a debtor named
  ``=HYPERLINK("http://…","…")`` would become a link and ``=cmd|' /C calc'!A0`` a command. Such a
  text gets a leading ``'``: the cell shows it, never evaluates it.
- **XML**: an XLSX cell is XML 1.0, which cannot hold the C0 controls other than tab, line feed and
  carriage return; openpyxl raises on them, which made a whole export fail for one stored name
  with such a character. Each is replaced by U+FFFD, which shows where it was.

Every export (the outgoing register in XLSX and CSV, the post lists, the batch summaries) writes
its texts through ``cell_text``.
"""

from __future__ import annotations

import re
from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value: str) -> str:
    """``value`` as a cell must hold it: XML-clean, with a leading ``'`` where it could start a
    formula."""
    value = _XML_ILLEGAL.sub("\ufffd", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
