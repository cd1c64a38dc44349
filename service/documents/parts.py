"""Facts several kinds state: the two-month gate, the venue, a written acknowledgment.

Each part knows its stored form (``wire``) and what the templates read (``view``); a view is
``None`` when there is nothing to print, so a template never prints a label without its value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from service.agreements.restructuring import Acknowledgment
from service.cases.case import DebtCase
from service.cases.debt import DebtSummary
from service.claims.claim import Claim
from service.creditors.creditor import Creditor
from service.documents import formats
from service.documents.facts import DocumentFacts
from service.documents.wording import property_address
from service.kernel.money import ZERO, money_str
from service.kernel.route import Route
from service.kernel.text import Lang, Localized
from service.kernel.words import nbsp_abbreviations
from service.rules.coverage import AgreementRef


@dataclass(frozen=True)
class Enforcement:
    """When the two-month gate (housing law art. 34-1 p. 10) opens for the oldest unpaid item,
    and how much is past it: what a warning or a pre-court letter states."""

    name: ClassVar[str] = "enforcement"
    gate_opens: dt.date | None
    past_gate_total: Decimal

    @classmethod
    def of(cls, summary: DebtSummary) -> Enforcement:
        return cls(summary.earliest_gate_opening, summary.totals.past_gate)

    def wire(self) -> dict[str, Any]:
        return {
            "gate_opens": self.gate_opens.isoformat() if self.gate_opens else None,
            "past_gate_total": money_str(self.past_gate_total),
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        past = self.past_gate_total
        current = max(facts.debt.summary.totals.overdue - past, ZERO)
        opens = self.gate_opens
        return {
            "gate_opens": formats.day(opens, lang) if opens else None,
            "open": opens is not None and opens <= facts.issue_date,
            "past_gate": formats.money(past, lang) if past > 0 else None,
            "current": formats.money(current, lang) if current > 0 else None,
        }


@dataclass(frozen=True)
class Venue:
    """Where the notary (notary law art. 92-2 p. 3) or the court (ГПК art. 29) may be seized:
    the debtor's address as the client sent it, and the property's address."""

    name: ClassVar[str] = "venue"
    debtor_address: str | None
    """The debtor's postal address as given (its Russian form when given in both languages)."""
    property_address: Localized
    debtor_address_kk: str | None = None
    """Its Kazakh form, when the client gave one (#18); otherwise the one string prints."""

    @classmethod
    def of(cls, case: DebtCase, creditor: Creditor) -> Venue:
        unit = case.unit
        postal = case.debtor.postal()
        return cls(
            debtor_address=postal.ru if postal else None,
            debtor_address_kk=postal.kk if postal and postal.kk != postal.ru else None,
            property_address=Localized(
                kk=property_address(creditor.address.kk, unit.type, unit.number, "kk"),
                ru=property_address(creditor.address.ru, unit.type, unit.number, "ru"),
            ),
        )

    def wire(self) -> dict[str, Any]:
        wire = {
            "debtor_address": self.debtor_address,
            "property_address": self.property_address.ru,
            "property_address_kk": self.property_address.kk,
        }
        if self.debtor_address_kk is not None:
            wire["debtor_address_kk"] = self.debtor_address_kk
        return wire

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        debtor = (lang == "kk" and self.debtor_address_kk) or self.debtor_address
        return {
            "debtor_address": nbsp_abbreviations(debtor) if debtor else None,
            "property_address": nbsp_abbreviations(self.property_address[lang]),
        }


@dataclass(frozen=True)
class AcknowledgmentPart:
    """The latest written acknowledgment of the debt on record (notary law art. 92-1 p. 3:
    penalty goes to the notary route only with one), or ``None`` in the view."""

    name: ClassVar[str] = "acknowledgment"
    acknowledgment: Acknowledgment | None
    document_number: str | None = None
    """The outgoing number of the document that contains it, when there is one to quote."""

    def wire(self) -> dict[str, Any] | None:
        ack = self.acknowledgment
        return {"date": ack.date.isoformat(), "source": ack.source} if ack else None

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any] | None:
        ack = self.acknowledgment
        if ack is None:
            return None
        return {"date": formats.day(ack.date, lang), "number": self.document_number}


