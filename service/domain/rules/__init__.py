"""Rules a document must pass before it goes out: law (cannot be switched off) and policy.

Public API::

    from service.domain.rules import (
        Rulebook, evaluate_all, earliest_allowed, PolicyOverrides, OverrideRefused,
        CaseHistory, IssuedDocument, Delivery, DeliveryStatus, DocumentKind, Route,
        RequestedDocument, Evaluation, Violation, TraceEntry, RuleSpec, RuleKind, Outcome,
    )

Rule data (ids, kinds, citations, parameters with effective dates) lives in ``legal/rules/`` and
is loaded by ``service.legal.rules.load_rulebook``.
"""

from service.domain.rules.engine import (
    OverrideRefused,
    PolicyOverrides,
    Rulebook,
    earliest_allowed,
    evaluate_all,
)
from service.domain.rules.history import (
    CaseHistory,
    Delivery,
    DeliveryStatus,
    DocumentKind,
    IssuedDocument,
    RequestedDocument,
    Route,
)
from service.domain.rules.model import (
    DatedValue,
    Evaluation,
    Message,
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
    "Message",
    "Outcome",
    "OverrideRefused",
    "ParamValue",
    "Params",
    "PolicyOverrides",
    "RequestedDocument",
    "Route",
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
