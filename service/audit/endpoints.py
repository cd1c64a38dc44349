"""``/v1/audit``: re-check the creditor's audit log, list and make its signed checkpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from service.audit import service
from service.audit.schemas import (
    AuditVerifyOut,
    CheckpointOut,
    CheckpointsOut,
    ConsistencyProofOut,
    EventProofOut,
    InclusionProofOut,
)
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/audit", tags=["audit"])

ROW_NUMBER_MAX = 2**31 - 1
"""The largest value the log's integer columns hold (``Integer``: 32 bits on PostgreSQL): a
larger event id or tree size in a URL is a 422, not an overflow in the database driver (a 500)."""


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


@router.get(
    "/events/{event_id}/proof",
    response_model=EventProofOut,
    responses=errors(401, 403, 404, 409, 422),
)
def event_proof(
    event_id: Annotated[int, Path(ge=1, le=ROW_NUMBER_MAX)],
    session: DbSession,
    caller: Caller,
    creditor: str | None = None,
) -> EventProofOut:
    """The latest signed checkpoint and the event's inclusion proof against it (409 when the
    event is newer than that checkpoint, or none exists yet)."""
    checkpoint, proof = service.event_proof_for(session, caller, creditor, event_id)
    return EventProofOut(checkpoint=CheckpointOut.of(checkpoint), proof=InclusionProofOut.of(proof))


@router.get(
    "/consistency", response_model=ConsistencyProofOut, responses=errors(401, 403, 404, 422)
)
def consistency(
    session: DbSession,
    caller: Caller,
    from_size: Annotated[int, Query(ge=0, le=ROW_NUMBER_MAX)],
    to_size: Annotated[int, Query(ge=1, le=ROW_NUMBER_MAX)],
    creditor: str | None = None,
) -> ConsistencyProofOut:
    """That the log of ``from_size`` events is a prefix of the log of ``to_size`` events."""
    proof = service.consistency_for(session, caller, creditor, from_size, to_size)
    return ConsistencyProofOut.of(proof)
