"""Provisions, rules and policy, agreements, claims and segments (issue 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter

from service.api.deps import Caller, JsonBody, Wired
from service.application import agreements, claims, policy, provisions, segments

router = APIRouter(prefix="/v1")


@router.get("/provisions")
def list_provisions(c: Wired, caller: Caller, act: str | None = None) -> dict[str, Any]:
    return provisions.list_provisions(c, caller, act)


@router.get("/provisions/{provision_id}")
def get_provision(provision_id: str, c: Wired, caller: Caller) -> dict[str, Any]:
    return provisions.get_provision(c, caller, provision_id)


@router.get("/rules")
def list_rules(c: Wired, caller: Caller) -> dict[str, Any]:
    return provisions.list_rules(c, caller)


@router.get("/policy")
def get_policy(
    c: Wired, caller: Caller, creditor: str | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    return policy.get_policy(c, caller, creditor, on)


@router.put("/policy")
def put_policy(
    c: Wired, caller: Caller, payload: JsonBody, creditor: str | None = None
) -> dict[str, Any]:
    return policy.set_policy(c, caller, payload, creditor)


@router.post("/documents/{document_id}/signature")
def sign_agreement(document_id: str, c: Wired, caller: Caller, payload: JsonBody) -> dict[str, Any]:
    return agreements.sign(c, caller, document_id, payload)


@router.get("/cases")
def list_cases(
    c: Wired,
    caller: Caller,
    segment: str | None = None,
    next_step: str | None = None,
    due_by: dt.date | None = None,
) -> dict[str, Any]:
    return segments.list_cases(c, caller, segment, next_step, due_by)


@router.get("/cases/{external_id}/agreements")
def list_agreements(external_id: str, c: Wired, caller: Caller) -> dict[str, Any]:
    return agreements.list_agreements(c, caller, external_id)


@router.post("/cases/{external_id}/acknowledgments", status_code=201)
def record_acknowledgment(
    external_id: str, c: Wired, caller: Caller, payload: JsonBody
) -> dict[str, Any]:
    return agreements.record_acknowledgment(c, caller, external_id, payload)


@router.get("/cases/{external_id}/acknowledgments")
def list_acknowledgments(external_id: str, c: Wired, caller: Caller) -> dict[str, Any]:
    return agreements.list_acknowledgments(c, caller, external_id)


@router.get("/cases/{external_id}/claim")
def get_claim(
    external_id: str, c: Wired, caller: Caller, route: str | None = None
) -> dict[str, Any]:
    return claims.get_claim(c, caller, external_id, route)


@router.get("/cases/{external_id}/segment")
def get_segment(external_id: str, c: Wired, caller: Caller) -> dict[str, Any]:
    return segments.get_segment(c, caller, external_id)


@router.post("/cases/{external_id}/hardship", status_code=201)
def record_hardship(
    external_id: str, c: Wired, caller: Caller, payload: JsonBody
) -> dict[str, Any]:
    return segments.record_hardship(c, caller, external_id, payload)
