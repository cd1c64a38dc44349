"""``POST /v1/deliveries/bounces``: a bounce (DSN) forwarded by the mail system, as raw bytes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors
from service.kit.limits import Limit, body_limit
from service.kit.uploads import read_body
from service.mail import service
from service.mail.schemas import BounceOut

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])

_BODY = {
    "requestBody": {
        "required": True,
        "description": "the report as received (RFC 5322 bytes, multipart/report)",
        "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
    }
}


async def read_message(request: Request) -> bytes:
    """The whole body, read before the request's transaction begins, refused past the limit
    without reading it all."""
    return await read_body(request, service.MAX_BOUNCE)


@router.post(
    "/bounces",
    dependencies=[requires(Permission.ISSUE)],
    response_model=BounceOut,
    responses=errors(401, 403, 404, 413, 422),
    openapi_extra=_BODY,
)
@body_limit(Limit.MESSAGES)
async def ingest_bounce(
    raw: Annotated[bytes, Depends(read_message)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> BounceOut:
    """Record what a delivery status notification says about one of the creditor's e-mails:
    ``failed`` 5.x.x → permanent failure, 4.x.x or ``delayed`` → temporary failure,
    ``delivered`` → delivered (on the report's date); the raw report is kept as the receipt.
    A report about no e-mail of this creditor: 404; no DSN: 422."""
    bounce = await run_in_threadpool(service.ingest_bounce, session, wiring, raw, caller=caller)
    result = bounce.result
    return BounceOut(
        delivery_id=bounce.delivery_id,
        action=bounce.notice.action,
        dsn_status=bounce.notice.status,
        recorded=bounce.status,
        occurred_at=bounce.occurred_at if bounce.status else None,
        applied=bool(result and result.applied),
        outcome=result.outcome if result else None,
    )
