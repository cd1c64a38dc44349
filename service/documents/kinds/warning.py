"""Официальное предупреждение / Ресми ескерту: the lawful consequences, before they happen.

States when the two-month gate opens (housing law art. 34-1 p. 10: a notary's executive
inscription or a court claim), the penalty (art. 34-1 p. 9; the rate per ГК art. 353) and, if the
debtor acknowledged the debt in writing, that the penalty may go to a notary (notary law art. 92-1
p. 3). Everything a notary or court would need (БИН, meeting protocols) must be on it.
"""

from __future__ import annotations

from service.documents.facts import FactPart
from service.documents.kinds.spec import (
    BASIS,
    COMMON,
    CONTRIBUTION_BASIS,
    ENFORCEMENT_BASIS,
    GATE,
    PERSONAL_DATA,
    UNDISPUTED,
    FactsContext,
    KindSpec,
    agreement_in_force_part,
)
from service.documents.offer import PenaltyOfferPart
from service.documents.parts import AcknowledgmentPart, Enforcement


def enforcement_parts(context: FactsContext) -> tuple[FactPart, ...]:
    """The gate and the latest written acknowledgment: what a warning and a pre-court letter
    both state."""
    acknowledgments = context.history.all_acknowledgments()
    latest = acknowledgments[-1] if acknowledgments else None
    quoted = latest.document_id if latest else None
    number = next((d.number for d in context.history.documents if d.id == quoted), None)
    return (
        Enforcement.of(context.debt.summary),
        AcknowledgmentPart(latest, document_number=number),
    )


def warning_parts(context: FactsContext) -> tuple[FactPart, ...]:
    """The gate and acknowledgment, the penalty discount offer if the creditor makes one (#36:
    its policy with a meeting or board mandate on record), and the agreement in force whose debt
    the warning leaves out (legal review #2). Then the warning states only newer arrears, and an
    acknowledgment quoted for them must postdate one of them: the agreement's own acknowledges
    only the debt it covers (notary law art. 92-1 p. 3)."""
    agreement = agreement_in_force_part(context)
    parts = (*enforcement_parts(context), *PenaltyOfferPart.of(context))
    if not agreement:
        return parts
    due = [line.due_date for line in context.debt.summary.overdue_lines]
    later = [a for a in context.history.all_acknowledgments() if due and a.date > min(due)]
    latest = later[-1] if later else None
    number = next(
        (d.number for d in context.history.documents if latest and d.id == latest.document_id),
        None,
    )
    kept = tuple(p for p in parts if not isinstance(p, AcknowledgmentPart))
    return (*kept, AcknowledgmentPart(latest, document_number=number), *agreement)


SPEC = KindSpec(
    name="warning",
    cites=(
        *CONTRIBUTION_BASIS,
        *ENFORCEMENT_BASIS,
        "gk-353",
        *UNDISPUTED,
        "housing-51-1-p5-12",
        *PERSONAL_DATA,
    ),
    required=(*COMMON, *BASIS, *GATE),
    parts=warning_parts,
)
