"""``GET /v1/documents/{id}/verify`` and a case's history, for auditors; and the public
verification page behind the QR code (``/verify/{token}``, HTML; ``/v1/verify/{token}``, JSON),
which needs no API key and shows no debtor data (finding #19)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message

from service.creditors.service import authenticate
from service.errors import FieldError, NotFound, TooLarge, ValidationFailed
from service.evidence import pages, service
from service.evidence.checks import TOKEN
from service.evidence.export import MEDIA_TYPES, export
from service.evidence.pack import Format
from service.evidence.packs import service as packs
from service.evidence.schemas import HistoryOut, PublicVerifyOut, VerifyOut
from service.kernel.route import Route
from service.kit.deps import Caller, DbSession, WiringDep, read_only
from service.kit.fields import QueryDay
from service.kit.http_errors import Responses, checks_its_own_path, errors
from service.kit.limits import Limit, body_limit
from service.timeline.entry import EntryKind, Window

router = APIRouter(prefix="/v1", tags=["evidence"])
public = APIRouter(tags=["public verification"])


@router.get(
    "/documents/{document_id}/verify", response_model=VerifyOut, responses=errors(401, 403, 404)
)
def verify(document_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> VerifyOut:
    """Re-check the archived PDF's hash, its signature and the creditor's audit chain."""
    found = service.verify_document(session, wiring.verifying(), caller, document_id)
    return VerifyOut.of(found)


@router.get(
    "/cases/{external_id}/history",
    response_model=HistoryOut,
    responses=errors(401, 403, 404, 422),
)
def get_case_history(
    external_id: str,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    since: Annotated[QueryDay | None, Query(alias="from")] = None,
    until: Annotated[QueryDay | None, Query(alias="to")] = None,
    kind: Annotated[list[EntryKind] | None, Query()] = None,
) -> HistoryOut:
    """Everything that happened on the case, in order: ``entries`` (charges, payments,
    documents, deliveries with proofs, agreement steps, acknowledgments, hardship, case log,
    rule decisions), the documents and the audit events. ``from``/``to`` (days, inclusive) and
    ``kind`` (repeatable; ``audit`` selects ``events``) narrow all three."""
    if since is not None and until is not None and since > until:
        raise ValidationFailed([FieldError("to", "before_from", "must not be before 'from'")])
    window = Window(since, until, frozenset(kind or ()))
    return service.case_timeline(
        session,
        caller,
        wiring.links,
        external_id,
        calendar=wiring.law.calendar,
        today=wiring.clock.today(),
        window=window,
    )


PACK: Responses = {
    200: {
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in dict.fromkeys(MEDIA_TYPES.values())
        },
        "description": "the evidence pack: a signed PDF/A-3 (default), an ASiC-E container "
        "(format=zip) or a ZIP of PDFs for the court portal (format=court)",
    }
}


def _sign_the_log_first(
    wiring: WiringDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    """A route dependency: it runs before the request's transaction opens."""
    with wiring.db.transaction(read_only=True) as session:
        caller = authenticate(session, authorization)
    packs.sign_log_first(wiring.db, wiring.clock, wiring.signer, caller.creditor_id)


@router.get(
    "/cases/{external_id}/evidence-pack",
    response_class=Response,
    dependencies=[Depends(_sign_the_log_first)],
    responses=errors(401, 403, 404, 422, also=PACK),
)
def get_evidence_pack(
    external_id: str,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    route: Route = Route.NOTARY,
    format: Format = Format.PDF,
) -> Response:
    """The case's evidence for a notary or a court: every document and delivery proof unchanged,
    re-checked, with the chronology and the readiness for the route (auditor, system, admin)."""
    pack = packs.collect_pack(session, wiring.packing(), caller, external_id, route)
    exported = export(pack, wiring.pack_ports(), format)
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


# --- the public check: no key ---------------------------------------------------------------

_FORM_OVERHEAD = 64 * 1024
"""Room for the multipart boundaries and part headers around a file at the limit."""
_DRAIN_FACTOR = 8
"""An upload over the limit is read on (and dropped) up to this many limits, so the client
gets its 413 rather than a reset connection; a larger one is answered without reading on."""


@dataclass(frozen=True)
class PdfUpload:
    """The uploaded file, read whole before the request's transaction, or why there is none."""

    data: bytes | None
    problem: pages.Problem | None
    limit: int

    def required(self) -> bytes:
        """The bytes, or the problem as the JSON API's error."""
        if self.problem == "unknown_link":
            raise NotFound("no document has this verification link")
        if self.problem == "too_large":
            raise TooLarge(self.limit)
        if self.data is None:
            raise ValidationFailed(
                [
                    FieldError(
                        "file",
                        "required",
                        "send the PDF as multipart form field 'file' (or as an "
                        "application/pdf body)",
                    )
                ]
            )
        return self.data


