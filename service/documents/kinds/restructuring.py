"""Соглашение о реструктуризации / Берешекті қайта құрылымдау туралы келісім.

A written transaction, so always in Kazakh and Russian (language law art. 15): whatever language
the request names, it is issued bilingual, and the response says so. It contains the debtor's
written acknowledgment of the whole debt, penalty included (ГК art. 183; notary law art. 92-1
p. 3), and a schedule split by account (housing law art. 34-1 p. 3–4), tiyn-exact, on working days
(ГК 175), penalty in the last instalment unless the creditor waives it. A waiver needs the meeting
or board decision recorded as creditor policy (``Creditor.mandate``), and the agreement prints it;
asked for without one, the request is refused (review #5). Agreements are numbered in their own
register, not the outgoing letters' one (review #39).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from service.agreements.restructuring import AgreementTerms, Schedule, build_schedule
from service.cases.debt import Account
from service.creditors.creditor import Mandate, MandateBody, MandatePower
from service.discounts.offer import schedule_deadline
from service.documents import formats
from service.documents.facts import DocumentFacts, FactPart, IssueRequest, RestructuringTerms
from service.documents.kinds.spec import BASIS, COMMON, CONTRIBUTION_BASIS, FactsContext, KindSpec
from service.documents.offer import PenaltyOfferPart
from service.errors import FieldError, ValidationFailed
from service.kernel.money import ZERO, money_str
from service.kernel.text import Lang, Localized
from service.rules.settings import restructuring_defaults

ALLOCATION_ORDER = ("current_month_first", "principal_oldest_first", "penalty_last")
"""How payments are applied (agreement cl. 3): a payment first covers the current contribution
due in its month (review #7), then the next instalment, principal oldest period first; the penalty
is in the last instalment, so it is paid after the whole principal (review #6)."""

REGISTER = "agreement"
"""Agreements' own numbering register (review #39), apart from the outgoing letters'."""

BODY = {
    MandateBody.MEETING: Localized(kk="меншік иелері жиналысының", ru="собрания собственников"),
    MandateBody.BOARD: Localized(kk="үй кеңесінің", ru="совета дома"),
}
"""Whose decision (genitive): «решение собрания собственников» / «жиналысының шешімі»."""


@dataclass(frozen=True)
class Restructuring:
    """The agreement as written: the client's terms, the schedule, the policy terms."""

    name: ClassVar[str] = "restructuring"
    terms: RestructuringTerms
    schedule: Schedule
    agreement_terms: AgreementTerms
    mandate: Mandate | None = None
    """The decision that allows the penalty waiver (set exactly when the penalty is waived)."""
    penalty_accrues: bool = False
    """Penalty keeps accruing on the scheduled debt while performed (policy, to-confirm)."""
    place: Localized | None = None
    """Where the agreement is concluded (the creditor's city)."""

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
            "penalty_accrues_during_performance": self.penalty_accrues,
            "mandate": self.mandate.wire() if self.mandate else None,
            "place": self.place.as_dict() if self.place else None,
            "register": REGISTER,
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
        debtor = facts.case.debtor
        last = self.schedule.instalments[-1] if self.schedule.instalments else None
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
            "last_number": str(last.number) if last else None,
            "penalty_account": self.schedule.penalty_account.value,
            "penalty_accrues": self.penalty_accrues,
            "mandate": _mandate_view(self.mandate, lang) if self.mandate else None,
            "place": self.place[lang] if self.place else None,
            "notice_email": formats.blank_to_none(debtor.email),
            "notice_address": postal[lang] if (postal := debtor.postal()) else None,
        }


def _mandate_view(mandate: Mandate, lang: Lang) -> dict[str, str]:
    """«решения собрания собственников (протокол № 5 от 20.12.2025)» in both languages."""
    day = formats.day(mandate.protocol_date, lang)
    return {
        "body": BODY[mandate.body][lang],
        "protocol_number": mandate.protocol_number,
        "protocol_date": day["numeric"],
        "protocol_date_attributive": day["attributive"],
        "protocol_date_words": day["words"],
    }


def restructuring_parts(context: FactsContext) -> tuple[FactPart, ...]:
    terms = context.request.restructuring
    if terms is None:  # reported by ``request_errors``; no facts are built then
        return ()
    mandate = context.creditor.mandate(MandatePower.PENALTY_WAIVER)
    if terms.waive_penalty and mandate is None:
        raise ValidationFailed([MANDATE_MISSING])
    defaults = restructuring_defaults(context.law.rulebook, context.today, context.overrides)
    schedule = build_schedule(
        context.debt.summary.overdue_lines,
        context.debt.penalty.total,
        terms.installments,
        terms.first_due,
        waive_penalty=terms.waive_penalty,
        penalty_account=defaults.penalty_account,
        calendar=context.law.calendar,
    )
    agreement = Restructuring(
        terms,
        schedule,
        defaults.terms,
        mandate=mandate if terms.waive_penalty else None,
        penalty_accrues=defaults.penalty_accrues,
        place=context.creditor.place_of_conclusion,
    )
    if terms.waive_penalty or not schedule.instalments:
        return (agreement,)
    # The penalty discount offer, if the creditor makes one (#36): the principal paid by the
    # schedule, by its last date (``service.discounts.offer.schedule_deadline``).
    last = schedule.instalments[-1].due_date
    pay_by = schedule_deadline(last, defaults.terms.grace_days, context.law.calendar)
    return (agreement, *PenaltyOfferPart.of(context, pay_by))


MANDATE_MISSING = FieldError(
    "restructuring.waive_penalty",
    "mandate_missing",
    "a penalty waiver needs the owners' meeting or board decision that allows it: record its "
    "body, protocol number and date (PUT /v1/mandates/penalty_waiver), or ask without the waiver",
)
"""Review #5 (research C.11): the waiver binds only with a recorded mandate, which it prints."""


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
        "housing-51-1-p5-12",
        "gk-183",
        "notary-92-1-p2-6",
        "notary-92-1-p3",
        "notary-92-6",
        "gpk-29",
        "language-15",
        "pd-7",
        "pd-19-1",
    ),
    cites_authority=True,
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
