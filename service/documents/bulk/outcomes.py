"""What ``issue_many`` is given and what it answers, item by item (contract C5). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from service.documents.schemas import IssueIn
from service.errors import NotFound, RenderingFailed, RulesViolated, TalapError, ValidationFailed

Status = Literal["issued", "refused", "error"]


@dataclass(frozen=True)
class BulkItem:
    case: str
    """The case's external id."""
    request: IssueIn
    idempotency_key: str
    """Unique per item for the creditor, forever (e.g. ``batch:<id>:<line>``)."""


@dataclass(frozen=True)
class ItemOutcome:
    idempotency_key: str
    status: Status
    document_id: str | None = None
    number: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    """Field errors as the API shows them: ``{"path", "code", "message"}``."""
    violations: list[dict[str, Any]] = field(default_factory=list)
    """Rule violations as the API shows them: ``{"rule", "kind", "provision", …}``."""


def refusal(key: str, refused: TalapError) -> ItemOutcome:
    """A ``TalapError`` as an outcome: a 4xx refusal (the request's fault, it stays refused until
    corrected) or a 5xx failure (``error``: retrying may help), each with the API's dicts."""
    errors: list[dict[str, Any]]
    violations: list[dict[str, Any]] = []
    if isinstance(refused, ValidationFailed):
        errors = [e.as_dict() for e in refused.errors]
        violations = [dict(v.as_dict()) for v in refused.violations]
    elif isinstance(refused, RulesViolated):
        errors = []
        violations = [dict(v.as_dict()) for v in refused.violations]
    elif isinstance(refused, RenderingFailed) and refused.errors:
        errors = [e.as_dict() for e in refused.errors]
    else:
        path = "case" if isinstance(refused, NotFound) else ""
        errors = [{"path": path, "code": refused.code, "message": refused.message}]
    status: Status = "refused" if refused.status < 500 else "error"
    return ItemOutcome(key, status, errors=errors, violations=violations)


def failure(key: str, failed: BaseException) -> ItemOutcome:
    """An item of a group that rolled back: nothing of it was kept (its number neither)."""
    if isinstance(failed, TalapError):
        return refusal(key, failed)
    error = {"path": "", "code": "internal_error", "message": type(failed).__name__}
    return ItemOutcome(key, "error", errors=[error])
