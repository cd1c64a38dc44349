"""``/v1/batches``: many notices in one request, issued by the job queue's workers; their state
and a summary workbook."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.batches import service
from service.batches.schemas import BatchAcceptedOut, BatchIn, BatchOut
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/batches", tags=["batches"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}


@router.post(
    "",
    dependencies=[requires(Permission.ISSUE)],
    status_code=202,
    response_model=BatchAcceptedOut,
    responses=errors(401, 403, 413, 422),
)
def create_batch(
    payload: BatchIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> BatchAcceptedOut:
    """Accept the items (stored with the batch, nothing lost on a crash) and queue them in
    chunks that any worker may take; each item is issued once, ever (its idempotency key is
    ``batch:<id>:<line>``, line = its position from 1). Follow ``url`` for the progress."""
    return service.submit(
        session, wiring.clock, wiring.links, caller, payload, wiring.settings.batch_chunk_size
    )


@router.get(
    "/{batch_id}/summary.xlsx",
    response_class=Response,
    responses=errors(
        401,
        403,
        404,
        also={200: {"content": {XLSX: {"schema": BINARY}}, "description": "One row per item"}},
    ),
)
def batch_summary(batch_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> Response:
    data = service.summary(session, wiring.links, caller, batch_id)
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.xlsx"'},
    )


@router.get("/{batch_id}", response_model=BatchOut, responses=errors(401, 403, 404))
def get_batch(batch_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> BatchOut:
    """``status`` (queued, running, done, failed), the counts, every refused item with its
    reasons, every error, and each issued document's link."""
    return service.status(session, wiring.links, caller, batch_id)
