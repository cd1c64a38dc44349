"""``POST /v1/creditors``: register a creditor (admin keys)."""

from __future__ import annotations

from fastapi import APIRouter

from service.creditors import service
from service.creditors.auth import Permission
from service.creditors.schemas import CreditorCreated, CreditorIn
from service.kit.deps import Caller, DbSession, WiringDep
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1", tags=["creditors"])


@router.post(
    "/creditors", status_code=201, response_model=CreditorCreated, responses=errors(401, 403, 422)
)
def create_creditor(
    payload: CreditorIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> CreditorCreated:
    caller.require(Permission.MANAGE_CREDITORS)
    creditor_id = service.register_creditor(session, wiring.clock, payload, actor=caller.actor)
    return CreditorCreated(id=creditor_id)
