"""Bidirectional controls are refused in every text field of every request (issue 13 item 3, D7),
table-driven over the live ``/openapi.json`` so that a field another change adds is covered
without editing this file.

For each operation with a JSON body, every string property the request schema declares (nested
objects, list items, mapping values, ``one text or {kk, ru}``) is sent alone holding
``U+202E`` (the right-to-left override that printed «Иванов гт 100.00» for a stored
``Иванов ‮00.001 тг``): the answer is a ``422`` naming that field. A free text must say why
(``bidi_control``); a field with a pattern, a format or a list of values may refuse it for that.
Path parameters holding a bidi control, a NUL, ``..`` or 101 characters are a ``422`` naming the
parameter, on every operation that has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.creditors.service import create_key
from tests.api import Tenant

RLO = "\u202e"
HOSTILE = f"Иванов {RLO}00.001 тг"

NOT_BY_KEY = {
    # operation → why its body is not checked with an API key; each must exist in the spec
    ("post", "/v1/deliveries/callbacks/{gateway}"): (
        "an SMS gateway's report: its HMAC signature is checked before the body is read"
    ),
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _variants(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(spec, schema)
    found = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if found:
        return [v for s in found for v in _variants(spec, s) if v.get("type") != "null"]
    return [schema]


def _strings(
    spec: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """(path, schema) of every string a request body may hold; list items are index ``0``,
    mapping values key ``kk`` (beside a plain ``ru``: a text in both languages needs both)."""
    if depth > 8:
        return
    for variant in _variants(spec, schema):
        kind = variant.get("type")
        if kind == "string" and variant.get("format") != "binary":
            yield path, variant
        elif kind == "array" and "items" in variant:
            yield from _strings(spec, variant["items"], (*path, "0"), depth + 1)
        elif kind == "object" or "properties" in variant:
            for name, sub in variant.get("properties", {}).items():
                yield from _strings(spec, sub, (*path, name), depth + 1)
            extra = variant.get("additionalProperties")
            if isinstance(extra, dict) and (
                not extra or _variants(spec, extra)[0].get("type") == "string"
            ):
                yield (*path, "kk"), {"type": "string"}


def _body_with(path: tuple[str, ...], value: Any) -> Any:
    """A body holding ``value`` at ``path`` and nothing else."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == "0":
        return [_body_with(rest, value)]
    if head == "kk":
        return {"kk": _body_with(rest, value), "ru": "текст"}
    return {head: _body_with(rest, value)}


def _named(answer: Any, dotted: str) -> set[str]:
    """The codes of a 422's errors on the field ``dotted``."""
    if answer.status_code != 422:
        return set()
    return {e["code"] for e in answer.json().get("errors", []) if e["path"] == dotted}


def _free_text(schema: dict[str, Any]) -> bool:
    return not any(k in schema for k in ("pattern", "format", "enum", "const"))


def _json_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" in content and (method, path) not in NOT_BY_KEY:
                found.append((method, path, content["application/json"]["schema"]))
    return found


def _url(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "X-1"), path)


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


@pytest.fixture
def lawyer_key(wiring: Wiring, tenant: Tenant) -> str:
    with wiring.db.transaction() as session:
        return create_key(session, wiring.clock, creditor_id=tenant.creditor_id, role="lawyer")


def test_every_text_field_of_every_request_refuses_bidi_controls(
    client: TestClient, tenant: Tenant, lawyer_key: str, admin_key: str, spec: dict[str, Any]
) -> None:
    for method, path in NOT_BY_KEY:
        assert method in spec["paths"][path], f"{method} {path} is gone: drop it from NOT_BY_KEY"
    ids = {"power": "penalty_waiver", "kind": "reminder", "language": "kk", "name": "hook"}
    checked, by_syntax, misses = 0, 0, []
    for method, path, schema in _json_operations(spec):
        fields = list(_strings(spec, schema))
        assert fields, f"{method} {path}: no string property found in its request schema"
        for field, field_schema in fields:
            dotted = ".".join(field)
            body = _body_with(field, HOSTILE)
            answer = client.request(method, _url(path, ids), json=body, headers=tenant.headers())
            # a lawyer's operations (approvals), then an unbound admin's (creditors and policy)
            for other in (lawyer_key, admin_key):
                if answer.status_code != 403:
                    break
                answer = client.request(
                    method, _url(path, ids), json=body, headers=tenant.headers(other)
                )
            checked += 1
            named = _named(answer, dotted)
            if not named:
                misses.append(f"{method} {path} {dotted}: {answer.status_code} {answer.text[:300]}")
            elif "bidi_control" not in named and _free_text(field_schema):
                # Refused for its own syntax (a БИН, an amount, a period, a digest)? Then the
                # same text without the override is refused the same way.
                plain = client.request(
                    method,
                    _url(path, ids),
                    json=_body_with(field, HOSTILE.replace(RLO, "")),
                    headers=answer.request.headers,
                )
                if _named(plain, dotted) != named:
                    misses.append(f"{method} {path} {dotted}: refused as {named}, not bidi_control")
                else:
                    by_syntax += 1
    assert misses == [], "\n".join(misses)
    assert checked >= 100, checked  # the walk reached the nested fields, not just the top level
    assert by_syntax < 20, by_syntax


OWN_PATH_CHECK = {"/verify/{token}", "/v1/verify/{token}"}
"""The public verification answers every token it cannot find with the same 404 (finding #19):
``tests/evidence/test_public_page.py::test_19_an_unknown_token_is_a_plain_404_that_names_no_document``."""


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (f"A{RLO}B", "bidi_control"),
        ("A%00B", "control_character"),
        ("%2E%2E", "invalid_format"),
        ("L" * 101, "too_long"),
    ],
)
def test_every_path_parameter_is_an_identifier(
    client: TestClient, tenant: Tenant, spec: dict[str, Any], value: str, code: str
) -> None:
    misses = []
    operations = [
        (method, path, name)
        for path, operations in spec["paths"].items()
        for method in operations
        for name in re.findall(r"\{(\w+)\}", path)
        if path not in OWN_PATH_CHECK
    ]
    assert len(operations) > 50
    for method, path, name in operations:
        url = re.sub(r"\{(\w+)\}", "X-1", path.replace("{" + name + "}", value))
        answer = client.request(method, url, headers=tenant.headers())
        body = (
            answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        errors = body.get("errors", [])
        if answer.status_code != 422 or {"path": name, "code": code} not in [
            {"path": e["path"], "code": e["code"]} for e in errors
        ]:
            misses.append(f"{method} {path} {name}: {answer.status_code} {answer.text[:200]}")
        assert value[:20] not in answer.text, f"{method} {path} echoes the value"
    assert misses == [], "\n".join(misses)
    for path in OWN_PATH_CHECK:  # their own answer: not found (or no file sent), never a 5xx
        for method in spec["paths"][path]:
            answer = client.request(method, path.replace("{token}", value))
            assert answer.status_code in (404, 422), (method, path, answer.status_code)
            assert value[:20] not in answer.text, f"{method} {path} echoes the value"
