"""``/v1/cases/{external_id}/log``: log a call, visit, promise, hardship note or request; read
the log with each promise judged kept, broken or pending."""

from __future__ import annotations

from fastapi import APIRouter

from service.caselog import service
from service.caselog.schemas import CaseLogOut, LogEntryIn, LogEntryOut
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/cases", tags=["case log"])


@router.post(
    "/{external_id}/log",
    dependencies=[requires(Permission.WRITE_CASES)],
    status_code=201,
    response_model=LogEntryOut,
    responses=errors(401, 403, 404, 422),
)
def add_entry(
    external_id: str, payload: LogEntryIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> LogEntryOut:
    """One entry, with the caller (or the ``author`` named) and the server's time."""
    return service.add_entry(session, wiring.clock, caller, external_id, payload)


@router.get("/{external_id}/log", response_model=CaseLogOut, responses=errors(401, 403, 404))
def get_log(external_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> CaseLogOut:
    return service.get_log(session, wiring.clock, caller, external_id)
