"""Response shapes the OpenAPI document advertises for errors (the body ``service.errors`` and
``service.api.errors`` produce)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorInfo(BaseModel):
    code: str
    message: str


class FieldErrorOut(BaseModel):
    path: str
    code: str
    message: str


class ViolationOut(BaseModel):
    rule: str
    kind: str
    provision: str | None = None
    message: str
    messages: dict[str, str] | None = None
    passes_on: str | None = None


class ErrorBody(BaseModel):
    error: ErrorInfo
    errors: list[FieldErrorOut] = []
    violations: list[ViolationOut] = []


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No or unknown API key"},
    403: {"model": ErrorBody, "description": "The key's role may not do this"},
    404: {"model": ErrorBody, "description": "Missing, or another creditor's"},
    409: {"model": ErrorBody, "description": "Conflict (e.g. Idempotency-Key reused)"},
    422: {"model": ErrorBody, "description": "Field errors and rule violations, all at once"},
}
