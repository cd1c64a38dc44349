"""``/v1/audit``: re-check the creditor's audit log, list and make its signed checkpoints."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.audit import service
from service.audit.schemas import AuditVerifyOut, CheckpointOut, CheckpointsOut
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("/verify", response_model=AuditVerifyOut, responses=errors(401, 403, 404, 422))
def verify(
    session: DbSession, caller: Caller, wiring: WiringDep, creditor: str | None = None
) -> AuditVerifyOut:
    """Recompute the hash chain and the Merkle tree from the rows, check every checkpoint's
    signature, root and consistency with the next; name the first event that does not match."""
    report = service.verify_for(session, caller, creditor, wiring.verifying().roots([]))
    return AuditVerifyOut.of(report)


@router.get("/checkpoints", response_model=CheckpointsOut, responses=errors(401, 403, 404, 422))
def list_checkpoints(
    session: DbSession, caller: Caller, creditor: str | None = None
) -> CheckpointsOut:
    """The creditor's signed checkpoints, oldest first."""
    found = service.checkpoints_for(session, caller, creditor)
    return CheckpointsOut(checkpoints=[CheckpointOut.of(c) for c in found])


@router.post(
    "/checkpoints",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=CheckpointOut,
    responses=errors(
        401,
        403,
        404,
        409,
        422,
        also={200: {"model": CheckpointOut, "description": "The log has not grown: the latest"}},
    ),
)
def make_checkpoint(
    response: Response,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    creditor: str | None = None,
) -> CheckpointOut:
    """Sign a checkpoint of the log now (201); if it has not grown since the latest, that one
    (200). A log that does not verify is not signed (409, naming the event)."""
    checkpoint, created = service.checkpoint_for(
        session, wiring.clock.now(), wiring.signer, caller, creditor
    )
    if not created:
        response.status_code = 200
    return CheckpointOut.of(checkpoint)
