"""The penalty discount offer as a warning and a restructuring agreement state it (#36).

The offer is the creditor's ``penalty-discount`` policy with its mandate on record
(``service.discounts.policy``); what it promises and when it is honoured is
``service.discounts.offer``. The part states the decision behind it (meeting or board, protocol
number and date), the principal to pay, the penalty owed on the document's date, the share and
the amount written off, and the date to pay by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from service.creditors.creditor import CreditorForm, MandateBody
from service.discounts.offer import offered_total
from service.discounts.policy import DiscountTerms, terms_on
from service.documents import formats
from service.documents.facts import DocumentFacts
from service.documents.kinds.spec import FactsContext
from service.kernel.money import money_str
from service.kernel.text import Lang, Localized
from service.rules.coverage import in_force

# Who decided, in the genitive («решения …» / «… шешімі»; the Kazakh opens its sentence).
# An ОСИ's board is its house council (совет дома); a КСК's or a company's is its board
# (правление).
BODIES: dict[tuple[MandateBody, bool], Localized] = {
    **{
        (MandateBody.MEETING, osi): Localized(
            kk="Меншік иелері жиналысының", ru="общего собрания собственников"
        )
        for osi in (True, False)
    },
    (MandateBody.BOARD, True): Localized(kk="Үй кеңесінің", ru="совета дома"),
    (MandateBody.BOARD, False): Localized(kk="Басқарманың", ru="правления"),
}


@dataclass(frozen=True)
class PenaltyOfferPart:
    name: ClassVar[str] = "penalty_offer"
    terms: DiscountTerms
    principal: Decimal
    """The overdue principal the document states."""
    penalty: Decimal
    """The penalty owed on the document's date (what the offer is a share of)."""
    discount: Decimal
    """What is written off if the condition is met."""
    pay_by: dt.date | None = None
    """The date to pay by when it is not the document's deadline (an agreement's schedule)."""

    @classmethod
    def of(
        cls, context: FactsContext, pay_by: dt.date | None = None
    ) -> tuple[PenaltyOfferPart, ...]:
        """The part (none when there is no offer, or no principal or penalty to offer it on):
        the policy and mandate in force on the document's date, the debt as computed then."""
        law = context.law
        if in_force(context.history, context.today, law.calendar) is not None:
            # A letter under a performing agreement states only the newer arrears; the offer
            # would be granted on the whole case (``discounts.service.offers_of`` skips such
            # letters too), so none is made: what is printed is what is granted (code review).
            return ()
        terms = terms_on(law.rulebook, context.creditor, context.today, context.overrides)
        principal = context.debt.summary.totals.overdue
        penalty = context.debt.penalty
        if terms is None or principal <= 0 or penalty.total <= 0:
            return ()
        discount = offered_total(penalty, terms.percent)
        if discount <= 0:
            return ()
        return (cls(terms, principal, penalty.total, discount, pay_by),)

    def wire(self) -> dict[str, Any]:
        return {
            "percent": str(self.terms.percent),
            "mandate": self.terms.mandate.wire(),
            "principal": money_str(self.principal),
            "penalty": money_str(self.penalty),
            "discount": money_str(self.discount),
            "pay_by": self.pay_by.isoformat() if self.pay_by else None,
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        mandate = self.terms.mandate
        osi = facts.creditor.form is CreditorForm.OSI
        percent = self.terms.percent
        return {
            "waiver": self.terms.waiver,
            "percent": f"{percent.normalize():f}".replace(".", ","),
            "body": BODIES[(mandate.body, osi)][lang],
            "protocol_number": mandate.protocol_number,
            "protocol_date": formats.day(mandate.protocol_date, lang),
            "principal": formats.money(self.principal, lang),
            "penalty": formats.money(self.penalty, lang),
            "discount": formats.money(self.discount, lang),
            "pay_by": formats.day(pay_by, lang)
            if (pay_by := self.pay_by or facts.deadline)
            else None,
        }
