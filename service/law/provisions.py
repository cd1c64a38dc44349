"""The provision registry: acts and their articles, each in dated editions (pure data).

Loaded from ``legal/provisions/*.yaml`` by ``service.law.loader``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from service.kernel.text import Localized


@dataclass(frozen=True)
class Edition:
    effective_from: dt.date
    summary: dict[str, str]
    amended_by: str | None
    note: str | None = None
    """What about this edition's date is certain and what is still to confirm."""


@dataclass(frozen=True)
class Provision:
    id: str
    act_id: str
    act_title: dict[str, str]
    act_short: dict[str, str]
    article: str
    paragraph: str
    subparagraph: str
    confidence: str
    source: str
    editions: tuple[Edition, ...]

    def cite(self, lang: str) -> str:
        """A citation as a lawyer writes it: «п. 8 ст. 34-1 Закона РК «О жилищных отношениях»»."""
        if lang == "kk":
            text = f"{self.act_short['kk']} {self.article}-бабы"
            if self.paragraph and self.subparagraph:
                return f"{text}ның {self.paragraph}-тармағының {self.subparagraph}) тармақшасы"
            if self.paragraph:
                return f"{text}ның {self.paragraph}-тармағы"
            return text
        pieces = []
        if self.subparagraph:
            pieces.append(f"пп. {self.subparagraph})")
        if self.paragraph:
            pieces.append(f"п. {self.paragraph}")
        pieces.append(f"ст. {self.article} {self.act_short['ru']}")
        return " ".join(pieces)

    def citation(self) -> Localized:
        return Localized(kk=self.cite("kk"), ru=self.cite("ru"))

    def edition_on(self, day: dt.date) -> Edition | None:
        current = [e for e in self.editions if e.effective_from <= day]
        return max(current, key=lambda e: e.effective_from) if current else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "act": {"id": self.act_id, "title": self.act_title},
            "article": self.article,
            "paragraph": self.paragraph or None,
            "subparagraph": self.subparagraph or None,
            "confidence": self.confidence,
            "source": self.source,
            "cite": {"ru": self.cite("ru"), "kk": self.cite("kk")},
            "editions": [
                {
                    "from": e.effective_from.isoformat(),
                    "amended_by": e.amended_by,
                    "note": e.note,
                    "summary": e.summary,
                }
                for e in self.editions
            ],
        }
