"""Reading issued PDFs back as a person would: the text, with whitespace made comparable."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squashed(text: str) -> str:
    """Text with every kind of space and line break removed (amounts and names wrap)."""
    return _SPACES.sub("", text)


def contains(pdf: bytes, *needles: str) -> bool:
    haystack = squashed(pdf_text(pdf))
    return all(squashed(needle) in haystack for needle in needles)
