"""The OpenAPI document says what the API does, in one place (issue 13, D15).

The routes declare their own bodies, answers and errors (``kit.http_errors.errors``); what holds
for every route is added here once, so no route can forget it:

- the API key is a ``bearer`` security scheme, not an optional ``authorization`` header
  parameter (a client generator then sends it, and a fuzzer knows it is a credential);
- an operation that takes a body may answer ``413`` when it is over the endpoint's limit
  (counted before the endpoint runs);

and ``allowed_methods`` gives the ``Allow`` header of a ``405``: every method the path has, not
only those of the first route Starlette happened to match.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from starlette.requests import Request
from starlette.routing import compile_path

BEARER = "apiKey"
"""The security scheme's name in ``components.securitySchemes``."""

_ERROR_BODY_REF = "#/components/schemas/ErrorBody"
_WITH_A_BODY = {"413": "The body is larger than the endpoint's limit"}
"""An unreadable body (not UTF-8, a broken multipart form) is a ``422`` on ``body``
(``kit.http_errors``), which every operation lists already."""
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAMETER = re.compile(r"{[^}]*}")


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and ``/openapi.json``) the completed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Add what holds for every operation to FastAPI's document (in place; returned)."""
    keyed = False
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            keyed |= _key_as_security(operation)
            if "requestBody" in operation:
                responses = operation.setdefault("responses", {})
                for status, meaning in _WITH_A_BODY.items():
                    responses.setdefault(status, _error(meaning))
    if keyed:
        schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes[BEARER] = {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: `Authorization: Bearer tlp_…` (`talap keys`)",
        }
    return document


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _ERROR_BODY_REF}}},
    }


def _key_as_security(operation: dict[str, Any]) -> bool:
    """The ``authorization`` header parameter becomes the operation's security requirement."""
    parameters = operation.get("parameters", [])
    kept = [
        p
        for p in parameters
        if not (p.get("in") == "header" and p["name"].lower() == "authorization")
    ]
    if len(kept) == len(parameters):
        return False
    if kept:
        operation["parameters"] = kept
    else:
        del operation["parameters"]
    operation["security"] = [{BEARER: []}]
    return True


def allowed_methods(request: Request) -> str:
    """The ``Allow`` header for a ``405``: the methods of the path as the document has it.

    A path may match several route templates (``/v1/deliveries/bounces`` is also
    ``/v1/deliveries/{delivery_id}``); the document's path is the most specific of them, the one
    with the most literal characters, and ``Allow`` lists the methods of every route with that
    template (one route per method, so the route Starlette matched first knows only its own).
    """
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    by_template: dict[str, set[str]] = {}
    for route in iter_route_contexts(request.app.routes):
        if route.path and route.methods and compile_path(route.path)[0].match(path):
            by_template.setdefault(route.path, set()).update(route.methods)
    if not by_template:
        return ""
    template = max(by_template, key=lambda t: len(_PARAMETER.sub("", t)))
    return ", ".join(sorted(by_template[template]))
