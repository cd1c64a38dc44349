"""Досудебная претензия / Сотқа дейінгі талап: the last letter before a notary or a court.

Names its route — a notary's executive inscription or a court claim, the only lawful routes
for contributions (housing law art. 34-1 p. 10) — and cites the route's law: for a notary the
venue (notary law art. 92-2 p. 3), the objection (92-6) and its effect (92-8); for a court the
venue (ГПК art. 29) and no notary law at all. Claims only what is past the gate.
"""

from __future__ import annotations

from service.documents.facts import FactPart
from service.documents.kinds import spec
from service.documents.kinds.warning import enforcement_parts
from service.documents.parts import Venue
from service.kernel.route import Route


def pretrial_parts(context: spec.FactsContext) -> tuple[FactPart, ...]:
    return (*enforcement_parts(context), Venue.of(context.case, context.creditor))


SPEC = spec.KindSpec(
    name="pretrial",
    cites_by_route={
        Route.NOTARY: (
            *spec.CONTRIBUTION_BASIS,
            *spec.ENFORCEMENT_BASIS,
            "notary-92-2-p3",
            "notary-92-6",
            "notary-92-8",
            "housing-51-1-p5-12",
        ),
        Route.COURT: (
            *spec.CONTRIBUTION_BASIS,
            "housing-34-1-p9",
            "housing-34-1-p10",
            "gpk-29",
            "housing-51-1-p5-12",
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
