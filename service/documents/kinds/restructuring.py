"""Соглашение о реструктуризации / Берешекті қайта құрылымдау туралы келісім.

A written transaction, so always in Kazakh and Russian (language law art. 15): whatever language
the request names, it is issued bilingual, and the response says so. It contains the debtor's
written acknowledgment of the whole debt, penalty included (ГК art. 183; notary law art. 92-1
p. 3), and a schedule split by account (housing law art. 34-1 p. 3–4), tiyn-exact, penalty in its
own column unless the creditor waives it (which needs a meeting or board mandate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from service.agreements.restructuring import AgreementTerms, Schedule, build_schedule
from service.cases.debt import Account
from service.documents import formats
from service.documents.facts import DocumentFacts, FactPart, IssueRequest, RestructuringTerms
from service.documents.kinds.spec import BASIS, COMMON, CONTRIBUTION_BASIS, FactsContext, KindSpec
from service.errors import FieldError
from service.kernel.money import ZERO, money_str
from service.kernel.text import Lang
from service.rules.settings import restructuring_defaults

ALLOCATION_ORDER = ("principal_oldest_first", "penalty_last")


@dataclass(frozen=True)
class Restructuring:
    """The agreement as written: the client's terms, the schedule, the policy terms."""

    name: ClassVar[str] = "restructuring"
    terms: RestructuringTerms
    schedule: Schedule
    agreement_terms: AgreementTerms

    @property
    def penalty_acknowledged(self) -> Decimal:
        """The whole penalty the debtor acknowledges (also when the schedule waives it)."""
        return self.schedule.penalty + self.schedule.penalty_waived

    @property
    def principal(self) -> Decimal:
        return sum(self.schedule.principal.values(), ZERO)

    def totals(self) -> dict[str, Decimal]:
        schedule = self.schedule
        return {
            "current": schedule.principal[Account.CURRENT],
            "savings": schedule.principal[Account.SAVINGS],
            "penalty": schedule.penalty,
            "total": schedule.total,
        }

    def acknowledged(self) -> dict[str, Decimal]:
        return {
            "principal": self.principal,
            "penalty": self.penalty_acknowledged,
            "total": self.principal + self.penalty_acknowledged,
        }

    def wire(self) -> dict[str, Any]:
        return {
            "installments": self.terms.installments,
            "first_due": self.terms.first_due.isoformat(),
            "waive_penalty": self.terms.waive_penalty,
            "default_after_days": self.agreement_terms.default_after_days,
            "grace_days": self.agreement_terms.grace_days,
            "penalty_account": self.schedule.penalty_account.value,
            "totals": {k: money_str(v) for k, v in self.totals().items()},
            "acknowledged": {k: money_str(v) for k, v in self.acknowledged().items()},
            "schedule": [i.wire() for i in self.schedule.instalments],
            "allocation_order": list(ALLOCATION_ORDER),
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        totals, acknowledged = self.totals(), self.acknowledged()
        rows = [
            {
                "number": str(i.number),
                "due": formats.day(i.due_date, lang)["numeric"],
                "current": formats.amount(i.current),
                "savings": formats.amount(i.savings),
                "penalty": formats.amount(i.penalty),
                "total": formats.amount(i.total),
            }
            for i in self.schedule.instalments
        ]
        grace = self.agreement_terms.grace_days
        return {
            "installments": str(self.terms.installments),
            "first_due": formats.day(self.terms.first_due, lang),
            "last_due": rows[-1]["due"] if rows else None,
            "waive_penalty": self.terms.waive_penalty,
            "default_after_days": str(self.agreement_terms.default_after_days),
            "grace_days": str(grace) if grace else None,
            "totals": {k: formats.money(v, lang) for k, v in totals.items()},
            "acknowledged": {k: formats.money(v, lang) for k, v in acknowledged.items()},
            "has_penalty_column": totals["penalty"] > 0,
            "has_penalty": acknowledged["penalty"] > 0,
            "has_savings": totals["savings"] > 0,
            "schedule": rows,
        }


def restructuring_parts(context: FactsContext) -> tuple[FactPart, ...]:
    terms = context.request.restructuring
    if terms is None:  # reported by ``request_errors``; no facts are built then
        return ()
    defaults = restructuring_defaults(context.law.rulebook, context.today, context.overrides)
    schedule = build_schedule(
        context.debt.summary.overdue_lines,
        context.debt.penalty.total,
        terms.installments,
        terms.first_due,
        waive_penalty=terms.waive_penalty,
        penalty_account=defaults.penalty_account,
    )
    return (Restructuring(terms, schedule, defaults.terms),)


def request_errors(request: IssueRequest, today: dt.date) -> list[FieldError]:
    terms = request.restructuring
    if terms is None:
        return [FieldError("restructuring", "required", "give installments and first_due")]
    if terms.first_due <= today:
        return [
            FieldError(
                "restructuring.first_due",
                "not_after_issue",
                "the first instalment must fall after the agreement's date",
            )
        ]
    return []


SPEC = KindSpec(
    name="restructuring",
    cites=(
        *CONTRIBUTION_BASIS,
        "housing-34-1-p9",
        "housing-51-1-p2",
        "housing-51-1-p5-12",
        "gk-183",
        "notary-92-1-p2-6",
        "notary-92-1-p3",
        "language-15",
    ),
    languages=("bilingual",),
    fixed_language="bilingual",
    required=(
        *COMMON,
        *BASIS,
        "restructuring.installments",
        "restructuring.first_due",
        "restructuring.default_after_days",
        "restructuring.schedule",
    ),
    parts=restructuring_parts,
    request_errors=request_errors,
)
