"""Досудебная претензия / Сотқа дейінгі талап: the last letter before a notary or a court.

Names its route — a notary's executive inscription or a court claim, the only lawful routes
for contributions (housing law art. 34-1 p. 10) — and cites the route's law: for a notary the
venue (notary law art. 92-2 p. 3), the objection (92-6) and its effect (92-8); for a court the
venue (ГПК art. 29) and no notary law at all. Claims only what is past the gate.

What it says may be enforced and the penalty it says goes to the notary or the court are the
claim of ``claims.claim.case_claim`` for its route on its date, the computation behind the claim
endpoint (#11, #12, #32): one truth for amounts.
"""

from __future__ import annotations

from service.claims.claim import Claim, case_claim
from service.documents.facts import FactPart
from service.documents.kinds import spec
from service.documents.kinds.warning import enforcement_parts
from service.documents.parts import AcknowledgingDocument, ClaimPart, Venue
from service.kernel.route import Route
from service.rules.history import CaseHistory


def pretrial_parts(context: spec.FactsContext) -> tuple[FactPart, ...]:
    route = context.request.route or Route.NOTARY
    claim = case_claim(
        context.case, context.creditor, context.debt, context.history, route, context.law.calendar
    )
    return (
        *enforcement_parts(context),
        Venue.of(context.case, context.creditor),
        ClaimPart(claim, acknowledging_document(claim, context.history)),
        *spec.agreement_defaulted_part(context),
    )


def acknowledging_document(claim: Claim, history: CaseHistory) -> AcknowledgingDocument | None:
    """The document holding the acknowledgment the claim relied on, by its number and date."""
    ack = claim.penalty.acknowledgment
    if ack is None:
        return None
    document = next((d for d in history.documents if d.id == ack.document_id), None)
    return AcknowledgingDocument(
        source=ack.source,
        signed_on=ack.date,
        number=document.number if document else None,
        issued_on=document.issue_date if document else None,
    )


SPEC = spec.KindSpec(
    name="pretrial",
    cites_by_route={
        Route.NOTARY: (
            *spec.CONTRIBUTION_BASIS,
            *spec.ENFORCEMENT_BASIS,
            "gk-353",
            *spec.UNDISPUTED,
            "notary-92-2-p3",
            "notary-92-6",
            "notary-92-8",
            "housing-51-1-p5-12",
            *spec.PERSONAL_DATA,
        ),
        Route.COURT: (
            *spec.CONTRIBUTION_BASIS,
            *spec.PENALTY_BASIS,
            "housing-34-1-p10",
            "gpk-29",
            "housing-51-1-p5-12",
            *spec.PERSONAL_DATA,
        ),
    },
    required=(
        *spec.COMMON,
        *spec.BASIS,
        *spec.GATE,
        "debt.totals.past_gate",
        "venue.property_address",
    ),
    parts=pretrial_parts,
)
