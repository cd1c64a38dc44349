"""Errors that carry their meaning.

Every failure the service reports on purpose is a ``TalapError``. Each subclass names its HTTP
status and a machine ``code``; the API renders all of them through one handler
(``service.kit.http_errors``) as JSON, and the CLI prints the same message and exits non-zero.
Anything else that escapes is a bug: a logged ``500 internal_error``.

Hierarchy (where a subclass is defined outside this module, its module is named)::

    TalapError
    ├── ValidationFailed           422  field errors (and rule violations), all at once
    │   └── OverrideRefused        422  a policy override that is unknown, mistyped or touches law
    │                                   (service.rules.engine)
    ├── RulesViolated              422  the document may not go out (yet): rule violations
    ├── RenderingFailed            422  cannot be typeset (a character no font covers, no template)
    ├── NotFound                   404  missing, or belongs to another creditor (never say which)
    ├── Unauthorized               401  no or unknown API key
    ├── Forbidden                  403  the key's role may not do this
    ├── Conflict                   409  e.g. an Idempotency-Key reused with another body
    │   ├── AgreementStateError    409  signed twice, signed before issue (service.agreements)
    │   └── NotAnAgreement         409  a signature for a document that is no agreement
    ├── TooLarge                   413  an upload over its limit (the public verification page)
    │   └── ProofTooLarge          413  a delivery proof over 20 MiB, naming the file
    │                                   (service.deliveries.proofs)
    ├── InvalidObjectName          400  an archive name that is no SHA-256 (service.archive.base)
    ├── ArchiveMismatch            409  archived bytes a record names are missing or altered:
    │                                   not served, recorded (service.archive.base)
    ├── TooManyFailures            429  too many 401s from this client lately: wait Retry-After
    │                                   seconds (service.creditors.throttle)
    ├── Busy                       503  the database stayed locked by other writers: try again
    ├── ArchiveUnavailable         503  the S3 archive cannot be reached or refused a request
    │                                   (service.archive.s3)
    ├── EvidenceMismatch           500  stored evidence does not match (never caused by input)
    ├── SigningKeyError            500  the PKCS#12 cannot be used (service.signing.errors)
    ├── SigningFailed              500  pyHanko could not sign our own PDF (service.signing.errors)
    └── ConfigurationError         —    refuses to start: production with a development key, a
        └── RulebookError          —    template citing a provision legal/ lacks, rule data that
                                        disagrees with the code (service.rules.model)

Domain code raises these; it never imports a web framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class FieldError:
    """One input problem; ``path`` is dotted (``debtor.iin``, ``charges.3.amount``)."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class Reportable(Protocol):
    """A rule violation as the error body shows it (``service.rules.model.Violation``)."""

    def as_dict(self) -> dict[str, object]: ...


class TalapError(Exception):
    status: int = 400
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}

    def headers(self) -> dict[str, str] | None:
        """HTTP headers of the answer beside the body (e.g. ``Retry-After``)."""
        return None


class ValidationFailed(TalapError):
    status = 422
    code = "validation_failed"

    def __init__(self, errors: Sequence[FieldError], violations: Sequence[Reportable] = ()) -> None:
        self.errors = list(errors)
        self.violations = list(violations)
        summary = "; ".join(f"{e.path}: {e.message}" for e in self.errors) or "invalid input"
        super().__init__(summary)

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": "The request has invalid fields."},
            "errors": [e.as_dict() for e in self.errors],
            "violations": [v.as_dict() for v in self.violations],
        }


class RulesViolated(TalapError):
    """The violations carry ``rule``, ``kind``, ``provision``, ``message``, ``passes_on``."""

    status = 422
    code = "rules_violated"

    def __init__(self, violations: Sequence[Reportable]) -> None:
        self.violations = list(violations)
        summary = "; ".join(str(v.as_dict().get("message")) for v in self.violations)
        super().__init__(summary or "the document may not be issued")

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": "The document may not be issued."},
            "errors": [],
            "violations": [v.as_dict() for v in self.violations],
        }


class RenderingFailed(TalapError):
    status = 422
    code = "rendering_failed"

    def __init__(self, message: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message},
            "errors": [e.as_dict() for e in self.errors],
            "violations": [],
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


class TooLarge(TalapError):
    """An upload over its size limit: refused before it is read to the end."""

    status = 413
    code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the limit of {limit} bytes")
        self.limit = limit


class TooManyFailures(TalapError):
    """A client that failed to authenticate too often lately: nothing was looked at."""

    status = 429
    code = "too_many_failures"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            "too many requests with a missing or unknown API key from this client; "
            f"try again in {retry_after_seconds} s"
        )
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after_seconds)}


class Busy(TalapError):
    """The database stayed locked by other writers: nothing was done, the client retries."""

    status = 503
    code = "busy"
    retry_after_seconds = 5

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after_seconds)}


class EvidenceMismatch(TalapError):
    status = 500
    code = "evidence_mismatch"


class ConfigurationError(Exception):
    """The service must not start like this; the message says what to change."""
