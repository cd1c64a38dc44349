"""``POST /v1/creditors``: register a creditor (admin keys; a БИН registered already is a ``409``
naming the existing creditor's id); ``/v1/mandates``: the decisions giving the chairman a power
(a penalty waiver), recorded as creditor policy."""

from __future__ import annotations

from fastapi import APIRouter

from service.creditors import service
from service.creditors.auth import Permission
from service.creditors.schemas import (
    CreditorCreated,
    CreditorIn,
    MandateIn,
    MandatePowerName,
    MandatesOut,
)
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1", tags=["creditors"])


@router.post(
    "/creditors",
    status_code=201,
    response_model=CreditorCreated,
    responses=errors(401, 403, 409, 422),
    dependencies=[requires(Permission.MANAGE_CREDITORS)],
)
def create_creditor(
    payload: CreditorIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> CreditorCreated:
    caller.require(Permission.MANAGE_CREDITORS)
    creditor_id = service.register_creditor(session, wiring.clock, payload, actor=caller.actor)
    return CreditorCreated(id=creditor_id)


@router.get("/mandates", response_model=MandatesOut, responses=errors(401, 403, 404, 422))
def get_mandates(session: DbSession, caller: Caller, creditor: str | None = None) -> MandatesOut:
    return service.mandates_of(session, caller, creditor)


@router.put(
    "/mandates/{power}",
    response_model=MandatesOut,
    responses=errors(401, 403, 404, 422),
    dependencies=[requires(Permission.MANAGE_POLICY)],
)
def put_mandate(
    power: MandatePowerName,
    payload: MandateIn,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    creditor: str | None = None,
) -> MandatesOut:
    """Record or replace the meeting or board decision giving the chairman ``power``."""
    return service.set_mandate(session, wiring.clock, caller, power, payload, creditor)
