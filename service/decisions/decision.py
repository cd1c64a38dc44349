"""A rule decision as recorded: what was asked, what the rules said, which rules said it.

Pure: built from the rules' ``Evaluation`` (dates and ids in, a frozen dataclass out). Only real
issuing attempts are recorded — an allowed issue inside its own transaction, a refusal apart
after the issuing transaction rolled back; the dry runs (``:explain``, ``:preview``) are not
decisions and are not recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from service.rules.model import Evaluation, Outcome


class DecisionOutcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"


@dataclass(frozen=True)
class RuleVerdict:
    """One rule's part in a decision."""

    rule: str
    kind: str
    """``law``, ``policy`` or ``contract``."""
    outcome: str
    """``pass``, ``fail``, ``not_applicable`` or ``disabled``."""
    provisions: tuple[str, ...]
    passes_on: dt.date | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "outcome": self.outcome,
            "provisions": list(self.provisions),
            "passes_on": self.passes_on.isoformat() if self.passes_on else None,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> RuleVerdict:
        passes_on = data.get("passes_on")
        return cls(
            rule=str(data["rule"]),
            kind=str(data["kind"]),
            outcome=str(data["outcome"]),
            provisions=tuple(data.get("provisions") or ()),
            passes_on=dt.date.fromisoformat(passes_on) if passes_on else None,
        )


@dataclass(frozen=True)
class RuleDecision:
    creditor_id: str
    case_id: str
    case_external_id: str
    kind: str
    """The document kind asked for."""
    language: str
    route: str | None
    requested_at: dt.datetime
    on_date: dt.date
    outcome: DecisionOutcome
    verdicts: tuple[RuleVerdict, ...]
    actor: str
    document_id: str | None = None
    """The document issued (allowed decisions only)."""

    @property
    def failed(self) -> tuple[RuleVerdict, ...]:
        return tuple(v for v in self.verdicts if v.outcome == Outcome.FAIL.value)

    @property
    def passes_on(self) -> dt.date | None:
        """The day the refusal lifts if only time blocks it (every failed rule has a date)."""
        dates = [v.passes_on for v in self.failed]
        if not dates or any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)


def decide(
    evaluation: Evaluation,
    *,
    creditor_id: str,
    case_id: str,
    case_external_id: str,
    requested_at: dt.datetime,
    actor: str,
    document_id: str | None = None,
) -> RuleDecision:
    """The decision the rules took on an issuing attempt (every rule of the trace)."""
    verdicts = tuple(
        RuleVerdict(
            rule=entry.rule,
            kind=entry.kind.value,
            outcome=entry.outcome.value,
            provisions=(entry.violation.provision,)
            if entry.violation is not None and entry.violation.provision
            else tuple(entry.provisions),
            passes_on=entry.violation.passes_on if entry.violation is not None else None,
        )
        for entry in evaluation.trace
    )
    requested = evaluation.requested
    return RuleDecision(
        creditor_id=creditor_id,
        case_id=case_id,
        case_external_id=case_external_id,
        kind=requested.kind,
        language=requested.language,
        route=requested.route.value if requested.route is not None else None,
        requested_at=requested_at,
        on_date=evaluation.on_date,
        outcome=DecisionOutcome.ALLOWED if evaluation.allowed else DecisionOutcome.REFUSED,
        verdicts=verdicts,
        actor=actor,
        document_id=document_id,
    )
