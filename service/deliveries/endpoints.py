"""``/v1/documents/{id}/deliveries``: record an outcome (JSON, or multipart with proof files)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.creditors.auth import Permission
from service.deliveries import service
from service.deliveries.schemas import DeliveryIn, DeliveryOut
from service.deliveries.service import ProofFile
from service.errors import FieldError, ValidationFailed
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.fields import parse
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/documents", tags=["deliveries"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DeliveryIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["delivery"],
                    "properties": {
                        "delivery": {
                            "type": "string",
                            "description": "the delivery as JSON (the application/json body)",
                        },
                        "proof": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            },
        },
    }
}


@router.post(
    "/{document_id}/deliveries",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=DeliveryOut,
    responses=errors(401, 403, 404, 422),
    openapi_extra=_BODY,
)
async def record_delivery(
    document_id: str,
    upload: Annotated[Upload, Depends(read_upload)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> DeliveryOut:
    """A delivery outcome; with multipart, proof files are archived beside the signed PDF."""
    return await run_in_threadpool(
        service.record_delivery,
        session,
        wiring.clock,
        wiring.archive,
        caller,
        document_id,
        upload.delivery,
        upload.proofs,
    )


@dataclass(frozen=True)
class Upload:
    delivery: DeliveryIn
    proofs: list[ProofFile]


async def read_upload(request: Request) -> Upload:
    """The whole body, read before the request's transaction begins (listed first among the
    endpoint's dependencies): a slow upload never holds the database."""
    raw, proofs = await _read(request)
    return Upload(parse(DeliveryIn, raw), proofs)


async def _read(request: Request) -> tuple[Any, list[ProofFile]]:
    """JSON body, or multipart with the JSON as field ``delivery`` and files as ``proof``."""
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            async with request.form() as form:
                raw = form.get("delivery")
                if not isinstance(raw, str):
                    raise ValidationFailed(
                        [FieldError("delivery", "required", "send the JSON as field 'delivery'")]
                    )
                proofs = [
                    ProofFile(
                        filename=item.filename or "proof",
                        content_type=item.content_type or "application/octet-stream",
                        data=await item.read(),
                    )
                    for item in form.getlist("proof")
                    if isinstance(item, UploadFile)
                ]
                return json.loads(raw), proofs
        return await request.json(), []
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError("delivery", "invalid_json", str(exc))]) from None


@router.get(
    "/{document_id}/deliveries",
    response_model=list[DeliveryOut],
    responses=errors(401, 403, 404),
)
def list_deliveries(document_id: str, session: DbSession, caller: Caller) -> list[DeliveryOut]:
    return service.list_deliveries(session, caller, document_id)
