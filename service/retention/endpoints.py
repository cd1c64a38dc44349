"""``GET`` / ``PUT`` / ``DELETE /v1/cases/{id}/legal-hold``: a legal hold keeps a case from
anonymisation and deletion (placing and lifting: admin or system keys)."""

from __future__ import annotations

from fastapi import APIRouter

from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors
from service.retention import service
from service.retention.schemas import LegalHoldIn, LegalHoldOut

router = APIRouter(prefix="/v1", tags=["retention"])


@router.get(
    "/cases/{external_id}/legal-hold",
    response_model=LegalHoldOut,
    responses=errors(401, 403, 404),
)
def get_legal_hold(external_id: str, session: DbSession, caller: Caller) -> LegalHoldOut:
    return LegalHoldOut.of(service.hold_of(session, caller, external_id))


@router.put(
    "/cases/{external_id}/legal-hold",
    response_model=LegalHoldOut,
    responses=errors(401, 403, 404, 422),
    dependencies=[requires(Permission.WRITE_CASES)],
)
def put_legal_hold(
    external_id: str, payload: LegalHoldIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> LegalHoldOut:
    """Place (or re-word) the hold: retention leaves the case whole until it is lifted."""
    found = service.place_hold(session, wiring.clock, caller, external_id, payload.reason)
    return LegalHoldOut.of(found)


@router.delete(
    "/cases/{external_id}/legal-hold",
    response_model=LegalHoldOut,
    responses=errors(401, 403, 404),
    dependencies=[requires(Permission.WRITE_CASES)],
)
def delete_legal_hold(
    external_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> LegalHoldOut:
    """Lift the hold: the next retention run decides by the period again."""
    return LegalHoldOut.of(service.lift_hold(session, wiring.clock, caller, external_id))
