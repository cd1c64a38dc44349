"""``/v1/cases/{external_id}``: store a case as the client sends it, read it with its debt."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.cases import service
from service.cases.schemas import CaseIn, CaseOut, HardshipIn, HardshipOut
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/cases", tags=["cases"])


@router.put(
    "/{external_id}",
    dependencies=[requires(Permission.WRITE_CASES)],
    response_model=CaseOut,
    responses=errors(
        401, 403, 404, 422, also={201: {"model": CaseOut, "description": "The case was created"}}
    ),
)
def put_case(
    external_id: str,
    payload: CaseIn,
    response: Response,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> CaseOut:
    """Store the case (the ledger the client sends replaces the stored one); 201 if new."""
    caller.require(Permission.WRITE_CASES)
    created = service.upsert_case(
        session,
        wiring.clock,
        creditor_id=caller.creditor(),
        external_id=external_id,
        case_in=payload,
        actor=caller.actor,
        calendar=wiring.law.calendar,
    )
    response.status_code = 201 if created else 200
    case, debt = service.get_case(session, caller, wiring.law, wiring.clock.today(), external_id)
    return CaseOut.of(case, debt)


@router.get("/{external_id}", response_model=CaseOut, responses=errors(401, 403, 404))
def get_case(external_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> CaseOut:
    case, debt = service.get_case(session, caller, wiring.law, wiring.clock.today(), external_id)
    return CaseOut.of(case, debt)


@router.post(
    "/{external_id}/hardship",
    dependencies=[requires(Permission.WRITE_CASES)],
    status_code=201,
    response_model=HardshipOut,
    responses=errors(401, 403, 404, 422),
)
def record_hardship(
    external_id: str, payload: HardshipIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> HardshipOut:
    return service.record_hardship(session, wiring.clock, caller, external_id, payload)
