"""How a housing association may enforce an unpaid contribution (housing law art. 34-1 p. 10)."""

from __future__ import annotations

from enum import StrEnum


class Route(StrEnum):
    """The only lawful routes for an ОСИ debt: a notary's executive inscription or a court."""

    NOTARY = "notary"
    COURT = "court"
