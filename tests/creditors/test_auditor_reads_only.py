"""The auditor reads and exports, and changes nothing (issue 11 scope 6): table-driven over the
live ``/openapi.json``, so an endpoint another change adds is covered without editing this file.

For every operation that can change something (POST, PUT, PATCH, DELETE) an auditor key gets
``403 forbidden`` — with a minimal body built from the operation's own schema, with an empty
body, and with no body — and the path parameters are existing ids, so the ``403`` is about the
role, not a ``404`` nor a ``422``: the role is checked before the body is validated
(``kit.deps.requires``). Afterwards every table holds what it held before.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.bootstrap import Wiring
from service.kit.registry import metadata
from tests.api import CASE, Tenant, issue
from tests.conftest import load_fixture

CHANGING = ("post", "put", "patch", "delete")

PUBLIC = {
    # operation → why an API key has no say in it; each must exist in the spec (checked below)
    ("post", "/verify/{token}"): "public verification page: compares an upload, stores nothing",
    (
        "post",
        "/v1/verify/{token}",
    ): "public verification (JSON): compares an upload, stores nothing",
    (
        "post",
        "/v1/deliveries/callbacks/{gateway}",
    ): "an SMS gateway's delivery report: authenticated by the gateway's HMAC signature, not a key",
}


def _ids(client: TestClient, tenant: Tenant) -> dict[str, str]:
    """Existing values for the path parameters the API uses."""
    document = issue(client, tenant, {"kind": "reminder", "language": "kk"})
    assert document.status_code == 201, document.text
    body = document.json()
    delivery = {**load_fixture("delivery.json"), "delivered_at": "2026-11-24"}
    delivered = client.post(
        f"/v1/documents/{body['id']}/deliveries", json=delivery, headers=tenant.headers()
    )
    assert delivered.status_code == 201, delivered.text
    return {
        "external_id": CASE,
        "case_id": CASE,
        "document_id": body["id"],
        "token": body["verify_url"].rstrip("/").rsplit("/", 1)[-1],
        "creditor_id": tenant.creditor_id,
        "power": "penalty_waiver",
        "delivery_id": delivered.json()["id"],
        "tracking_number": delivery["tracking_number"],
    }


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _example(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> Any:
    """A small value of the schema's shape: required properties only, first enum member."""
    schema = _resolve(schema, spec)
    if depth > 8:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, spec).get("type") != "null"]
            return _example((options or schema[key])[0], spec, depth + 1)
    if "allOf" in schema:
        return _example(schema["allOf"][0], spec, depth + 1)
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: _example(properties.get(name, {}), spec, depth + 1)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return [_example(schema.get("items", {}), spec, depth + 1)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return "1.00"
    if kind == "boolean":
        return False
    formats = {"date": "2026-11-02", "date-time": "2026-11-02T10:00:00Z", "email": "a@b.kz"}
    return formats.get(schema.get("format", ""), "x")


def _bodies(operation: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Request keyword arguments: the schema's minimal body, an empty one, none at all."""
    content = operation.get("requestBody", {}).get("content", {})
    variants: list[dict[str, Any]] = [{}]
    if "application/json" in content:
        minimal = _example(content["application/json"].get("schema", {}), spec)
        variants += [{"json": minimal}, {"json": {}}]
    if "multipart/form-data" in content:
        form = _example(content["multipart/form-data"].get("schema", {}), spec)
        fields = {k: v if isinstance(v, str) else "{}" for k, v in form.items()}
        variants.append({"data": fields, "files": {"proof": ("a.pdf", b"%PDF-1.7\n", "x")}})
    return variants


def _fill(path: str, ids: dict[str, str], operation: dict[str, Any]) -> str:
    enums = {
        p["name"]: p.get("schema", {}).get("enum", [None])[0]
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        # a parameter this table does not know yet still gets a value: the role is checked
        # before anything is looked up, so the answer must be 403 all the same
        return ids.get(name) or enums.get(name) or "unknown-id"

    return re.sub(r"\{(\w+)\}", value, path)


def _counts(wiring: Wiring) -> dict[str, int]:
    with wiring.db.transaction(read_only=True) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in metadata.sorted_tables
        }


def test_an_auditor_key_gets_403_on_every_operation_that_changes_anything(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    ids = _ids(client, tenant)
    spec = client.get("/openapi.json").json()
    operations = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in CHANGING
    ]
    listed = {(method, path) for method, path, _ in operations}
    assert set(PUBLIC) <= listed, "a public operation listed here is gone from the spec"
    assert len(operations) >= 10, "the spec lists the changing operations"

    before = _counts(wiring)
    auditor = tenant.headers(tenant.auditor_key)
    wrong: list[str] = []
    checked = 0
    for method, path, operation in operations:
        url = _fill(path, ids, operation)
        for body in _bodies(operation, spec):
            response = client.request(method.upper(), url, headers=auditor, **body)
            if (method, path) in PUBLIC:
                continue  # no key decides here; the table counts below still hold it to account
            checked += 1
            code = response.json().get("error", {}).get("code") if response.content else None
            if response.status_code != 403 or code != "forbidden":
                shown = sorted(body) or ["no body"]
                wrong.append(f"{method.upper()} {path} {shown}: {response.status_code} {code}")
    assert wrong == []
    assert checked >= 2 * (len(operations) - len(PUBLIC))
    assert _counts(wiring) == before, "an auditor's request changed a table"


def test_the_same_operations_still_work_for_the_role_that_may(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """The early check is a gate, not a wall: a system key still gets past it to the body."""
    response = client.post(f"/v1/cases/{CASE}/documents", json={}, headers=tenant.headers())
    assert response.status_code == 422
    assert {e["path"] for e in response.json()["errors"]} >= {"kind"}
    no_key = client.post(f"/v1/cases/{CASE}/documents", json={})
    assert no_key.status_code == 401


def test_the_example_builder_follows_refs_and_requirements() -> None:
    spec = {
        "components": {
            "schemas": {
                "In": {
                    "type": "object",
                    "required": ["kind", "on", "items"],
                    "properties": {
                        "kind": {"enum": ["reminder", "warning"]},
                        "on": {"type": "string", "format": "date"},
                        "items": {"type": "array", "minItems": 1, "items": {"type": "integer"}},
                        "note": {"type": "string"},
                    },
                }
            }
        }
    }
    value = _example({"$ref": "#/components/schemas/In"}, spec)
    assert value == {"kind": "reminder", "on": "2026-11-02", "items": [1]}
