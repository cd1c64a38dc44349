"""Issuing (``POST /v1/cases/{id}/documents``), its dry runs (``:preview``, ``:explain``), and
reading a document back (``GET /v1/documents/{id}``, ``/pdf``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from service.creditors.auth import Permission
from service.documents import service
from service.documents.schemas import DocumentOut, ExplainOut, IssueIn, PenaltyRatesOut
from service.kit.deps import Caller, DbSession, WiringDep, read_only, requires
from service.kit.http_errors import Responses, errors

router = APIRouter(prefix="/v1", tags=["documents"])

PDF: Responses = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
}


@router.post(
    "/cases/{external_id}/documents",
    dependencies=[requires(Permission.ISSUE)],
    status_code=201,
    response_model=DocumentOut,
    responses=errors(
        401,
        403,
        404,
        409,
        422,
        also={200: {"model": DocumentOut, "description": "Replayed for its Idempotency-Key"}},
    ),
)
def issue_document(
    external_id: str,
    payload: IssueIn,
    response: Response,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> DocumentOut:
    outcome = service.issue(
        session, wiring.issuing(), caller, external_id, payload, idempotency_key
    )
    response.headers["Location"] = f"/v1/documents/{outcome.document.id}"
    if outcome.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return DocumentOut.of(outcome.document, wiring.links)


@router.post(
    "/cases/{external_id}/documents:preview",
    dependencies=[requires(Permission.PREVIEW)],
    response_class=Response,
    responses=errors(401, 403, 404, 422, also=PDF),
)
@read_only
def preview_document(
    external_id: str, payload: IssueIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> Response:
    """The PDF as it would be issued: unnumbered, unsigned, marked «ЖОБА / ПРОЕКТ».

    ``Talap-Penalty-Rates: to-confirm`` tells the creditor that a rate its penalty applied is not
    yet confirmed in the rate table (review #14); ``:explain`` lists the rows."""
    draft = service.preview(session, wiring.issuing(), caller, external_id, payload)
    headers = {"Content-Disposition": 'inline; filename="draft.pdf"'}
    rates = PenaltyRatesOut.of(draft.penalty)
    if rates is not None:
        headers["Talap-Penalty-Rates"] = rates.status
    return Response(draft.pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/cases/{external_id}/documents:explain",
    dependencies=[requires(Permission.PREVIEW)],
    response_model=ExplainOut,
    responses=errors(401, 403, 404, 422),
)
@read_only
def explain_document(
    external_id: str, payload: IssueIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> ExplainOut:
    """Every field error and every rule's outcome for this request, nothing stored."""
    prepared = service.explain(session, wiring.issuing(), caller, external_id, payload)
    penalty = prepared.facts.debt.penalty if prepared.facts is not None else None
    return ExplainOut.of(prepared.evaluation, prepared.errors, penalty)


@router.get("/documents/{document_id}", response_model=DocumentOut, responses=errors(401, 403, 404))
def get_document(
    document_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> DocumentOut:
    return DocumentOut.of(service.get_document(session, caller, document_id), wiring.links)


@router.get(
    "/documents/{document_id}/pdf",
    response_class=Response,
    responses=errors(401, 403, 404, 409, also=PDF),
)
def get_pdf(document_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> Response:
    """The signed PDF as archived. ``409 archive_mismatch`` when the archived bytes are missing
    or no longer hash to the record (never served; recorded in the audit log)."""
    record, pdf = service.get_pdf(session, wiring.archive, caller, document_id, wiring.clock.now())
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="talap-{record.number}.pdf"',
            "ETag": f'"{record.sha256}"',
        },
    )
