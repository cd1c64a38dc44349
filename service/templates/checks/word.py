"""A Word template's text by location, as the Word engine's ``structure`` reads it with
python-docx (``paragraph 12``, ``table 1 row 2 cell 3``, ``header``, ``footer``), with each
paragraph's runs joined: a tag Word stored in three runs reads whole here."""

from __future__ import annotations

from dataclasses import dataclass

from service.rendering.docx import structure


@dataclass(frozen=True)
class Block:
    where: str
    text: str
    paragraphs: tuple[str, ...] = ()
    """The text of each paragraph of the block (a cell may hold several)."""


class NotWord(ValueError):
    """The bytes are not a readable Word document."""


def blocks(data: bytes) -> list[Block]:
    """Body paragraphs and table cells in document order, then headers and footers."""
    try:
        found = structure.blocks(data)
    except Exception as exc:  # python-docx raises zip, XML and key errors alike
        raise NotWord(str(exc)) from exc
    return [Block(b.where, b.text, tuple(p.text for p in b.paragraphs)) for b in found]