async def read_pdf_upload(request: Request, wiring: WiringDep) -> PdfUpload:
    """The PDF of a multipart form (field ``file``) or of an ``application/pdf`` body, no more
    than ``TALAP_VERIFY_UPLOAD_LIMIT`` bytes (listed first among the endpoint's dependencies:
    a slow upload never holds the database)."""
    limit = wiring.settings.verify_upload_limit
    if not TOKEN.fullmatch(str(request.path_params.get("token", ""))):
        # No document has such a link: answer 404 without reading (or buffering) the body.
        return PdfUpload(None, "unknown_link", limit)
    ceiling = limit + _FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    too_large = PdfUpload(None, "too_large", limit)
    if declared.isdigit() and int(declared) > ceiling * _DRAIN_FACTOR:
        return too_large
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > ceiling * _DRAIN_FACTOR:
            return too_large
        if seen <= ceiling:
            body += chunk
    if seen > ceiling:
        return too_large
    content_type = request.headers.get("content-type", "")
    data: bytes | None = None
    if content_type.startswith("multipart/form-data"):
        data = await _form_file(request, bytes(body))
    elif content_type.split(";")[0].strip() in ("application/pdf", "application/octet-stream"):
        data = bytes(body)
    if not data:
        return PdfUpload(None, "no_file", limit)
    if len(data) > limit:
        return too_large
    return PdfUpload(data, None, limit)


async def _form_file(request: Request, body: bytes) -> bytes | None:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(request.scope, replay).form(max_files=1, max_fields=4) as form:
            item = form.get("file")
            return await item.read() if isinstance(item, UploadFile) else None
    except StarletteHTTPException:  # a malformed form: no file to compare
        return None


Upload = Annotated[PdfUpload, Depends(read_pdf_upload)]

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _html(body: str, status: int) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=pages.HEADERS)


@public.get(
    "/verify/{token}",
    response_class=HTMLResponse,
    responses={404: {"description": "No document has this link", "content": {"text/html": {}}}},
)
@checks_its_own_path("token")
def public_page(token: str, session: DbSession, wiring: WiringDep) -> HTMLResponse:
    """The page the QR code opens: validity, number, date, kind, creditor, SHA-256 (kk, ru)."""
    try:
        found = service.public_check(session, wiring.verifying(), token)
    except NotFound:
        return _html(pages.not_found_page(), 404)
    return _html(pages.verify_page(found, limit=wiring.settings.verify_upload_limit), 200)


@public.post(
    "/verify/{token}",
    response_class=HTMLResponse,
    responses={
        404: {"description": "No document has this link", "content": {"text/html": {}}},
        413: {"description": "The file is larger than the limit", "content": {"text/html": {}}},
        422: {"description": "No file was sent", "content": {"text/html": {}}},
    },
    openapi_extra=_UPLOAD_BODY,
)
@checks_its_own_path("token")
@read_only
@body_limit(Limit.VERIFICATION)
def public_upload(
    token: str, upload: Upload, session: DbSession, wiring: WiringDep
) -> HTMLResponse:
    """Compare a PDF someone holds (form field ``file``) with the archived original."""
    try:
        if upload.data is None:
            found = service.public_check(session, wiring.verifying(), token)
            status = 413 if upload.problem == "too_large" else 422
            page = pages.verify_page(found, limit=upload.limit, problem=upload.problem)
            return _html(page, status)
        found, compared = service.compare_upload(session, wiring.verifying(), token, upload.data)
    except NotFound:
        return _html(pages.not_found_page(), 404)
    return _html(pages.verify_page(found, limit=upload.limit, upload=compared), 200)


@public.get(
    "/v1/verify/{token}",
    response_model=PublicVerifyOut,
    responses=errors(404),
)
@checks_its_own_path("token")
def public_json(token: str, session: DbSession, wiring: WiringDep) -> PublicVerifyOut:
    """The public check as JSON, for machines."""
    return PublicVerifyOut.of(service.public_check(session, wiring.verifying(), token))


@public.post(
    "/v1/verify/{token}",
    response_model=PublicVerifyOut,
    responses=errors(404, 413, 422),
    openapi_extra=_UPLOAD_BODY,
)
@checks_its_own_path("token")
@read_only
@body_limit(Limit.VERIFICATION)
def public_json_upload(
    token: str, upload: Upload, session: DbSession, wiring: WiringDep
) -> PublicVerifyOut:
    """The public check and whether the sent PDF (multipart field ``file``, or an
    ``application/pdf`` body) is the archived original, as JSON."""
    data = upload.required()
    found, compared = service.compare_upload(session, wiring.verifying(), token, data)
    return PublicVerifyOut.of(found, compared)
