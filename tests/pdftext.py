"""Reading issued PDFs back as a person would: the text, with whitespace made comparable.

Text is extracted once per document (pypdf costs ≈ 100 ms a document): every helper here reads
the same cached extraction.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from pypdf import PdfReader

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


@lru_cache(maxsize=128)
def pages_text(pdf: bytes) -> tuple[str, ...]:
    reader = PdfReader(io.BytesIO(pdf))
    return tuple(page.extract_text() or "" for page in reader.pages)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def squashed(text: str) -> str:
    """Text with every kind of space and line break removed (amounts and names wrap)."""
    return _SPACES.sub("", text)


@lru_cache(maxsize=128)
def squashed_text(pdf: bytes) -> str:
    return squashed(pdf_text(pdf))


def contains(pdf: bytes, *needles: str) -> bool:
    haystack = squashed_text(pdf)
    return all(squashed(needle) in haystack for needle in needles)
