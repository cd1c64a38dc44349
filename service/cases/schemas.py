"""Cases as clients send them (``shared/contract/case.json``) and the computed debt returned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from service.cases.case import CaseDebt, DebtCase
from service.cases.debt import Contribution, DebtLine
from service.cases.penalty import PenaltyResult, PenaltySegment
from service.kernel.money import money_str
from service.kit.fields import (
    Amount,
    GivenText,
    Identifier,
    Iin,
    In,
    Note,
    Out,
    PeriodText,
    PrintedIn,
    Text,
)


class DebtorIn(PrintedIn):
    full_name: Text
    iin: Iin | None = None
    language: Literal["kk", "ru"] = "kk"
    email: Text | None = None
    phone: Text | None = None
    postal_address: GivenText | None = None
    """One string, or ``{"kk": …, "ru": …}``: a Kazakh text prints the Kazakh form (#18)."""


class UnitIn(PrintedIn):
    type: Literal["flat", "non_residential", "parking", "storage"]
    number: Annotated[str, Field(min_length=1, max_length=20)]
    area_m2: Amount | None = None


class MeetingProtocolIn(PrintedIn):
    number: Annotated[str, Field(min_length=1, max_length=50)]
    date: dt.date


class BasisIn(PrintedIn):
    contribution: Contribution
    protocol: MeetingProtocolIn
    monthly_amount: Amount | None = None


class ChargeIn(PrintedIn):
    period: PeriodText
    contribution: Contribution
    amount: Amount
    due_date: dt.date | None = None

    @model_validator(mode="after")
    def _target_needs_due_date(self) -> ChargeIn:
        if self.contribution is Contribution.TARGET and self.due_date is None:
            raise PydanticCustomError(
                "due_date_required",
                "a target contribution is due on the date the meeting set (housing law "
                "art. 34-1 p. 4): send due_date",
                {"field": "due_date"},
            )
        return self


class PaymentIn(PrintedIn):
    date: dt.date
    amount: Amount
    reference: Annotated[str, Field(max_length=200)] | None = None


class CaseIn(PrintedIn):
    external_id: Identifier | None = None
    debtor: DebtorIn
    unit: UnitIn
    basis: Annotated[list[BasisIn], Field(min_length=1)]
    charges: list[ChargeIn] = Field(default_factory=list)
    payments: list[PaymentIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_duplicate_charges(self) -> CaseIn:
        seen: set[tuple[str, str]] = set()
        for index, charge in enumerate(self.charges):
            key = (charge.period, charge.contribution.value)
            if key in seen:
                raise PydanticCustomError(
                    "charge_duplicate",
                    "charge for {period} {contribution} is listed twice",
                    {"period": key[0], "contribution": key[1], "field": f"charges.{index}.period"},
                )
            seen.add(key)
        return self


class HardshipIn(In):
    """A hardship flag from ``date``; ``active: false`` records that the hardship ended."""

    date: dt.date
    active: bool = True
    note: Note | None = None


class HardshipOut(Out):
    case: str
    date: dt.date
    active: bool
    note: str | None
    recorded_at: dt.datetime


class DebtLineOut(Out):
    period: str
    contribution: str
    charged: str
    paid: str
    outstanding: str
    due_date: dt.date
    days_overdue: int
    overdue: bool
    gate_opens: dt.date
    past_gate: bool

    @classmethod
    def of(cls, line: DebtLine) -> DebtLineOut:
        return cls(
            period=str(line.period),
            contribution=line.contribution.value,
            charged=money_str(line.charged),
            paid=money_str(line.paid),
            outstanding=money_str(line.outstanding),
            due_date=line.due_date,
            days_overdue=line.days_overdue,
            overdue=line.overdue,
            gate_opens=line.gate_opens,
            past_gate=line.past_gate,
        )


class PenaltyLineOut(Out):
    period: str
    contribution: str
    base: str
    rate: str
    from_: Annotated[dt.date, Field(alias="from")]
    to: dt.date
    days: int
    amount: str

    @classmethod
    def of(cls, segment: PenaltySegment) -> PenaltyLineOut:
        return cls.model_validate(
            {
                "period": str(segment.period),
                "contribution": segment.contribution.value,
                "base": money_str(segment.base),
                "rate": str(segment.rate),
                "from": segment.start,
                "to": segment.end,
                "days": segment.days,
                "amount": money_str(segment.amount),
            }
        )


class PenaltyDiscountOut(Out):
    """Penalty on one line written off: the offer's condition was met (finding #36)."""

    period: str
    contribution: str
    amount: str
    document_id: str


class PenaltyOut(Out):
    total: str
    """What is owed: ``accrued`` less ``discounted``."""
    accrued: str
    discounted: str
    provision: str
    rate_source: dict[str, str]
    day_count: int
    lines: list[PenaltyLineOut]
    discounts: list[PenaltyDiscountOut]

    @classmethod
    def of(cls, penalty: PenaltyResult) -> PenaltyOut:
        return cls(
            total=money_str(penalty.total),
            accrued=money_str(penalty.accrued),
            discounted=money_str(penalty.discounted),
            provision=penalty.policy.provision,
            rate_source=dict(penalty.policy.source),
            day_count=penalty.policy.day_count,
            lines=[PenaltyLineOut.of(s) for s in penalty.segments],
            discounts=[
                PenaltyDiscountOut(
                    period=str(d.period),
                    contribution=d.contribution.value,
                    amount=money_str(d.amount),
                    document_id=d.document_id,
                )
                for d in penalty.discounts
            ],
        )


class DebtTotalsOut(Out):
    charged: str
    paid: str
    outstanding: str
    overdue: str
    past_gate: str
    unallocated: str
    penalty: str


class DebtOut(Out):
    """The computed debt: amounts as decimal strings, dates ISO, penalty apart."""

    as_of: dt.date
    totals: DebtTotalsOut
    enforcement_gate_opens: dt.date | None
    lines: list[DebtLineOut]
    penalty: PenaltyOut

    @classmethod
    def of(cls, debt: CaseDebt) -> DebtOut:
        summary, totals = debt.summary, debt.summary.totals
        return cls(
            as_of=summary.as_of,
            totals=DebtTotalsOut(
                charged=money_str(totals.charged),
                paid=money_str(totals.paid),
                outstanding=money_str(totals.outstanding),
                overdue=money_str(totals.overdue),
                past_gate=money_str(totals.past_gate),
                unallocated=money_str(totals.unallocated),
                penalty=money_str(debt.penalty.total),
            ),
            enforcement_gate_opens=summary.earliest_gate_opening,
            lines=[DebtLineOut.of(line) for line in summary.lines],
            penalty=PenaltyOut.of(debt.penalty),
        )


class DebtorOut(Out):
    full_name: str
    iin: str | None


class CaseOut(Out):
    external_id: str
    debtor: DebtorOut
    debt: DebtOut

    @classmethod
    def of(cls, case: DebtCase, debt: CaseDebt) -> CaseOut:
        return cls(
            external_id=case.external_id,
            debtor=DebtorOut(full_name=case.debtor.full_name, iin=case.debtor.iin),
            debt=DebtOut.of(debt),
        )
