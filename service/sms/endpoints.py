"""``POST /v1/deliveries/callbacks/{gateway}``: an SMS gateway's signed delivery report.

No API key: the gateway proves itself by ``Talap-Signature`` (HMAC-SHA256 with its own secret
over ``Talap-Timestamp + "." + body``, ``service.kit.signatures``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from service.kit import uploads
from service.kit.deps import DbSession, WiringDep
from service.kit.fields import Out
from service.kit.http_errors import errors
from service.sms import service

router = APIRouter(prefix="/v1/deliveries/callbacks", tags=["deliveries"])


class ReportOut(Out):
    delivery_id: str
    status: str
    """The report as Talap's event status (``service.sms.reports``)."""
    applied: bool
    """Whether it set the attempt's state (not after a terminal state)."""
    duplicate: bool
    outcome: str
    """The attempt's legal outcome after the report."""


async def read_body(request: Request) -> bytes:
    """The raw body (the signature covers these bytes), read before the transaction opens;
    larger than a report can be: 413 before it is read whole."""
    return await uploads.read_body(request, service.MAX_REPORT_BYTES)


@router.post(
    "/{gateway}",
    response_model=ReportOut,
    responses=errors(401, 404, 409, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["status"],
                        "properties": {
                            "message_id": {"type": "string"},
                            "reference": {"type": "string"},
                            "status": {"type": "string", "example": "DELIVRD"},
                            "at": {"type": "string", "format": "date-time"},
                            "error": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
async def delivery_report(
    gateway: str,
    body: Annotated[bytes, Depends(read_body)],
    session: DbSession,
    wiring: WiringDep,
    talap_timestamp: Annotated[str | None, Header()] = None,
    talap_signature: Annotated[str | None, Header()] = None,
) -> ReportOut:
    """A delivery report: 401 for a bad or stale signature, 404 for a gateway not configured,
    409 for a replay; the body is kept as the event's receipt."""
    outcome = await run_in_threadpool(
        service.receive_report,
        session,
        wiring.clock,
        wiring.archive,
        wiring.sms,
        gateway,
        body,
        talap_timestamp,
        talap_signature,
    )
    return ReportOut(
        delivery_id=outcome.delivery_id,
        status=outcome.status,
        applied=outcome.applied,
        duplicate=outcome.duplicate,
        outcome=outcome.outcome,
    )
