"""Errors that carry their meaning.

Every failure the service reports on purpose is a ``TalapError``. Each subclass names its HTTP
status and a machine ``code``; the API renders all of them through one handler
(``service.api.errors``) as JSON, and the CLI prints the same message and exits non-zero.

Hierarchy::

    TalapError
    ├── ValidationFailed        422  field errors, all at once: [FieldError(path, code, message)]
    ├── RulesViolated           422  the document may not go out (yet): rule violations, all at once
    ├── NotFound                404  missing, or belongs to another creditor (never say which)
    ├── Unauthorized            401  no or unknown API key
    ├── Forbidden               403  the key's role may not do this
    ├── Conflict                409  e.g. an Idempotency-Key reused with another body
    ├── RenderingFailed         422  cannot be typeset (e.g. a character no font covers)
    └── IntegrityError          500  stored evidence does not match (never raised for user input)

Domain code raises these; it never imports a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One input problem; ``path`` is dotted (``debtor.iin``, ``charges.3.amount``)."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class TalapError(Exception):
    status: int = 400
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


class ValidationFailed(TalapError):
    status = 422
    code = "validation_failed"

    def __init__(
        self, errors: list[FieldError], violations: list[dict[str, Any]] | None = None
    ) -> None:
        self.errors = list(errors)
        self.violations = list(violations or [])
        summary = "; ".join(f"{e.path}: {e.message}" for e in self.errors) or "invalid input"
        super().__init__(summary)

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": "The request has invalid fields."},
            "errors": [e.as_dict() for e in self.errors],
            "violations": self.violations,
        }


class RulesViolated(TalapError):
    """Violation dicts carry ``rule``, ``kind``, ``provision``, ``message``, ``passes_on``."""

    status = 422
    code = "rules_violated"

    def __init__(self, violations: list[dict[str, Any]]) -> None:
        self.violations = list(violations)
        summary = "; ".join(str(v.get("message", v.get("rule"))) for v in self.violations)
        super().__init__(summary or "the document may not be issued")

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": "The document may not be issued."},
            "errors": [],
            "violations": self.violations,
        }


class NotFound(TalapError):
    status = 404
    code = "not_found"


class Unauthorized(TalapError):
    status = 401
    code = "unauthorized"


class Forbidden(TalapError):
    status = 403
    code = "forbidden"


class Conflict(TalapError):
    status = 409
    code = "conflict"


class RenderingFailed(TalapError):
    status = 422
    code = "rendering_failed"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors = list(errors or [])

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message},
            "errors": [e.as_dict() for e in self.errors],
            "violations": [],
        }


class IntegrityError(TalapError):
    status = 500
    code = "integrity_error"
