"""Delivery attempts and their events over HTTP.

- ``POST /v1/documents/{id}/deliveries``: the contract payload records a client-reported attempt
  with one event (JSON, or multipart with proof files); without ``status`` the attempt is sent
  by the channel's sender.
- ``GET /v1/documents/{id}/deliveries``: the attempts, with events, proofs and legal outcome.
- ``GET /v1/deliveries/{id}``: one attempt.
- ``POST /v1/deliveries/{id}/events``: one event (JSON, or multipart with a raw receipt and
  proof files).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.creditors.auth import Permission
from service.deliveries.proofs import (
    MAX_PROOF_BYTES,
    MAX_PROOFS,
    MAX_UPLOAD_BYTES,
    ProofFile,
    ProofTooLarge,
    too_large,
)
from service.deliveries.records import service
from service.deliveries.schemas import AppendedOut, DeliveryIn, DeliveryOut, EventIn
from service.errors import FieldError, ValidationFailed
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.fields import load_json, parse
from service.kit.http_errors import errors
from service.kit.limits import Limit, body_limit
from service.kit.uploads import FileTooLarge, capped, form_with_file_limit

router = APIRouter(tags=["deliveries"])

MAX_BODY = MAX_UPLOAD_BYTES


def _multipart(field: str, description: str, receipt: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {
        field: {"type": "string", "description": description},
        "proof": {
            "type": "array",
            "maxItems": MAX_PROOFS,
            "items": {"type": "string", "format": "binary"},
            "description": "PDF, JPEG, PNG, TIFF or an e-mail message (by content), "
            "each at most 20 MiB",
        },
    }
    if receipt:
        properties["receipt"] = {
            "type": "string",
            "format": "binary",
            "description": "the raw receipt (same kinds and limit), hashed on the event",
        }
    return {"type": "object", "required": [field], "properties": properties}


def _body(model: type[DeliveryIn] | type[EventIn], field: str, receipt: bool) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": model.model_json_schema()},
                "multipart/form-data": {
                    "schema": _multipart(field, "the JSON body as a form field", receipt)
                },
            },
        }
    }


@dataclass(frozen=True)
class Upload:
    raw: Any
    proofs: list[ProofFile]
    receipt: ProofFile | None


async def _read(request: Request, field: str) -> Upload:
    """JSON body, or multipart with the JSON as ``field`` and files as ``proof`` (and one
    ``receipt``). Read whole before the request's transaction begins: a slow upload never holds
    the database. A body over every limit together is refused unread (413)."""
    request = capped(request, MAX_BODY)
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            async with form_with_file_limit(
                request, max_files=MAX_PROOFS * 2 + 2, max_file_bytes=MAX_PROOF_BYTES
            ) as form:
                raw = form.get(field)
                if not isinstance(raw, str):
                    raise ValidationFailed(
                        [FieldError(field, "required", f"send the JSON as field '{field}'")]
                    )
                proofs = [await _file(item) for item in form.getlist("proof")]
                receipts = [await _file(item) for item in form.getlist("receipt")]
                if len(receipts) > 1:
                    raise ValidationFailed(
                        [FieldError("receipt", "too_many", "one raw receipt per event")]
                    )
                return Upload(
                    load_json(raw, field),
                    [p for p in proofs if p is not None],
                    receipts[0] if receipts else None,
                )
        return Upload(load_json(await request.body(), field), [], None)
    except FileTooLarge as large:
        raise ProofTooLarge([too_large(f"{large.field}.{large.index}", large.filename)]) from None


async def _file(item: Any) -> ProofFile | None:
    if not isinstance(item, UploadFile):
        return None
    return ProofFile(
        filename=item.filename or "proof",
        content_type=item.content_type or "application/octet-stream",
        data=await item.read(),
    )


@dataclass(frozen=True)
class DeliveryUpload:
    delivery: DeliveryIn
    proofs: list[ProofFile]


async def read_delivery(request: Request) -> DeliveryUpload:
    """Listed first among the endpoint's dependencies: read before the transaction."""
    upload = await _read(request, "delivery")
    if upload.receipt is not None:
        raise ValidationFailed(
            [FieldError("receipt", "not_here", "a raw receipt goes with an event")]
        )
    return DeliveryUpload(parse(DeliveryIn, upload.raw), upload.proofs)


@dataclass(frozen=True)
class EventUpload:
    event: EventIn
    proofs: list[ProofFile]
    receipt: ProofFile | None


async def read_event(request: Request) -> EventUpload:
    upload = await _read(request, "event")
    return EventUpload(parse(EventIn, upload.raw), upload.proofs, upload.receipt)


@router.post(
    "/v1/documents/{document_id}/deliveries",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=DeliveryOut,
    responses=errors(401, 403, 404, 413, 422),
    openapi_extra=_body(DeliveryIn, "delivery", receipt=False),
)
@body_limit(Limit.PROOFS)
async def record_delivery(
    document_id: str,
    upload: Annotated[DeliveryUpload, Depends(read_delivery)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> DeliveryOut:
    """A client-reported attempt with one event (proof files archived beside the signed PDF),
    or, without ``status``, an attempt sent by the channel's sender."""
    return await run_in_threadpool(
        service.record_delivery,
        session,
        wiring,
        caller,
        document_id,
        upload.delivery,
        upload.proofs,
    )


@router.get(
    "/v1/documents/{document_id}/deliveries",
    response_model=list[DeliveryOut],
    responses=errors(401, 403, 404),
)
def list_deliveries(
    document_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> list[DeliveryOut]:
    return service.list_deliveries(session, wiring, caller, document_id)


@router.get(
    "/v1/deliveries/{delivery_id}",
    response_model=DeliveryOut,
    responses=errors(401, 403, 404),
)
def get_delivery(
    delivery_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> DeliveryOut:
    return service.get_delivery(session, wiring, caller, delivery_id)


@router.post(
    "/v1/deliveries/{delivery_id}/events",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=AppendedOut,
    responses=errors(401, 403, 404, 413, 422),
    openapi_extra=_body(EventIn, "event", receipt=True),
)
@body_limit(Limit.PROOFS)
async def append_event(
    delivery_id: str,
    upload: Annotated[EventUpload, Depends(read_event)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> AppendedOut:
    """One event for the attempt; an event after a terminal state is kept, not applied."""
    return await run_in_threadpool(
        service.record_event,
        session,
        wiring,
        caller,
        delivery_id,
        upload.event,
        upload.proofs,
        upload.receipt,
    )
