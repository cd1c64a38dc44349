"""The penalty discount offer as creditor policy, valid only with its mandate (finding #36).

The offer's share is the ``penalty-discount`` policy setting (``legal/rules/policies.yaml``,
``percent``: 0 makes no offer, 100 writes the penalty off). Writing off or reducing penalty is
the association's decision, not the chairman's (research C.11: it needs a meeting or board
mandate), so the setting takes effect only with ``mandates.penalty_discount`` recorded on the
creditor (body, protocol number and date) and dated on or before the day the offer is made; a
policy change asking for an offer without one is refused (422 naming the missing mandate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from service.creditors.creditor import Creditor, Mandate, MandatePower
from service.errors import FieldError
from service.rules.engine import PolicyOverrides, Rulebook
from service.rules.model import ParamValue

SETTING = "penalty-discount"
PERCENT = "percent"
HUNDRED = Decimal(100)
ZERO_TO_HUNDRED = (Decimal(0), HUNDRED)


@dataclass(frozen=True)
class DiscountTerms:
    """The offer a document dated on a day makes: the share and the decision behind it."""

    percent: Decimal
    mandate: Mandate

    @property
    def waiver(self) -> bool:
        return self.percent == HUNDRED


def _percent(rulebook: Rulebook, day: dt.date, overrides: PolicyOverrides | None) -> Decimal | None:
    params, _, enabled = rulebook.parameters(SETTING, day, overrides)
    value = params.values[PERCENT]
    if not enabled or not isinstance(value, Decimal) or value <= 0:
        return None
    return value


def terms_on(
    rulebook: Rulebook,
    creditor: Creditor,
    day: dt.date,
    overrides: PolicyOverrides | None,
    *,
    made: bool = False,
) -> DiscountTerms | None:
    """The offer a document of ``creditor`` dated ``day`` makes, or ``None``: no share set, or
    no mandate on record by that day (then no offer is printed and none is honoured).

    ``made``: the document was issued and printed the offer; a mandate replaced since by a later
    decision does not take back an offer already made (the policy could only be set with a
    mandate dated by then: ``policy_errors``)."""
    percent = _percent(rulebook, day, overrides)
    mandate = creditor.mandate(MandatePower.PENALTY_DISCOUNT)
    if percent is None or mandate is None or (mandate.protocol_date > day and not made):
        return None
    return DiscountTerms(min(percent, HUNDRED), mandate)


def policy_errors(
    rulebook: Rulebook,
    creditor: Creditor,
    overrides: Mapping[str, Mapping[str, ParamValue]],
    effective_from: dt.date,
) -> list[FieldError]:
    """A change of ``penalty-discount`` that makes an offer needs its mandate on record."""
    if SETTING not in overrides:
        return []
    path = f"overrides.{SETTING}.{PERCENT}"
    value = overrides[SETTING].get(PERCENT)
    if isinstance(value, Decimal) and not ZERO_TO_HUNDRED[0] <= value <= ZERO_TO_HUNDRED[1]:
        return [FieldError(path, "range", "a share of the penalty: from 0 to 100")]
    percent = _percent(rulebook, effective_from, {SETTING: dict(overrides[SETTING])})
    if percent is None:
        return []
    mandate = creditor.mandate(MandatePower.PENALTY_DISCOUNT)
    if mandate is None:
        return [
            FieldError(
                path,
                "mandate_missing",
                "a penalty discount offer needs the mandate mandates.penalty_discount recorded "
                "on the creditor: the meeting or board decision (body, protocol number and "
                "date) authorising it (research C.11)",
            )
        ]
    if mandate.protocol_date > effective_from:
        return [
            FieldError(
                "effective_from",
                "before_mandate",
                f"the mandate mandates.penalty_discount is dated "
                f"{mandate.protocol_date.isoformat()}: the offer cannot take effect before it",
            )
        ]
    return []
