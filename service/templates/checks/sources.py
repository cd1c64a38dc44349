"""A version's own text, piece by piece, each with where a lawyer finds it (pure).

- Typst (``.typ``): every line, comments removed (a comment is never printed, and the bundled
  templates explain in comments what they must not say).
- HTML (``.html``/``.htm``): every line, HTML and Jinja comments and tags removed.
- Word (``.docx``): every paragraph and table cell, headers and footers, with the text of its
  runs joined, as Word shows it (``word.blocks``), Jinja comments removed.

The content rules and the glyph check read these pieces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from service.rendering.engines import SourceBundle
from service.templates.checks import word


@dataclass(frozen=True)
class Piece:
    text: str
    file: str
    line: int | None = None
    where: str | None = None


_TYPST_SKIPPED = re.compile(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|(?<!:)//[^\n]*', re.DOTALL)


@functools.lru_cache(maxsize=256)
def typst_code_lines(source: str) -> tuple[str, ...]:
    """The lines of a Typst file with ``//`` and ``/* */`` comments blanked out (strings and
    URLs such as ``https://`` are kept); the line count is unchanged."""

    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        return text if text.startswith('"') else "\n" * text.count("\n")

    return tuple(_TYPST_SKIPPED.sub(blank, source).split("\n"))


_HTML_COMMENT = re.compile(r"<!--.*?-->|\{#.*?#\}", re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def html_text_lines(source: str) -> tuple[str, ...]:
    """The lines of an HTML file as text: HTML and Jinja comments and tags removed, line count
    unchanged."""
    blanked = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    return tuple(_HTML_TAG.sub(" ", line) for line in blanked.split("\n"))


def decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def kind_of(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".typ"):
        return "typst"
    if lower.endswith((".html", ".htm", ".jinja", ".j2")):
        return "html"
    if lower.endswith(".docx"):
        return "docx"
    return None


def pieces(bundle: SourceBundle) -> Iterator[Piece]:
    """Every piece of the version's own text with its location."""
    for name in sorted(bundle.files):
        kind = kind_of(name)
        data = bundle.files[name]
        if kind == "docx":
            try:
                found = word.blocks(data)
            except word.NotWord:
                continue  # the sample render reports an unreadable document
            for block in found:
                yield Piece(_JINJA_COMMENT.sub(" ", block.text), name, where=block.where)
            continue
        if kind is None:
            continue
        source = decode(data)
        if source is None:
            continue
        lines = typst_code_lines(source) if kind == "typst" else html_text_lines(source)
        for number, text in enumerate(lines, 1):
            if text.strip():
                yield Piece(text, name, line=number)
