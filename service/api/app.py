"""The HTTP API (``/v1``). Handlers translate HTTP to use cases and back, nothing more."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile as StarletteUpload

from service.api.deps import Caller
from service.api.errors import install_error_handlers
from service.api.rules_routes import router as rules_router
from service.api.schemas import ERROR_RESPONSES
from service.application import cases, creditors, deliveries, documents, issuing
from service.application.auth import Permission
from service.bootstrap import Container
from service.contract import CaseIn, CreditorIn, IssueIn
from service.db import repositories as repo
from service.errors import FieldError, ValidationFailed

ROUTERS = [rules_router]


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Talap",
        version="0.1.0",
        description="Pre-trial debt notices for housing associations in Kazakhstan.",
        responses=ERROR_RESPONSES,
    )
    install_error_handlers(app)
    app.state.container = container
    c = container
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "development_signature": c.settings.signing_key is None}

    @app.post("/v1/creditors", status_code=201)
    def create_creditor(caller: Caller, payload: CreditorIn) -> dict[str, str]:
        caller.require(Permission.MANAGE_CREDITORS)
        with c.db.transaction() as session:
            creditor_id = creditors.register_creditor(
                session, c.clock, payload, actor=f"api_key:{caller.key_id}"
            )
        return {"id": creditor_id}

    @app.put("/v1/cases/{external_id}")
    def put_case(
        external_id: str, caller: Caller, payload: CaseIn, response: Response
    ) -> dict[str, Any]:
        caller.require(Permission.WRITE_CASES)
        creditor_id = caller.creditor()
        with c.db.transaction() as session:
            created = cases.upsert_case(
                session,
                c.clock,
                creditor_id=creditor_id,
                external_id=external_id,
                payload=payload,
                actor=f"api_key:{caller.key_id}",
            )
            stored = repo.load_case(session, creditor_id, external_id)
        response.status_code = 201 if created else 200
        return _case_body(c, stored)

    @app.get("/v1/cases/{external_id}")
    def get_case(external_id: str, caller: Caller) -> dict[str, Any]:
        caller.require(Permission.READ)
        with c.db.transaction(read_only=True) as session:
            stored = repo.load_case(session, caller.creditor(), external_id)
        return _case_body(c, stored)

    @app.get("/v1/cases/{external_id}/history")
    def case_history(external_id: str, caller: Caller) -> dict[str, Any]:
        return documents.case_history(c, caller, external_id)

    @app.post("/v1/cases/{external_id}/documents", status_code=201)
    def issue_document(
        external_id: str,
        caller: Caller,
        payload: IssueIn,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    ) -> JSONResponse:
        outcome = issuing.issue(c, caller, external_id, payload, idempotency_key)
        body = outcome.document.as_json(c.settings.public_url)
        headers = {"Location": f"/v1/documents/{outcome.document.id}"}
        if outcome.replayed:
            headers["Idempotent-Replayed"] = "true"
        return JSONResponse(body, status_code=200 if outcome.replayed else 201, headers=headers)

    @app.post("/v1/cases/{external_id}/documents:preview")
    def preview_document(external_id: str, caller: Caller, payload: IssueIn) -> Response:
        pdf = issuing.preview(c, caller, external_id, payload)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="draft.pdf"'},
        )

    @app.post("/v1/cases/{external_id}/documents:explain")
    def explain_document(external_id: str, caller: Caller, payload: IssueIn) -> dict[str, Any]:
        return issuing.explain(c, caller, external_id, payload)

    @app.get("/v1/documents/{document_id}")
    def get_document(document_id: str, caller: Caller) -> dict[str, Any]:
        return documents.get_document(c, caller, document_id).as_json(c.settings.public_url)

    @app.get("/v1/documents/{document_id}/pdf")
    def get_pdf(document_id: str, caller: Caller) -> Response:
        record, pdf = documents.get_pdf(c, caller, document_id)
        filename = f"talap-{record.number}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "ETag": f'"{record.sha256}"',
            },
        )

    @app.post("/v1/documents/{document_id}/deliveries", status_code=201)
    async def record_delivery(document_id: str, caller: Caller, request: Request) -> Any:
        payload, proofs = await _delivery_request(request)
        return await run_in_threadpool(
            deliveries.record_delivery, c, caller, document_id, payload, proofs
        )

    @app.get("/v1/documents/{document_id}/deliveries")
    def list_deliveries(document_id: str, caller: Caller) -> list[dict[str, Any]]:
        return deliveries.list_deliveries(c, caller, document_id)

    @app.get("/v1/documents/{document_id}/verify")
    def verify(document_id: str, caller: Caller) -> dict[str, Any]:
        return documents.verify_document(c, caller, document_id)

    return app


async def _delivery_request(request: Request) -> tuple[Any, list[deliveries.ProofFile]]:
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
                    deliveries.ProofFile(
                        filename=item.filename or "proof",
                        content_type=item.content_type or "application/octet-stream",
                        data=await item.read(),
                    )
                    for item in form.getlist("proof")
                    if isinstance(item, StarletteUpload)
                ]
                return json.loads(raw), proofs
        return await request.json(), []
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError("delivery", "invalid_json", str(exc))]) from None


def app_from_environment() -> FastAPI:
    """Factory for `talap serve --workers N`: each worker process wires its own container."""
    from service.bootstrap import build_container
    from service.settings import Settings

    return create_app(build_container(Settings()))


def _case_body(c: Container, stored: repo.StoredCase) -> dict[str, Any]:
    summary, penalty = cases.compute_case_debt(
        stored, c.clock.today(), c.calendar, c.penalty_policy
    )
    return {
        "external_id": stored.external_id,
        "debtor": {"full_name": stored.debtor["full_name"], "iin": stored.debtor["iin"]},
        "debt": cases.debt_view(summary, penalty),
    }
