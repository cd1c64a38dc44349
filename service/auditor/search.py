"""Which of a creditor's cases a search finds: the words of the query, in any case and order,
in the case's external id or the debtor's name (Kazakh and Russian letters alike). Pure."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LIMIT = 50
"""Hits shown at most; the page says how many more there are."""
QUERY_LIMIT = 200


@dataclass(frozen=True)
class CaseHit:
    external_id: str
    debtor: str
    unit_type: str
    unit_number: str


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def words(query: str) -> list[str]:
    return _folded(query[:QUERY_LIMIT]).split()


def matching(cases: Iterable[CaseHit], query: str) -> list[CaseHit]:
    """The cases every word of ``query`` occurs in (an empty query finds every case)."""
    wanted = words(query)
    return [
        case
        for case in cases
        if all(w in _folded(case.external_id) or w in _folded(case.debtor) for w in wanted)
    ]


def first(hits: Sequence[CaseHit], limit: int = LIMIT) -> list[CaseHit]:
    return list(hits[:limit])
