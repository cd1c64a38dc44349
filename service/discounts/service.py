"""The case's debt with the penalty discounts its letters offered and the debtor earned (#36).

One computation for every reader of the penalty (the case, the claim, every document): the debt
on a day (``service.cases.case.assess``), the case history, the offers its warnings made (the
``penalty-discount`` policy in force on each warning's date, with its mandate), and the
discounts of those whose condition is met (``service.discounts.offer``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from service.cases.case import CaseDebt, DebtCase, assess
from service.creditors.creditor import Creditor
from service.deliveries.outcome import RECEIPT_ONLY
from service.discounts.offer import PenaltyOffer, grant, schedule_deadline
from service.discounts.policy import terms_on
from service.law.context import LawContext
from service.rules import service as rules
from service.rules.coverage import in_force
from service.rules.history import CaseHistory, DocumentKind

OFFERING_KINDS = (DocumentKind.WARNING.value,)
"""The letters that print the offer with their deadline to pay the principal by (a
restructuring agreement prints it too, with its schedule's date: taken from the agreement)."""


def offers_of(
    session: Session, law: LawContext, creditor: Creditor, history: CaseHistory
) -> list[PenaltyOffer]:
    """The offers the case's letters made: those issued while the policy and its mandate held."""
    offers = []
    for document in history.documents:
        if document.kind not in OFFERING_KINDS or document.payment_deadline is None:
            continue
        day = document.issue_date
        if in_force(history, day, law.calendar) is not None:
            continue  # no offer is printed under a performing agreement (documents.offer)
        overrides = rules.overrides_for(session, creditor.id, day)
        terms = terms_on(law.rulebook, creditor, day, overrides, made=True)
        if terms is None:
            continue
        # The same term the ladder counts (legal review #13), from an actual receipt only.
        deadline = law.calendar.term_from_receipt(
            day, document.payment_deadline, document.delivered_on(RECEIPT_ONLY)
        )
        offers.append(PenaltyOffer(document.id, day, deadline, terms.percent))
    for agreement in history.agreements:
        # A signed agreement that does not waive the penalty outright: the principal it
        # acknowledges, paid by the schedule's last date (with its grace days).
        schedule = agreement.schedule
        issued = agreement.issued_on
        if agreement.signed_on is None or issued is None or not schedule.instalments:
            continue
        if schedule.penalty_waived > 0:
            continue
        overrides = rules.overrides_for(session, creditor.id, issued)
        terms = terms_on(law.rulebook, creditor, issued, overrides, made=True)
        if terms is None:
            continue
        pay_by = schedule_deadline(
            schedule.instalments[-1].due_date, agreement.terms.grace_days, law.calendar
        )
        offers.append(
            PenaltyOffer(agreement.document_id or agreement.id, issued, pay_by, terms.percent)
        )
    return offers


def assess_case(
    session: Session, case: DebtCase, creditor: Creditor, on: dt.date, law: LawContext
) -> tuple[CaseDebt, CaseHistory]:
    """The case's debt on ``on``, penalty net of the discounts earned, and its history."""
    debt = assess(case, on, law.calendar, law.penalty_policy)
    history = rules.case_history(session, case, debt.summary)
    offers = offers_of(session, law, creditor, history)
    return grant(case, debt, offers, law.calendar, law.penalty_policy), history
