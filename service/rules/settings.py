"""Typed access to the policy parameter sets that are not checks (``legal/rules/policies.yaml``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.agreements.restructuring import AgreementTerms
from service.cases.debt import Account
from service.rules.engine import PolicyOverrides, Rulebook

RESTRUCTURING_TERMS = "restructuring-terms"
SEGMENTATION = "segmentation"


@dataclass(frozen=True)
class RestructuringDefaults:
    terms: AgreementTerms
    penalty_account: Account
    penalty_accrues: bool
    """Penalty keeps accruing on the scheduled debt while the schedule is performed (to-confirm;
    the agreement states either way, review #9)."""


@dataclass(frozen=True)
class SegmentationPolicy:
    lookback_months: int
    good_record_months: int
    chronic_episodes: int
    chronic_months: int
    broken_promise_episodes: int = 1
    """How many arrears episodes a promise to pay broken within the look-back counts as."""


def restructuring_defaults(
    rulebook: Rulebook, on_date: dt.date, overrides: PolicyOverrides | None = None
) -> RestructuringDefaults:
    """Terms to write into an agreement drafted on ``on_date`` for this creditor."""
    params, _, _ = rulebook.parameters(RESTRUCTURING_TERMS, on_date, overrides)
    return RestructuringDefaults(
        terms=AgreementTerms(
            grace_days=params.int("grace_days"),
            default_after_days=params.int("default_after_days"),
        ),
        penalty_account=Account(str(params.values["penalty_account"])),
        penalty_accrues=params.bool("penalty_accrues_during_performance"),
    )


def offer_after_default(
    rulebook: Rulebook, on_date: dt.date, overrides: PolicyOverrides | None = None
) -> bool:
    """Whether a pre-court letter after a defaulted agreement offers a new one (legal review
    #12; default no, to-confirm)."""
    params, _, _ = rulebook.parameters(RESTRUCTURING_TERMS, on_date, overrides)
    return params.bool("offer_after_default")


def segmentation_policy(
    rulebook: Rulebook, on_date: dt.date, overrides: PolicyOverrides | None = None
) -> SegmentationPolicy:
    params, _, _ = rulebook.parameters(SEGMENTATION, on_date, overrides)
    return SegmentationPolicy(
        lookback_months=params.int("lookback_months"),
        good_record_months=params.int("good_record_months"),
        chronic_episodes=params.int("chronic_episodes"),
        chronic_months=params.int("chronic_months"),
        broken_promise_episodes=params.int("broken_promise_episodes"),
    )
