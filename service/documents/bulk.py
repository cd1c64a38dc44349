"""Issuing many documents for one creditor: ``issue_many`` (contract C5), what batches and
campaigns call.

Each item carries its own idempotency key (``batch:<id>:<line>``), so an item is issued at most
once ever: a replay answers with the document issued before, as ``issued``. A refusal (field
errors, rule violations, an unknown case, a key reused for another request) is an outcome with
its errors and violations as dicts in the API's error shape; anything unexpected is an ``error``
outcome, logged, and the run goes on with the next item.

This version issues one item per transaction through ``service.issue`` (the same path as
``POST /v1/cases/{id}/documents``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from service.creditors.auth import Principal
from service.documents import service
from service.documents.schemas import IssueIn
from service.documents.service import Issuing
from service.errors import NotFound, RenderingFailed, RulesViolated, TalapError, ValidationFailed
from service.kit.db import Database

log = logging.getLogger("talap.documents.bulk")

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


Progress = Callable[[ItemOutcome], None]


def issue_many(
    db: Database,
    ports: Issuing,
    caller: Principal,
    items: Sequence[BulkItem],
    *,
    progress: Progress | None = None,
) -> list[ItemOutcome]:
    """Issue every item (in order) for the caller's creditor; one outcome per item, in order."""
    outcomes = []
    for item in items:
        outcome = issue_one(db, ports, caller, item)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes


def issue_one(db: Database, ports: Issuing, caller: Principal, item: BulkItem) -> ItemOutcome:
    """One item in its own transaction; never raises for the item's own failure."""
    try:
        with db.transaction() as session:
            issued = service.issue(
                session, ports, caller, item.case, item.request, item.idempotency_key
            )
    except TalapError as refused:
        return refusal(item.idempotency_key, refused)
    except Exception as failed:  # a bug or an outage: this item failed, the run goes on
        log.exception("bulk item failed")
        return failure(item.idempotency_key, failed)
    document = issued.document
    return ItemOutcome(item.idempotency_key, "issued", document.id, document.number)


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
    error = {"path": "", "code": "internal_error", "message": type(failed).__name__}
    return ItemOutcome(key, "error", errors=[error])
