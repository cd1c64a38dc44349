"""Напоминание / Ескерту хат: the first, friendly notice that contributions are overdue.

Cites the basis of the contributions and their due date (housing law art. 34 p. 3, art. 34-1
p. 1, p. 8) and the chairman's duty to collect (art. 51-1 p. 5 sub-para 12). No enforcement
language: a reminder threatens nothing. While a restructuring agreement is in force it claims
only the arrears outside it and names the agreement (legal review #2).
"""

from __future__ import annotations

from service.documents.kinds.spec import (
    COMMON,
    CONTRIBUTION_BASIS,
    PENALTY_BASIS,
    PERSONAL_DATA,
    KindSpec,
    agreement_in_force_part,
)

SPEC = KindSpec(
    name="reminder",
    cites=(
        *CONTRIBUTION_BASIS,
        *PENALTY_BASIS,
        "housing-51-1-p5-12",
        *PERSONAL_DATA,
    ),
    required=COMMON,
    parts=agreement_in_force_part,
)