@dataclass(frozen=True)
class AcknowledgingDocument:
    """The document that holds the debtor's written acknowledgment, as a letter names it
    («соглашение № … от …», #12): an issued agreement has a number and an issue date."""

    source: str
    """``agreement``, ``letter`` (a signed reply) or another recorded form."""
    signed_on: dt.date
    number: str | None = None
    issued_on: dt.date | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "date": self.signed_on.isoformat(),
            "document_number": self.number,
            "document_date": self.issued_on.isoformat() if self.issued_on else None,
        }

    def view(self, lang: Lang) -> dict[str, Any]:
        issued = self.issued_on
        return {
            "agreement": self.source == "agreement",
            "number": self.number,
            "date": formats.day(issued, lang) if issued else None,
            "signed": formats.day(self.signed_on, lang),
            "signed_later": issued is not None and issued != self.signed_on,
        }


@dataclass(frozen=True)
class ClaimPart:
    """What a pre-court letter says may be enforced, and the penalty that goes to the notary or
    the court: the claim ``claims.claim.case_claim`` computes for the letter's route on its date,
    the very computation behind ``GET /v1/cases/{id}/claim`` (#11, #12, #32; notary law art. 92-1
    p. 3: penalty only with a written acknowledgment, on the items it covers)."""

    name: ClassVar[str] = "claim"
    claim: Claim
    acknowledged_in: AcknowledgingDocument | None = None

    @property
    def excluded_total(self) -> Decimal:
        return sum((x.item.amount for x in self.claim.excluded), ZERO)

    def wire(self) -> dict[str, Any]:
        penalty = self.claim.penalty
        return {
            "route": self.claim.route.value,
            "claim_date": self.claim.claim_date.isoformat(),
            "principal": money_str(self.claim.principal),
            "excluded": money_str(self.excluded_total),
            "penalty": {
                "included": money_str(penalty.included),
                "left_out": money_str(penalty.left_out),
            },
            "acknowledgment": self.acknowledged_in.wire() if self.acknowledged_in else None,
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        claim, penalty = self.claim, self.claim.penalty
        to_pay = facts.debt.summary.totals.overdue
        excluded = self.excluded_total
        enforceable = claim.principal + excluded
        return {
            # One total to pay by the deadline (the payment table's sum) and, of it, what may
            # be enforced (#11): the items past the two-month gate (housing law 34-1 p. 10).
            "to_pay": formats.money(to_pay, lang),
            "enforceable": formats.money(enforceable, lang),
            "all_enforceable": enforceable == to_pay,
            # Past the gate but not for a notary (right to claim older than 3 years, 92-2).
            "excluded": formats.money(excluded, lang) if excluded > 0 else None,
            "penalty": formats.money(penalty.included, lang) if penalty.included > 0 else None,
            "penalty_rest": (
                formats.money(penalty.left_out, lang) if penalty.left_out > 0 else None
            ),
            "court": claim.route is Route.COURT,
            "acknowledgment": self.acknowledged_in.view(lang) if self.acknowledged_in else None,
        }


@dataclass(frozen=True)
class AgreementPart:
    """The restructuring agreement a letter must name (legal review #2, #12): one in force, whose
    debt a reminder or a warning leaves out (it claims only newer arrears and offers no new
    agreement), or one in default, which a pre-court letter names with its default clause."""

    name: ClassVar[str] = "agreement"
    ref: AgreementRef
    offer_new: bool = False
    """Whether the letter may still offer a new agreement (after a default: creditor policy
    ``restructuring-terms.offer_after_default``; while one is in force: never)."""

    @property
    def defaulted(self) -> bool:
        return self.ref.status.defaulted_on is not None

    def wire(self) -> dict[str, Any]:
        defaulted_on = self.ref.status.defaulted_on
        return {
            "number": self.ref.number,
            "date": self.ref.date.isoformat(),
            "state": self.ref.status.state.value,
            "defaulted_on": defaulted_on.isoformat() if defaulted_on else None,
            "default_clause": self.ref.default_clause if defaulted_on else None,
            "default_after_days": self.ref.agreement.terms.default_after_days,
            "offer_new": self.offer_new,
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        defaulted_on = self.ref.status.defaulted_on
        return {
            "number": self.ref.number,
            "date": formats.day(self.ref.date, lang),
            "in_force": not self.defaulted,
            "defaulted": self.defaulted,
            "defaulted_on": formats.day(defaulted_on, lang) if defaulted_on else None,
            "default_clause": self.ref.default_clause,
            "default_after_days": str(self.ref.agreement.terms.default_after_days),
            "offer_new": self.offer_new,
        }
