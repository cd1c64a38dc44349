"""The law as the service applies it: provisions, the working-day calendar, the penalty rate
table and the rulebook, built once from ``legal/`` and handed to whoever needs them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from service.cases.penalty import PenaltyPolicy
from service.kernel.calendar import WorkCalendar
from service.law.provisions import Provision
from service.rules.engine import Rulebook


@dataclass(frozen=True)
class LawContext:
    provisions: Mapping[str, Provision]
    """Provision id → provision with its editions (``legal/provisions``)."""
    calendar: WorkCalendar
    """Non-working days in Kazakhstan (``legal/calendar``), for ГК 175 and working-day counts."""
    penalty_policy: PenaltyPolicy
    """The penalty rate table and day count (``legal/penalty``): policy, never law."""
    rulebook: Rulebook
    """The ladder's checks and policy parameter sets (``legal/rules``)."""

    def unknown_provisions(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` the registry does not have (a citation must name a real provision)."""
        return sorted(set(ids) - set(self.provisions))
