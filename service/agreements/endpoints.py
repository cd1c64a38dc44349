"""Signing an agreement, a case's agreements and its written acknowledgments."""

from __future__ import annotations

from fastapi import APIRouter

from service.agreements import service
from service.agreements.schemas import (
    AcknowledgmentIn,
    AcknowledgmentOut,
    AcknowledgmentsOut,
    AgreementOut,
    AgreementsOut,
    SignatureIn,
)
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1", tags=["agreements"])


@router.post(
    "/documents/{document_id}/signature",
    dependencies=[requires(Permission.ISSUE)],
    response_model=AgreementOut,
    responses=errors(401, 403, 404, 409, 422),
)
def sign_agreement(
    document_id: str, payload: SignatureIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> AgreementOut:
    """The debtor signed the restructuring agreement (its acknowledgment of the debt, ГК 183)."""
    return service.sign(session, wiring.clock, wiring.law.calendar, caller, document_id, payload)


@router.get(
    "/cases/{external_id}/agreements",
    response_model=AgreementsOut,
    responses=errors(401, 403, 404),
)
def list_agreements(
    external_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> AgreementsOut:
    today = wiring.clock.today()
    return service.list_agreements(session, caller, wiring.law.calendar, today, external_id)


@router.post(
    "/cases/{external_id}/acknowledgments",
    dependencies=[requires(Permission.WRITE_CASES)],
    status_code=201,
    response_model=AcknowledgmentOut,
    responses=errors(401, 403, 404, 422),
)
def record_acknowledgment(
    external_id: str,
    payload: AcknowledgmentIn,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> AcknowledgmentOut:
    return service.record_acknowledgment(session, wiring.clock, caller, external_id, payload)


@router.get(
    "/cases/{external_id}/acknowledgments",
    response_model=AcknowledgmentsOut,
    responses=errors(401, 403, 404),
)
def list_acknowledgments(
    external_id: str, session: DbSession, caller: Caller
) -> AcknowledgmentsOut:
    return service.list_acknowledgments(session, caller, external_id)
