"""``/v1/batches``: many notices in one request — JSON items, or a 1C-style export uploaded as a
file — issued by the job queue's workers; their state and a summary workbook."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.batches import service
from service.batches.schemas import BatchAcceptedOut, BatchIn, BatchOut
from service.batches.service import ExportUpload
from service.creditors.auth import Permission
from service.errors import FieldError, ValidationFailed
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.fields import load_json, parse
from service.kit.http_errors import errors
from service.kit.limits import Limit, body_limit
from service.kit.uploads import capped

router = APIRouter(prefix="/v1/batches", tags=["batches"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}
MAX_BODY = 64 * 1024 * 1024
"""A JSON body or an export file: 100,000 items or a 1C export of a large city district."""


def _inlined(schema: Any, definitions: dict[str, Any] | None = None) -> Any:
    """The model's JSON schema with its ``$defs`` written in place (no cycles here): the route
    declares its body by hand, and a ``#/$defs`` reference would point nowhere in the spec."""
    if definitions is None and isinstance(schema, dict):
        definitions = schema.get("$defs", {})
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inlined(definitions[ref.rsplit("/", 1)[-1]], definitions)  # type: ignore[index]
        return {k: _inlined(v, definitions) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    return schema


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined(BatchIn.model_json_schema())},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {**BINARY, "description": "the export, .xlsx or .csv"},
                        "mapping": {**BINARY, "description": "column mapping YAML (default 1C's)"},
                        "kind": {"type": "string", "default": "reminder"},
                        "language": {
                            "type": "string",
                            "enum": ["kk", "ru", "bilingual"],
                            "description": "default: each debtor's own",
                        },
                    },
                }
            },
        },
    }
}


async def read_batch(request: Request) -> BatchIn | ExportUpload:
    """The body, read whole before the request's transaction: a slow upload never holds the
    database."""
    request = capped(request, MAX_BODY)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=2, max_fields=10) as form:
            upload, mapping = form.get("file"), form.get("mapping")
            if not isinstance(upload, UploadFile):
                raise ValidationFailed([FieldError("file", "required", "send the export as file")])
            kind, language = form.get("kind"), form.get("language")
            return ExportUpload(
                filename=upload.filename or "export.xlsx",
                data=await upload.read(),
                kind=kind if isinstance(kind, str) and kind else "reminder",
                language=language if isinstance(language, str) and language else None,
                mapping=await mapping.read() if isinstance(mapping, UploadFile) else None,
            )
    body: Any = load_json(await request.body(), "body")
    return parse(BatchIn, body)


@router.post(
    "",
    dependencies=[requires(Permission.ISSUE)],
    status_code=202,
    response_model=BatchAcceptedOut,
    responses=errors(401, 403, 413, 422),
    openapi_extra=_BODY,
)
@body_limit(Limit.BATCHES)
async def create_batch(
    payload: Annotated[BatchIn | ExportUpload, Depends(read_batch)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> BatchAcceptedOut:
    """Accept the items (stored with the batch, nothing lost on a crash) and queue them in
    chunks that any worker may take; each item is issued once, ever (its idempotency key is
    ``batch:<id>:<line>``). JSON: ``{"items": [{"case", "kind", "language", …}]}``, line = the
    item's position from 1. A file (multipart ``file``, optional ``mapping``, ``kind``,
    ``language``): every row checked first — any bad row is a 422 naming each by line and
    column, nothing stored —, the cases stored as ``PUT /v1/cases`` does, one notice per case
    (line = the account's first row); the same file again answers with its batch. Follow
    ``url`` for the progress."""
    chunk_size = wiring.settings.batch_chunk_size
    if isinstance(payload, BatchIn):
        return await run_in_threadpool(
            service.submit, session, wiring.clock, wiring.links, caller, payload, chunk_size
        )
    return await run_in_threadpool(
        service.submit_export,
        session,
        wiring.clock,
        wiring.law.calendar,
        wiring.links,
        caller,
        payload,
        chunk_size,
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
