"""Jinja tags in a Word template, found where a person sees them (run by run).

Word splits typed text into runs at every change of formatting, spell-check mark or edit
session, so ``{{ t.creditor.name }}`` is often stored as three runs. docxtpl joins the runs of a
tag inside one paragraph before Jinja reads it (checked by ``tests/rendering/test_docx.py``); a
tag opened in one paragraph and closed in another (or never closed) it cannot join: the template
would fail or lose its paragraph structure. ``split_tags`` lists those for the checks;
``tags`` lists every tag with the number of runs it spans (the checks may warn about those too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from service.rendering.docx.structure import blocks
from service.rendering.engines import SourceBundle

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPENERS = re.compile(r"\{\{|\{%|\{#")
_CLOSERS = re.compile(r"\}\}|%\}|#\}")


@dataclass(frozen=True)
class Tag:
    where: str
    """The location (``paragraph 3``, ``table 1 row 2 cell 1``, ``footer``)."""
    text: str
    runs: int
    """How many pieces of run text the tag spans (1: typed in one go)."""


def _entry(bundle: SourceBundle) -> bytes:
    return bundle.files[bundle.entry]


def _paragraph_pieces(docx: bytes) -> list[tuple[str, list[str]]]:
    """(location, run texts) per paragraph, tracked deletions left out (Word does not show them
    either, and docxtpl reads only ``w:t``)."""
    found = []
    for block in blocks(docx):
        for paragraph in block.paragraphs:
            pieces = [node.text or "" for node in paragraph._p.iter(qn("w:t"))]
            found.append((block.where, pieces))
    return found


def tags(bundle: SourceBundle) -> list[Tag]:
    """Every complete tag of the template, where it is and how many runs it spans."""
    found = []
    for where, pieces in _paragraph_pieces(_entry(bundle)):
        joined = "".join(pieces)
        ends = []
        position = 0
        for piece in pieces:
            position += len(piece)
            ends.append(position)
        for match in _TAG.finditer(joined):
            first = next(i for i, end in enumerate(ends) if end > match.start())
            last = next(i for i, end in enumerate(ends) if end >= match.end())
            found.append(Tag(where, match.group(0), last - first + 1))
    return found


def split_tags(bundle: SourceBundle) -> list[tuple[str, str]]:
    """(location, text) of every tag docxtpl cannot join: opened and not closed in the same
    paragraph, or closed without being opened there (split across paragraphs or cells)."""
    found = []
    for where, pieces in _paragraph_pieces(_entry(bundle)):
        rest = _TAG.sub("", "".join(pieces))
        opener = _OPENERS.search(rest)
        closer = _CLOSERS.search(rest)
        if opener is not None:
            found.append((where, rest[opener.start() :].strip()))
        elif closer is not None:
            found.append((where, rest[: closer.end()].strip()))
    return found
