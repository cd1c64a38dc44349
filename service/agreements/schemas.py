"""Signing an agreement, recording an acknowledgment, and what is returned about them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from service.agreements.restructuring import AgreementStatus, AgreementTerms, InstalmentStatus
from service.kernel.money import money_str
from service.kit.fields import In, Note, Out


class SignatureIn(In):
    """The debtor signed the agreement on ``signed_on`` (this dates its acknowledgment)."""

    signed_on: dt.date
    note: Note | None = None


AcknowledgmentSource = Literal["letter", "notarised_statement", "protocol", "other"]


class AcknowledgmentIn(In):
    """A written acknowledgment of the debt recorded apart from an agreement (ГК art. 183)."""

    date: dt.date
    source: AcknowledgmentSource
    notarised: bool = False
    """Whether a notary certified it (notary law art. 92-1 p. 3 asks for that unless the
    contract says otherwise)."""
    document_id: Annotated[str, Field(max_length=36)] | None = None
    note: Note | None = None


class AcknowledgmentOut(Out):
    id: str
    date: dt.date
    source: str
    notarised: bool
    document_id: str | None
    note: str | None


class AcknowledgmentsOut(Out):
    case: str
    acknowledgments: list[AcknowledgmentOut]


class TermsOut(Out):
    grace_days: int
    default_after_days: int


class InstalmentOut(Out):
    number: int
    due: dt.date
    deadline: dt.date
    total: str
    paid: str
    outstanding: str
    paid_in_full_on: dt.date | None
    days_late: int
    status: str

    @classmethod
    def of(cls, s: InstalmentStatus, as_of: dt.date, terms: AgreementTerms) -> InstalmentOut:
        return cls(
            number=s.instalment.number,
            due=s.instalment.due_date,
            deadline=s.deadline,
            total=money_str(s.instalment.total),
            paid=money_str(s.paid),
            outstanding=money_str(s.outstanding),
            paid_in_full_on=s.paid_in_full_on,
            days_late=s.days_late,
            status=s.state(as_of, terms).value,
        )


class AgreementAcknowledgmentOut(Out):
    date: dt.date
    source: str
    provisions: list[str]


ACKNOWLEDGMENT_PROVISIONS = ["gk-183", "notary-92-1-p3"]


class AgreementOut(Out):
    id: str
    document_id: str
    number: str
    issued_on: dt.date
    signed_on: dt.date | None
    state: str
    as_of: dt.date
    terms: TermsOut
    total: str
    paid: str
    outstanding: str
    defaulted_on: dt.date | None
    acknowledgment: AgreementAcknowledgmentOut | None
    payments_counted: str
    instalments: list[InstalmentOut]

    @classmethod
    def of(
        cls,
        *,
        agreement_id: str,
        document_id: str,
        number: str,
        issued_on: dt.date,
        signed_on: dt.date | None,
        terms: AgreementTerms,
        status: AgreementStatus,
    ) -> AgreementOut:
        return cls(
            id=agreement_id,
            document_id=document_id,
            number=number,
            issued_on=issued_on,
            signed_on=signed_on,
            state=status.state.value,
            as_of=status.as_of,
            terms=TermsOut(
                grace_days=terms.grace_days, default_after_days=terms.default_after_days
            ),
            total=money_str(status.paid + status.outstanding),
            paid=money_str(status.paid),
            outstanding=money_str(status.outstanding),
            defaulted_on=status.defaulted_on,
            acknowledgment=AgreementAcknowledgmentOut(
                date=signed_on, source="agreement", provisions=ACKNOWLEDGMENT_PROVISIONS
            )
            if signed_on
            else None,
            payments_counted="case payments dated on or after the signing date",
            instalments=[InstalmentOut.of(s, status.as_of, terms) for s in status.instalments],
        )


class AgreementsOut(Out):
    case: str
    as_of: dt.date
    agreements: list[AgreementOut]
