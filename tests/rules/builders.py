"""Builders for pure tests of the rules: a case's history, documents with deliveries, signed
agreements, and the rulebook from ``legal/``."""

from __future__ import annotations

from decimal import Decimal as D

from service.agreements.restructuring import Agreement, AgreementTerms, build_schedule
from service.cases.debt import Charge, Payment, compute_debt
from service.kernel.calendar import WorkCalendar
from service.rules import (
    CaseHistory,
    Delivery,
    DeliveryStatus,
    DocumentKind,
    IssuedDocument,
    Rulebook,
)
from tests.cases.builders import d, kz, law

DEFAULT_TERMS = AgreementTerms(grace_days=5, default_after_days=30)


def rulebook() -> Rulebook:
    return law().rulebook


def history(
    charges: list[Charge],
    as_of: str,
    payments: list[Payment] | None = None,
    documents: tuple[IssuedDocument, ...] = (),
    agreements: tuple[Agreement, ...] = (),
    calendar: WorkCalendar | None = None,
) -> CaseHistory:
    summary = compute_debt(charges, payments or [], d(as_of), calendar or kz())
    return CaseHistory(debt=summary, documents=documents, agreements=agreements)


def document(
    kind: DocumentKind,
    issued: str,
    delivered: str | None = None,
    status: DeliveryStatus = DeliveryStatus.DELIVERED,
    deadline: str | None = None,
    number: str = "00001",
) -> IssuedDocument:
    deliveries: tuple[Delivery, ...] = ()
    if delivered is not None or status is not DeliveryStatus.DELIVERED:
        deliveries = (Delivery("registered_post", status, d(delivered) if delivered else None),)
    return IssuedDocument(
        kind=kind,
        id=f"{kind.value}-{number}",
        number=number,
        issue_date=d(issued),
        payment_deadline=d(deadline) if deadline else None,
        deliveries=deliveries,
    )


def signed_agreement(
    case: CaseHistory,
    installments: int,
    first_due: str,
    issued: str,
    signed: str,
    terms: AgreementTerms = DEFAULT_TERMS,
) -> Agreement:
    schedule = build_schedule(case.debt.overdue_lines, D("0"), installments, d(first_due))
    return Agreement("agr-1", schedule, terms).issue(d(issued)).sign(d(signed))
