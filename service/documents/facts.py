"""The facts a document states: built once per request, typed, frozen.

``DocumentFacts`` holds domain values (``Decimal``, ``date``, enums) until the presenter formats
them. What every kind states is a field here; what only some kinds state is a ``FactPart`` a
kind adds (``parts``: the enforcement gate, the venue, an acknowledgment, an agreement's schedule),
each knowing its stored form and its view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from service.cases.case import CaseDebt, DebtCase
from service.cases.debt import ACCOUNT_FOR
from service.creditors.creditor import Creditor
from service.kernel.route import Route
from service.kernel.text import Lang, Localized


@dataclass(frozen=True)
class RestructuringTerms:
    """What the client asks of a restructuring agreement."""

    installments: int
    first_due: dt.date
    waive_penalty: bool = False


@dataclass(frozen=True)
class IssueRequest:
    """A request to issue, preview or explain a document, as the client sent it (parsed)."""

    kind: str
    language: str
    route: Route | None = None
    restructuring: RestructuringTerms | None = None
    deadline: dt.date | None = None
    fields: Mapping[str, Any] | None = None
    """Values for the template version's ``fields.*`` (its schema says which, C3)."""


@dataclass(frozen=True)
class Citation:
    """A provision the document cites, in the words of each language."""

    id: str
    cite: Localized


@dataclass(frozen=True)
class Issuance:
    """What only an issued document has (a draft has none of it)."""

    number: str
    document_id: str
    verify_url: str
    development_signature: bool


class FactPart(Protocol):
    """Facts one or more kinds add. ``name`` is the key in the snapshot and the view."""

    name: ClassVar[str]

    def wire(self) -> dict[str, Any] | None:
        """The stored (JSON) form."""
        ...

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any] | None:
        """What the templates read for this part in ``lang`` (``None``: print nothing)."""
        ...


PartT = TypeVar("PartT")


@dataclass(frozen=True)
class DocumentFacts:
    kind: str
    language: str
    """``kk``, ``ru`` or ``bilingual`` (Kazakh first: language law art. 21)."""
    issue_date: dt.date
    deadline: dt.date | None
    """The deadline for voluntary payment the document sets (``None``: a kind that sets none,
    such as a statement)."""
    creditor: Creditor
    case: DebtCase
    debt: CaseDebt
    provisions: tuple[Citation, ...]
    route: Route | None = None
    parts: Mapping[str, FactPart] = field(default_factory=dict)
    issuance: Issuance | None = None

    @property
    def draft(self) -> bool:
        return self.issuance is None

    @property
    def languages(self) -> tuple[Lang, ...]:
        return ("kk", "ru") if self.language == "bilingual" else (_lang(self.language),)

    def issued(self, issuance: Issuance) -> DocumentFacts:
        return replace(self, issuance=issuance)

    def part(self, kind: type[PartT]) -> PartT | None:
        """The part of type ``kind``, if the document states one."""
        for part in self.parts.values():
            if isinstance(part, kind):
                return part
        return None

    def overdue_by_account(self) -> dict[str, Decimal]:
        """What is overdue now, per account it is paid to (housing law art. 34-1 p. 3–4)."""
        due: dict[str, Decimal] = {}
        for line in self.debt.summary.lines:
            if line.overdue and line.outstanding > 0:
                key = ACCOUNT_FOR[line.contribution].value
                due[key] = due.get(key, Decimal("0.00")) + line.outstanding
        return due


def _lang(language: str) -> Lang:
    return "kk" if language == "kk" else "ru"
