"""``/v1/post-registers``: make a list of letters for the post office, a courier or hand
delivery (one delivery attempt per letter) and fetch it as PDF or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
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
from service.deliveries.schemas import AppendedOut
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.fields import parse
from service.kit.http_errors import errors
from service.kit.limits import Limit, body_limit
from service.kit.uploads import FileTooLarge, capped, form_with_file_limit
from service.postal import service
from service.postal.schemas import PostListIn, PostListOut, ReturnReceiptIn

router = APIRouter(prefix="/v1/post-registers", tags=["post"])
receipts = APIRouter(prefix="/v1/deliveries", tags=["post"])

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}


@router.post(
    "",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=PostListOut,
    responses=errors(401, 403, 404, 409, 422),
)
def create_list(
    payload: PostListIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> PostListOut:
    """A numbered list (per creditor and year, gapless) and a delivery attempt per letter."""
    return service.create_list(
        session, wiring.clock, wiring.renderer, wiring.settings.public_url, caller, payload
    )


def _file(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/{list_id}.pdf",
    response_class=Response,
    responses=errors(
        401,
        403,
        404,
        also={200: {"content": {PDF: {"schema": BINARY}}, "description": "The list, PDF/A-2b"}},
    ),
)
def list_pdf(list_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> Response:
    """Typeset on request from what the list stored: the same list gives the same bytes."""
    found = service.printed(session, caller, list_id)
    return _file(service.pdf(wiring.renderer, found), PDF, f"{found.row.number}.pdf")


@router.get(
    "/{list_id}.xlsx",
    response_class=Response,
    responses=errors(
        401,
        403,
        404,
        also={200: {"content": {XLSX: {"schema": BINARY}}, "description": "The list, XLSX"}},
    ),
)
def list_xlsx(list_id: str, session: DbSession, caller: Caller) -> Response:
    found = service.printed(session, caller, list_id)
    return _file(service.xlsx(found), XLSX, f"{found.row.number}.xlsx")


@router.get("/{list_id}", response_model=PostListOut, responses=errors(401, 403, 404))
def get_list(list_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> PostListOut:
    return service.get_list(session, caller, wiring.settings.public_url, list_id)


MAX_BODY = MAX_UPLOAD_BYTES
_RECEIPT_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["status", "date", "proof"],
                    "properties": {
                        "status": {"type": "string", "enum": ["delivered", "refused", "returned"]},
                        "date": {"type": "string", "format": "date"},
                        "note": {"type": "string"},
                        "proof": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_PROOFS,
                            "items": {"type": "string", "format": "binary"},
                            "description": "the return receipt: PDF, JPEG, PNG or TIFF (by "
                            "content), each at most 20 MiB",
                        },
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True)
class ReceiptUpload:
    receipt: ReturnReceiptIn
    proofs: list[ProofFile]


async def read_receipt(request: Request) -> ReceiptUpload:
    """The form, read whole before the request's transaction (listed first among the
    endpoint's dependencies): a slow upload never holds the database."""
    request = capped(request, MAX_BODY)
    try:
        async with form_with_file_limit(
            request, max_files=MAX_PROOFS + 1, max_file_bytes=MAX_PROOF_BYTES
        ) as form:
            fields: dict[str, Any] = {
                name: value for name, value in form.multi_items() if isinstance(value, str)
            }
            proofs = [
                ProofFile(
                    filename=item.filename or "proof",
                    content_type=item.content_type or "application/octet-stream",
                    data=await item.read(),
                )
                for item in form.getlist("proof")
                if isinstance(item, UploadFile)
            ]
    except FileTooLarge as large:
        raise ProofTooLarge([too_large(f"{large.field}.{large.index}", large.filename)]) from None
    return ReceiptUpload(parse(ReturnReceiptIn, fields), proofs)


@receipts.post(
    "/by-tracking/{tracking_number}",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=AppendedOut,
    responses=errors(401, 403, 404, 409, 413, 422),
    openapi_extra=_RECEIPT_FORM,
)
@body_limit(Limit.PROOFS)
async def attach_receipt(
    tracking_number: str,
    upload: Annotated[ReceiptUpload, Depends(read_receipt)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> AppendedOut:
    """A registered letter's return receipt, found by its tracking number among your own
    delivery attempts: unknown number 404, a number on two attempts 409."""
    return await run_in_threadpool(
        service.attach_receipt,
        session,
        wiring,
        caller,
        tracking_number,
        upload.receipt,
        upload.proofs,
    )
