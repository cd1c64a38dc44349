"""Stale versions (pure): a version cites provisions in the edition it was written against;
when the law gets a newer edition of one, the version is stale, and from the new edition's
effective date it cannot be issued until a version citing the new edition is approved and live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from service.errors import FieldError
from service.law.provisions import Provision


@dataclass(frozen=True)
class Cited:
    id: str
    edition_from: dt.date | None
    """The edition the wording was written against; ``None``: not stated (never stale)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "edition_from": self.edition_from.isoformat() if self.edition_from else None,
        }


@dataclass(frozen=True)
class StaleReason:
    provision: str
    cited_edition: dt.date
    new_edition: dt.date
    effective_from: dt.date
    """From this day the version may not be issued (the new edition's effective date)."""

    def message(self) -> str:
        return (
            f"{self.provision}: the version cites the edition of {self.cited_edition.isoformat()}; "
            f"a new edition takes effect on {self.effective_from.isoformat()}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "cited_edition": self.cited_edition.isoformat(),
            "new_edition": self.new_edition.isoformat(),
            "effective_from": self.effective_from.isoformat(),
            "message": self.message(),
        }


def parse_cited(raw: Iterable[Mapping[str, Any]]) -> list[Cited]:
    out = []
    for item in raw:
        edition = item.get("edition_from")
        out.append(Cited(str(item["id"]), dt.date.fromisoformat(str(edition)) if edition else None))
    return out


def reasons(cited: Iterable[Cited], provisions: Mapping[str, Provision]) -> list[StaleReason]:
    """Every cited provision with an edition newer than the one cited (whatever its date)."""
    out = []
    for citation in cited:
        provision = provisions.get(citation.id)
        if provision is None or citation.edition_from is None:
            continue
        newer = [e for e in provision.editions if e.effective_from > citation.edition_from]
        if newer:
            latest = max(newer, key=lambda e: e.effective_from)
            first = min(newer, key=lambda e: e.effective_from)
            out.append(
                StaleReason(
                    citation.id, citation.edition_from, latest.effective_from, first.effective_from
                )
            )
    return out


def blocking(
    cited: Iterable[Cited], provisions: Mapping[str, Provision], day: dt.date
) -> list[StaleReason]:
    """The reasons that forbid issuing on ``day``: a newer edition already in effect."""
    return [r for r in reasons(cited, provisions) if r.effective_from <= day]


def refusals(blocked: Iterable[StaleReason]) -> list[FieldError]:
    return [
        FieldError(
            "template",
            "stale_template",
            f"{r.message()}; a version citing the new edition must be approved and live first",
        )
        for r in blocked
    ]


def edition_in_force(provision: Provision, day: dt.date) -> dt.date | None:
    edition = provision.edition_on(day)
    return edition.effective_from if edition else None
