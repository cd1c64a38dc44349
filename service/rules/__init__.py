"""Rules a document must pass before it goes out: law (cannot be switched off) and policy.

Pure modules: ``model`` (shapes), ``history`` (what the rules look at), ``ladder`` (one check per
rule id), ``engine`` (evaluate all, earliest date), ``settings`` (typed policy parameter sets).
Edge files: ``loader`` (YAML), ``models``, ``repository``, ``service``, ``schemas``, ``endpoints``.

Rule data (ids, kinds, citations, parameters with effective dates) lives in ``legal/rules/``.
"""

from service.rules.engine import (
    OverrideRefused,
    PolicyOverrides,
    Rulebook,
    earliest_allowed,
    evaluate_all,
)
from service.rules.history import (
    CaseHistory,
    Delivery,
    DeliveryStatus,
    DocumentKind,
    IssuedDocument,
    RequestedDocument,
)
from service.rules.model import (
    DatedValue,
    Evaluation,
    Outcome,
    Params,
    ParamValue,
    Rule,
    RulebookError,
    RuleKind,
    RuleResult,
    RuleSpec,
    TraceEntry,
    Violation,
)

__all__ = [
    "CaseHistory",
    "DatedValue",
    "Delivery",
    "DeliveryStatus",
    "DocumentKind",
    "Evaluation",
    "IssuedDocument",
    "Outcome",
    "OverrideRefused",
    "ParamValue",
    "Params",
    "PolicyOverrides",
    "RequestedDocument",
    "Rule",
    "RuleKind",
    "RuleResult",
    "RuleSpec",
    "Rulebook",
    "RulebookError",
    "TraceEntry",
    "Violation",
    "earliest_allowed",
    "evaluate_all",
]
