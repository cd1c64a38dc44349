"""Roles × endpoints (issue 13 item 4, review D13/D17): every operation of the live
``/openapi.json`` called by every kind of caller, each answer held to what the caller's role
may do. An operation another change adds is covered without editing this file.

Callers: creditor A's ``system``, ``lawyer``, ``auditor`` and ``admin`` keys, an ``admin`` key
bound to no creditor, no key, A's revoked key, and creditor B's ``system`` key. Expected:

* no key, a revoked key: ``401`` (the public verification and gateway operations aside);
* a role without the operation's permission: ``403 forbidden`` — the permission is the one the
  route names (``requires``), ``read`` for the rest, and ``ROLE_MAY`` below is the policy as
  written in the README, not read from the code;
* a role with it: neither ``401`` nor ``403``, never a ``500`` (the minimal body may be a 422);
* the unbound admin changes nothing but creditors and policy (``ADMIN_MANAGES``): every other
  changing operation is ``403``, whatever the body (D13: it recorded deliveries and signed
  agreements for every creditor);
* B on A's ids: never a success, and no answer of B's shows A's ids.

The throttle of failed keys is off here (its own test is ``tests/creditors/test_authentication``):
this table answers ``401`` more than a hundred times from one client on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.bootstrap import Wiring
from service.creditors.auth import Permission
from service.creditors.models import ApiKeyRow
from service.kit.deps import required_permission
from service.main import ROUTERS, create_app
from tests.api import CASE, Tenant, fixture, key_for, make_tenant
from tests.creditors.test_auditor_reads_only import PUBLIC, _example, _ids

P = Permission
ROLE_MAY: dict[str, frozenset[Permission]] = {
    "system": frozenset(
        {P.WRITE_CASES, P.ISSUE, P.PREVIEW, P.READ, P.MANAGE_POLICY, P.MANAGE_CAMPAIGNS}
    ),
    "lawyer": frozenset(
        {
            P.PREVIEW,
            P.READ,
            P.MANAGE_CAMPAIGNS,
            P.APPROVE_CAMPAIGNS,
            P.AUTHOR_TEMPLATES,
            P.APPROVE_TEMPLATES,
        }
    ),
    "auditor": frozenset({P.READ}),
    "admin": frozenset(Permission),
    "admin-unbound": frozenset({P.MANAGE_CREDITORS, P.MANAGE_POLICY, P.READ}),
}
ADMIN_MANAGES = {
    ("post", "/v1/creditors"),
    ("put", "/v1/mandates/{power}"),
    ("put", "/v1/policy"),
    # policy too, but a creditor's own endpoints: the service answers 403 "not bound" after the
    # body is valid (a minimal body is a 422 first)
    ("put", "/v1/webhooks/{name}"),
    ("delete", "/v1/webhooks/{name}"),
}
READ_PERMISSIONS = {
    # a read that needs more than ``read`` → its permission
    ("get", "/v1/template-versions/{version_id}/preview"): P.PREVIEW,
}
PUBLIC_READS = {
    # operation → why it needs no key
    ("get", "/health"): "a load balancer's probe",
    ("get", "/verify/{token}"): "the public verification page a QR code opens",
    ("get", "/v1/verify/{token}"): "the same, as JSON",
}
ROLE_LIMITED_READS = {
    # a read some reading roles may not make → the roles that may
    ("get", "/v1/cases/{external_id}/evidence-pack"): {"system", "auditor", "admin"},
}
CHANGING = ("post", "put", "patch", "delete")
# path parameters that name creditor A's own things (B must never get them)
A_OWNED = {"external_id", "case_id", "document_id", "delivery_id", "tracking_number", "event_id"}


def _walk(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes)


def _permissions() -> dict[tuple[str, str], Permission]:
    """The permission each route names with ``requires(...)``."""
    found = {}
    for router in ROUTERS:
        for route in _walk(router.routes):
            for dependency in route.dependant.dependencies:
                permission = required_permission(dependency.call) if dependency.call else None
                if permission is not None:
                    for method in route.methods:
                        found[(method.lower(), route.path)] = permission
    return found


@pytest.fixture
def quiet_client(wiring: Wiring) -> Iterator[TestClient]:
    """The app with the failed-key throttle off (see the module's docstring)."""
    unthrottled = replace(
        wiring, settings=wiring.settings.model_copy(update={"auth_failure_limit": 0})
    )
    with TestClient(create_app(unthrottled)) as client:
        yield client


def _callers(wiring: Wiring, client: TestClient, tenant: Tenant) -> dict[str, dict[str, str]]:
    def bearer(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    a = tenant.creditor_id
    revoked = key_for(wiring, a, "system")
    with wiring.db.transaction() as session:
        from service.creditors.service import revoke_key

        revoke_key(session, wiring.clock, revoked[:10], actor="test")
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    return {
        "system": bearer(tenant.system_key),
        "lawyer": bearer(key_for(wiring, a, "lawyer")),
        "auditor": bearer(tenant.auditor_key),
        "admin": bearer(key_for(wiring, a, "admin")),
        "admin-unbound": bearer(key_for(wiring, None, "admin")),
        "none": {},
        "revoked": bearer(revoked),
        "other-system": bearer(other.system_key),
    }


def _fill(path: str, ids: dict[str, str], operation: dict[str, Any]) -> str:
    enums = {
        p["name"]: p.get("schema", {}).get("enum", [None])[0]
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m[1]) or enums.get(m[1]) or "unknown-id", path)


def _body(operation: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return {"json": _example(content["application/json"].get("schema", {}), spec)}
    if "multipart/form-data" in content:
        form = _example(content["multipart/form-data"].get("schema", {}), spec)
        fields = {k: v if isinstance(v, str) else "{}" for k, v in form.items()}
        return {"data": fields, "files": {"proof": ("a.pdf", b"%PDF-1.7\n", "x")}}
    return {}


def _expected(
    caller: str, method: str, path: str, permission: Permission
) -> tuple[set[int] | None, str]:
    """(statuses it must be one of, or None for "anything but 401/403/5xx"; why)."""
    if caller in ("none", "revoked"):
        return {401}, "no valid key"
    role = "system" if caller == "other-system" else caller
    limited = ROLE_LIMITED_READS.get((method, path))
    may = permission in ROLE_MAY[role] and (limited is None or role in limited)
    if not may:
        return {403}, f"a {role} key may not {permission.value}"
    if caller == "admin-unbound" and method in CHANGING and (method, path) not in ADMIN_MANAGES:
        return {403}, "an unbound admin manages creditors and policy only"
    return None, "the role may"


def _unbound(caller: str, answer: Any) -> bool:
    """An unbound admin's read of a creditor's cases, which it may not make without one."""
    message = answer.json().get("error", {}).get("message", "") if answer.content else ""
    return caller == "admin-unbound" and answer.status_code == 403 and "not bound" in message


def test_every_operation_answers_every_caller_as_its_role_allows(
    quiet_client: TestClient, wiring: Wiring, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    client = quiet_client
    ids = _ids(client, tenant)
    spec = client.get("/openapi.json").json()
    listed = client.get("/v1/templates", headers=tenant.headers()).json()
    ids["version_id"] = listed[0]["versions"][0]["id"] if isinstance(listed, list) else "x"
    ids["a"] = ids["b"] = ids["version_id"]
    callers = _callers(wiring, client, tenant)
    permissions = _permissions()
    a_values = {tenant.creditor_id, ids["document_id"], ids["delivery_id"]}

    wrong: list[str] = []
    leaks: list[str] = []
    counted = 0
    operations = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", *CHANGING)
    ]
    assert len(operations) >= 75, "the spec lists every operation"
    assert set(PUBLIC) | set(PUBLIC_READS) <= {(m, p) for m, p, _ in operations}
    for method, path, operation in operations:
        if (method, path) in PUBLIC or (method, path) in PUBLIC_READS:
            continue  # no key decides there (the auditor test holds them to storing nothing)
        read = READ_PERMISSIONS.get((method, path), P.READ) if method == "get" else None
        permission = permissions.get((method, path), read)
        assert permission is not None, f"{method.upper()} {path} changes without requires()"
        url = _fill(path, ids, operation)
        names = set(re.findall(r"\{(\w+)\}", path))
        for caller, headers in callers.items():
            if caller == "other-system" and (method, path) == ("put", "/v1/cases/{external_id}"):
                continue  # B may keep its own case under any external id (the review's row 2)
            params = {"creditor": tenant.creditor_id} if caller == "admin-unbound" else {}
            answer = client.request(
                method.upper(), url, headers=headers, params=params, **_body(operation, spec)
            )
            counted += 1
            status = answer.status_code
            expected, why = _expected(caller, method, path, permission)
            line = f"{method.upper()} {path} as {caller}: {status} ({why})"
            if status >= 500 or (expected is not None and status not in expected):
                wrong.append(line)
            elif expected is None and status in (401, 403) and not _unbound(caller, answer):
                wrong.append(line + f" {answer.text[:120]}")
            if caller == "other-system":
                if names & A_OWNED and status < 400:
                    leaks.append(f"{line}: a success on A's ids")
                # an id B sent (a 404 names it) is not one it learnt
                if any(v in answer.text for v in a_values if v not in url):
                    leaks.append(f"{line}: shows one of A's ids")
    assert not leaks, "\n".join(leaks)
    assert not wrong, "\n".join(wrong)
    assert counted >= 8 * 70
    with wiring.db.transaction(read_only=True) as session:
        keys = session.scalar(select(func.count()).select_from(ApiKeyRow))
    assert keys == 8, "the table made its keys and nothing else made one"


def test_an_unbound_admin_records_no_delivery_and_signs_nothing_for_a_creditor(
    client: TestClient, wiring: Wiring, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """Review D13 as it was found: full, valid requests, not minimal ones."""
    ids = _ids(client, tenant)
    admin = {"Authorization": f"Bearer {key_for(wiring, None, 'admin')}"}
    delivery = {**fixture("delivery.json"), "delivered_at": "2026-11-24"}
    document = ids["document_id"]
    before = client.get(f"/v1/documents/{document}/deliveries", headers=tenant.headers()).json()
    for path, body in (
        (f"/v1/documents/{document}/deliveries", delivery),
        (f"/v1/documents/{document}/signature", {"signed_on": "2026-11-24"}),
        (f"/v1/cases/{CASE}/documents", {"kind": "reminder", "language": "kk"}),
    ):
        answer = client.post(path, json=body, headers=admin)
        assert answer.status_code == 403, (path, answer.text)
        assert "without a creditor" in answer.json()["error"]["message"]
    after = client.get(f"/v1/documents/{document}/deliveries", headers=tenant.headers()).json()
    assert after == before
    # what it is for still works: policy for a creditor it names, reading that creditor's log
    policy = client.get("/v1/policy", params={"creditor": tenant.creditor_id}, headers=admin)
    assert policy.status_code == 200, policy.text
    log = client.get("/v1/audit/verify", params={"creditor": tenant.creditor_id}, headers=admin)
    assert log.status_code == 200
