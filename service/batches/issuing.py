"""The bulk issuing seam batches use (contract C5, ``service.documents.bulk.issue_many``).

Until the bulk-issue lane lands its module, this is the contract's simple correct version: one
transaction per item through the ordinary issuing pipeline, the item's idempotency key as the
Idempotency-Key (a replay returns the document issued the first time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from service.creditors.auth import Principal
from service.documents import service as documents
from service.documents.schemas import IssueIn
from service.documents.service import Issuing
from service.errors import NotFound, RulesViolated, TalapError, ValidationFailed
from service.kit.db import Database

log = logging.getLogger("talap.batches")


@dataclass(frozen=True)
class BulkItem:
    case: str
    request: IssueIn
    idempotency_key: str


@dataclass(frozen=True)
class ItemOutcome:
    idempotency_key: str
    status: Literal["issued", "refused", "error"]
    document_id: str | None = None
    number: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)


def issue_many(
    db: Database,
    ports: Issuing,
    caller: Principal,
    items: Sequence[BulkItem],
    *,
    progress: Callable[[ItemOutcome], None] | None = None,
) -> list[ItemOutcome]:
    outcomes = []
    for item in items:
        outcome = _issue_one(db, ports, caller, item)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes


def _issue_one(db: Database, ports: Issuing, caller: Principal, item: BulkItem) -> ItemOutcome:
    key = item.idempotency_key
    try:
        with db.transaction() as session:
            issued = documents.issue(session, ports, caller, item.case, item.request, key)
    except ValidationFailed as exc:
        errors = [e.as_dict() for e in exc.errors]
        return ItemOutcome(key, "refused", errors=errors, violations=_dicts(exc.violations))
    except RulesViolated as exc:
        return ItemOutcome(key, "refused", violations=_dicts(exc.violations))
    except NotFound as exc:
        return ItemOutcome(
            key, "refused", errors=[{"path": "case", "code": "not_found", "message": str(exc)}]
        )
    except TalapError as exc:
        return ItemOutcome(
            key, "error", errors=[{"path": "", "code": exc.code, "message": exc.message}]
        )
    except Exception as exc:  # a bug or an outage: this item fails, the batch goes on
        log.exception("batch item failed", extra={"event": "batch.item_error"})
        return ItemOutcome(
            key,
            "error",
            errors=[{"path": "", "code": "internal_error", "message": type(exc).__name__}],
        )
    document = issued.document
    return ItemOutcome(key, "issued", document_id=document.id, number=document.number)


def _dicts(violations: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(v.as_dict()) for v in violations]
