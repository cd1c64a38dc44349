"""What a document kind is (``KindSpec``), and the registry of the kinds a service issues.

A kind says everything the pipeline needs to know about it: the languages it is issued in, the
provisions its text cites (per route for a pre-court letter), the facts it must carry, the parts
it adds to the common facts, and what it checks in the request. Adding a kind is one module with
its spec, plus its template files (``templates/{language}/{kind}.typ``); the registry the service
runs with is built in the composition root (``service.bootstrap``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from service.cases.case import CaseDebt, DebtCase
from service.creditors.creditor import Creditor, CreditorForm
from service.documents.facts import FactPart, IssueRequest
from service.documents.parts import AgreementPart
from service.errors import FieldError
from service.kernel.route import Route
from service.law.context import LawContext
from service.rendering.base import TemplateRef
from service.rules import coverage
from service.rules.engine import PolicyOverrides
from service.rules.history import CaseHistory
from service.rules.settings import offer_after_default

LANGUAGES = ("kk", "ru", "bilingual")

# Every document: creditor block, debtor block, debt table, dates (research C.10). Paths are in
# the stored facts (``service.documents.snapshot``); ``*`` is every item of a list, ``{lang}`` a
# text needed in each document language.
COMMON: tuple[str, ...] = (
    "issue_date",
    "deadline",
    "creditor.name{lang}",
    "creditor.address{lang}",
    "creditor.chairman.full_name",
    "creditor.chairman.position{lang}",
    "creditor.accounts.current.iban",
    "debtor.full_name",
    "unit.type",
    "unit.number",
    "debt.as_of",
    "debt.lines.*.period",
    "debt.lines.*.contribution",
    "debt.lines.*.charged",
    "debt.lines.*.paid",
    "debt.lines.*.outstanding",
    "debt.lines.*.due_date",
    "debt.totals.charged",
    "debt.totals.paid",
    "debt.totals.outstanding",
    "debt.totals.overdue",
)
# What a notary or court will need, so every step beyond the reminder carries it.
BASIS: tuple[str, ...] = (
    "creditor.bin",
    "basis",
    "basis.*.contribution",
    "basis.*.monthly_amount",
    "basis.*.protocol.number",
    "basis.*.protocol.date",
)
GATE: tuple[str, ...] = (
    "debt.lines.*.gate_opens",
    "enforcement.gate_opens",
    "enforcement.past_gate_total",
)
# Cited by every kind: the basis of the contributions and their due date, which ГК 175 moves to
# the next working day (noted under a debt table whose rows it moved: review #25).
CONTRIBUTION_BASIS: tuple[str, ...] = (
    "housing-34-p3",
    "housing-34-1-p1",
    "housing-34-1-p8",
    "gk-175",
)
# The penalty a letter states, computed by the creditor from the National Bank base rate
# (review #14, #34: housing law 34-1 p. 9 sets no rate; ГК 353 is the source, policy not law).
PENALTY_BASIS: tuple[str, ...] = ("housing-34-1-p9", "gk-353")
# The debtor's rights every letter states (review #15, #16): the personal-data notice (purpose,
# PD law art. 7; objection to automated processing, art. 19-1).
PERSONAL_DATA: tuple[str, ...] = ("pd-7", "pd-19-1")
# A disputed sum is not undisputed: a notary's inscription needs documents proving that the
# debt is undisputed (notary law 92-2 p. 1–2; research §2.6), so a dispute keeps it from the
# notary (review #15).
UNDISPUTED: tuple[str, ...] = ("notary-92-2-p1-2",)
ENFORCEMENT_BASIS: tuple[str, ...] = (
    "housing-34-1-p9",
    "housing-34-1-p10",
    "notary-92-1-p2-6",
    "notary-92-1-p3",
)


@dataclass(frozen=True)
class FactsContext:
    """Everything a kind may build its parts from."""

    request: IssueRequest
    case: DebtCase
    creditor: Creditor
    debt: CaseDebt
    history: CaseHistory
    law: LawContext
    overrides: PolicyOverrides
    today: dt.date


def _no_parts(context: FactsContext) -> tuple[FactPart, ...]:
    return ()


def agreement_in_force_part(context: FactsContext) -> tuple[FactPart, ...]:
    """A reminder's or a warning's: the agreement in force whose debt it leaves out (legal
    review #2), named; no new agreement is offered while one performs."""
    ref = coverage.in_force(context.history, context.today, context.law.calendar)
    return (AgreementPart(ref, offer_new=False),) if ref else ()


def agreement_defaulted_part(context: FactsContext) -> tuple[FactPart, ...]:
    """A pre-court letter's: the agreement the debtor defaulted on, named with its default
    clause (legal review #12); a new agreement is offered only if the creditor's policy says so."""
    ref = coverage.defaulted(context.history, context.today, context.law.calendar)
    if ref is None:
        return ()
    offer = offer_after_default(context.law.rulebook, context.today, context.overrides)
    return (AgreementPart(ref, offer_new=offer),)


def _no_request_checks(request: IssueRequest, today: dt.date) -> list[FieldError]:
    return []


@dataclass(frozen=True)
class KindSpec:
    name: str
    """The kind's name in requests, records and template paths."""
    cites: tuple[str, ...] = ()
    """Provisions the text cites (``cite-of`` in the templates), in the order it cites them."""
    cites_by_route: Mapping[Route, tuple[str, ...]] = field(default_factory=dict)
    """For a kind that announces a route: what it cites per route. The request must name one."""
    cites_authority: bool = False
    """The text states who signs for the creditor and on what authority (an agreement's party
    clause): it cites the creditor form's provision (``CreditorForm.authority_provision``)."""
    languages: tuple[str, ...] = LANGUAGES
    fixed_language: str | None = None
    """Issued in this language whatever the request asks (the law fixes it)."""
    required: tuple[str, ...] = COMMON
    """Facts that must carry a value; the refusal names each missing one."""
    parts: Callable[[FactsContext], tuple[FactPart, ...]] = _no_parts
    request_errors: Callable[[IssueRequest, dt.date], list[FieldError]] = _no_request_checks
    """Checks of the request this kind needs (e.g. an agreement's terms)."""
    sets_deadline: bool = True
    """The document sets a deadline for voluntary payment (a statement sets none: a deadline in
    its request is refused, and none is stored)."""

    @property
    def needs_route(self) -> bool:
        return bool(self.cites_by_route)

    def citations(self, route: Route | None, form: CreditorForm | None = None) -> tuple[str, ...]:
        if self.cites_by_route:
            cited = self.cites_by_route.get(route or Route.NOTARY, ())
        else:
            cited = self.cites
        authority = form.authority_provision if form and self.cites_authority else None
        return (authority, *cited) if authority else cited

    def all_citations(self) -> set[str]:
        cited = set(self.cites)
        if self.cites_authority:
            cited.update(f.authority_provision for f in CreditorForm if f.authority_provision)
        for ids in self.cites_by_route.values():
            cited.update(ids)
        return cited

    def language_for(self, requested: str) -> str:
        return self.fixed_language or requested

    def template(self, language: str) -> TemplateRef:
        return TemplateRef(self.name, language)


class KindRegistry:
    """The kinds this service issues, by name."""

    def __init__(self, specs: Iterable[KindSpec]) -> None:
        self._specs: dict[str, KindSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"document kind {spec.name} is registered twice")
            self._specs[spec.name] = spec

    def __iter__(self) -> Iterator[KindSpec]:
        return iter(self._specs.values())

    def names(self) -> list[str]:
        return list(self._specs)

    def get(self, name: str) -> KindSpec | None:
        return self._specs.get(name)

    def with_kind(self, spec: KindSpec) -> KindRegistry:
        return KindRegistry([*self._specs.values(), spec])

    def resolve(self, request: IssueRequest) -> tuple[KindSpec | None, list[FieldError]]:
        """The request's kind, and every problem with its kind, language and route at once."""
        spec = self._specs.get(request.kind)
        errors = []
        if spec is None:
            names = ", ".join(self._specs)
            errors.append(FieldError("kind", "unknown_value", f"expected one of: {names}"))
        allowed = spec.languages if spec else LANGUAGES
        if request.language not in allowed and not (spec and spec.fixed_language):
            message = f"{request.kind} is issued in: {', '.join(allowed)}"
            errors.append(FieldError("language", "unknown_value", message))
        elif spec and spec.fixed_language and request.language not in LANGUAGES:
            message = f"expected one of: {', '.join(LANGUAGES)}"
            errors.append(FieldError("language", "unknown_value", message))
        if spec and spec.needs_route and request.route is None:
            errors.append(
                FieldError(
                    "route",
                    "required",
                    f"a {spec.name} names its route: a notary's executive inscription or a "
                    "court claim, the only routes for contributions (housing law art. 34-1 "
                    "p. 10; no court order for them, ГПК art. 135)",
                )
            )
        return spec, errors
