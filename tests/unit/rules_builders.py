"""Builders for rules, restructuring, claim and segment tests (pure data, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from functools import cache
from pathlib import Path

from service.domain.calendar import WorkCalendar
from service.domain.debt import Charge, Contribution, Payment, Period, compute_debt
from service.domain.restructuring import Agreement, AgreementTerms, build_schedule
from service.domain.rules import (
    CaseHistory,
    Delivery,
    DeliveryStatus,
    DocumentKind,
    IssuedDocument,
    Rulebook,
)
from service.legal.data import load_calendar
from service.legal.provisions import load_provisions
from service.legal.rules import load_rulebook

LEGAL = Path(__file__).resolve().parents[2] / "legal"
CUR, ACC, TGT, PRK = (
    Contribution.CURRENT,
    Contribution.ACCUMULATIVE,
    Contribution.TARGET,
    Contribution.PARKING,
)


DEFAULT_TERMS = AgreementTerms(grace_days=5, default_after_days=30)


@cache
def kz() -> WorkCalendar:
    return load_calendar(LEGAL)


@cache
def rulebook() -> Rulebook:
    return load_rulebook(LEGAL, load_provisions(LEGAL))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def monthly(first: str, last: str, amount: str = "9360.00") -> list[Charge]:
    start, end = Period.parse(first), Period.parse(last)
    charges, period = [], start
    while period <= end:
        charges.append(Charge(period, CUR, D(amount)))
        period = period.next()
    return charges


def target(due: str, amount: str = "5000.00") -> Charge:
    """A target contribution due on the date the meeting set (housing law 34-1 p. 4)."""
    day = d(due)
    return Charge(Period(day.year, day.month), TGT, D(amount), due_date=day)


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
    deliveries = ()
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
