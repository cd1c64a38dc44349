"""One place that turns errors into JSON responses, and the error body OpenAPI advertises.

Every route lists the errors it can answer with (``errors(401, 404, 422)``), each with this body.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import Busy, FieldError, TalapError, ValidationFailed
from service.kit.fields import Out, errors_from, identifier_problem
from service.kit.openapi import allowed_methods

log = logging.getLogger("talap.api")


class ErrorInfo(BaseModel):
    code: str
    message: str
    existing_id: str | None = None
    """On a ``409`` about something that exists already (a creditor's БИН): its id."""


class FieldErrorOut(Out):
    """One invalid or missing field (``errors.FieldError``): in 422 bodies and dry runs."""

    path: str
    code: str
    message: str


class ViolationOut(Out):
    """One rule a request breaks (``rules.model.Violation.as_dict``): in 422 bodies, dry runs
    and the next step's blockers."""

    rule: str
    kind: str
    provision: str | None
    message: str
    messages: dict[str, str]
    passes_on: dt.date | None
    unblock: str | None = None
    """What would unblock it when something must happen first (e.g. a delivery)."""
    unblock_messages: dict[str, str] | None = None


class ErrorBody(BaseModel):
    error: ErrorInfo
    errors: list[FieldErrorOut] = []
    violations: list[ViolationOut] = []


_MEANING = {
    400: "The request cannot be read",
    401: "No or unknown API key",
    403: "The key's role may not do this",
    404: "Missing, or another creditor's",
    409: "Conflict (e.g. an Idempotency-Key reused for another request)",
    413: "The upload is larger than the limit",
    422: "Field errors and rule violations, all at once",
    429: "Too many failed authentications from this client: wait Retry-After seconds",
}


Responses = dict[int | str, dict[str, Any]]


def errors(*statuses: int, also: Responses | None = None) -> Responses:
    """The ``responses=`` of a route: each error status it may answer with, and its body;
    ``also`` adds other documented answers (a second success status, a binary body). A route
    that checks a key (``401``) may also answer ``429``: its client failed too often lately."""
    if 401 in statuses and 429 not in statuses:
        statuses = (*statuses, 429)
    found: Responses = dict(also or {})
    found.update({s: {"model": ErrorBody, "description": _MEANING[s]} for s in statuses})
    return found


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TalapError)
    async def _talap_error(_request: Request, exc: TalapError) -> JSONResponse:
        if isinstance(exc, Busy):
            log.warning("writer waited too long", extra={"event": "busy"})
        elif exc.status >= 500:
            log.error("server-side failure", extra={"event": "error", "code": exc.code})
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers())

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return await _talap_error(_request, ValidationFailed(errors_from(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # The framework could not read the body (not UTF-8, nested too deep, a broken
            # multipart, too many parts): a field error on ``body`` like any other (D10).
            detail = str(exc.detail)[:200]
            code = "too_many_parts" if detail.startswith("Too many") else "invalid_body"
            return await _talap_error(
                _request, ValidationFailed([FieldError("body", code, detail)])
            )
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {"error": {"code": code, "message": str(exc.detail)}}
        headers = exc.headers
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers = {**(headers or {}), "Allow": allowed_methods(_request)}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc, extra={"event": "error"})
        body = {"error": {"code": "internal_error", "message": "unexpected server error"}}
        return JSONResponse(body, status_code=500)


F = TypeVar("F", bound=Callable[..., Any])
OWN_PATH_CHECK = "talap_own_path_check"


def checks_its_own_path(*names: str) -> Callable[[F], F]:
    """Mark an endpoint that answers a malformed path parameter itself: the public verification
    page answers every token it cannot find — guessed, truncated or malformed — with the same
    404 page (finding #19), so its ``token`` is not an identifier to be refused with a 422."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, OWN_PATH_CHECK, names)
        return endpoint

    return mark


async def checked_path_parameters(request: Request) -> None:
    """Every path parameter is an identifier (``fields.identifier_problem``): a 422 naming the
    parameter, before authentication, the body or the database see it (a NUL or a 10,000
    character id was a 500 on PostgreSQL, D5/D19). The value is NFC-normalised in place, so
    ``/v1/cases/é`` finds the case stored as the body's normalised ``external_id``.

    Installed app-wide (``FastAPI(dependencies=…)``); the route's own parameters are read from
    the same mapping after this dependency has run. ``async``: a plain ``def`` dependency would
    run on a worker thread, a hop for a few string checks.
    """
    params = request.scope.get("path_params") or {}
    route = request.scope.get("route")
    own = getattr(getattr(route, "endpoint", None), OWN_PATH_CHECK, ())
    problems = []
    for name, value in params.items():
        if not isinstance(value, str) or name in own:
            continue
        normal = unicodedata.normalize("NFC", value)
        problem = identifier_problem(normal)
        if problem:
            problems.append(FieldError(name, *problem))
        else:
            params[name] = normal
    if problems:
        raise ValidationFailed(problems)
