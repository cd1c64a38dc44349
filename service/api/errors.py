"""One place that turns errors into JSON responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.contract import errors_from
from service.errors import TalapError

log = logging.getLogger("talap.api")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TalapError)
    async def _talap_error(_request: Request, exc: TalapError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = errors_from(exc.errors())
        body = {
            "error": {"code": "validation_failed", "message": "The request has invalid fields."},
            "errors": [e.as_dict() for e in errors],
            "violations": [],
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {"error": {"code": code, "message": str(exc.detail)}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        body = {"error": {"code": "internal_error", "message": "unexpected server error"}}
        return JSONResponse(body, status_code=500)
