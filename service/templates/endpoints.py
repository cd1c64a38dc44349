"""The template API (issue 9, "API shape"): templates and their versions for the lawyer role.

Upload is multipart (``source``: one file or a ZIP of the template folder; ``engine``,
``changelog``, optional ``schema`` as text or a file, optional ``provisions`` as a comma list or
JSON), read whole under its size limit before the transaction begins. The colon actions
(``:check``, ``:approve``, ``:schedule``, ``:retire``) are POSTs on a version.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.creditors.auth import Permission
from service.errors import FieldError, TooLarge, ValidationFailed
from service.kit.deps import Caller, DbSession, WiringDep, read_only, requires
from service.kit.http_errors import Responses, errors
from service.kit.limits import Limit, body_limit
from service.kit.uploads import capped
from service.templates import service
from service.templates.bundle import MAX_BYTES
from service.templates.schemas import (
    CheckOut,
    ProblemOut,
    RedlineOut,
    ScheduleIn,
    TemplateOut,
    VersionOut,
)

router = APIRouter(prefix="/v1", tags=["templates"])

MAX_FORM = MAX_BYTES + 1024 * 1024
"""The source's limit plus room for the schema, the changelog and the form's framing."""
ZIP: Responses = {
    200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}
}
PDF: Responses = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
}


class SourceTooLarge(TooLarge):
    def __init__(self) -> None:
        super().__init__(MAX_BYTES)
        self.message = (
            f"source: the template upload is larger than the limit of {MAX_BYTES // (1024 * 1024)}"
            f" MiB ({MAX_BYTES} bytes)"
        )


class VersionUpload:
    def __init__(
        self,
        filename: str,
        data: bytes,
        engine: str,
        changelog: str,
        schema: str | None,
        provisions: str | None,
    ) -> None:
        self.filename = filename
        self.data = data
        self.engine = engine
        self.changelog = changelog
        self.schema = schema
        self.provisions = provisions


async def _text(item: Any) -> str | None:
    if isinstance(item, UploadFile):
        raw = await item.read()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(
                [FieldError("schema", "invalid_encoding", "the schema file must be UTF-8")]
            ) from None
    return item if isinstance(item, str) else None


async def read_version_upload(request: Request) -> VersionUpload:
    """Listed among the endpoint's dependencies after the permission: read before the
    transaction begins; over the limit it is refused with 413 naming the source."""
    try:
        limited = capped(request, MAX_FORM)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise ValidationFailed(
                [FieldError("source", "required", "send multipart/form-data with a `source` file")]
            )
        async with limited.form(max_files=3, max_part_size=MAX_FORM) as form:
            source = form.get("source")
            problems: list[FieldError] = []
            if not isinstance(source, UploadFile):
                problems.append(FieldError("source", "required", "attach the template as `source`"))
            engine = form.get("engine")
            changelog = form.get("changelog")
            if not isinstance(engine, str) or not engine.strip():
                problems.append(FieldError("engine", "required", "typst, docx or html"))
            if not isinstance(changelog, str):
                problems.append(FieldError("changelog", "required", "say what changed and why"))
            schema = await _text(form.get("schema"))
            provisions = await _text(form.get("provisions"))
            if problems or not isinstance(source, UploadFile):
                raise ValidationFailed(problems)
            data = await source.read()
            if len(data) > MAX_BYTES:
                raise SourceTooLarge()
            return VersionUpload(
                filename=source.filename or "source",
                data=data,
                engine=str(engine).strip(),
                changelog=str(changelog),
                schema=schema,
                provisions=provisions,
            )
    except SourceTooLarge:
        raise
    except TooLarge:
        raise SourceTooLarge() from None


@router.get("/templates", response_model=list[TemplateOut], responses=errors(401, 403))
@read_only
def list_templates(session: DbSession, caller: Caller, wiring: WiringDep) -> list[TemplateOut]:
    """Every template the key may see — the shared ones and its creditor's own — with their
    versions, which one is live, and whether it is stale (and why)."""
    found = service.list_templates(session, wiring.templating(), caller)
    return [TemplateOut.of(t) for t in found]


@router.post(
    "/templates/{kind}/{language}/versions",
    dependencies=[requires(Permission.AUTHOR_TEMPLATES)],
    status_code=201,
    response_model=VersionOut,
    responses=errors(401, 403, 409, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["source", "engine", "changelog"],
                        "properties": {
                            "source": {"type": "string", "format": "binary"},
                            "engine": {"type": "string", "enum": ["typst", "docx", "html"]},
                            "changelog": {"type": "string"},
                            "schema": {"type": "string"},
                            "provisions": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
@body_limit(Limit.TEMPLATE_SOURCES)
async def upload_version(
    kind: str,
    language: str,
    upload: Annotated[VersionUpload, Depends(read_version_upload)],
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    response: Response,
) -> VersionOut:
    """A new draft; ``422`` with every problem at once (the checks' findings carry their file
    and line, or Word paragraph or cell)."""
    created = await run_in_threadpool(
        lambda: service.upload(
            session,
            wiring.templating(),
            caller,
            kind,
            language,
            filename=upload.filename,
            data=upload.data,
            engine=upload.engine,
            changelog=upload.changelog,
            schema=upload.schema,
            provisions=upload.provisions,
        )
    )
    response.headers["Location"] = f"/v1/template-versions/{created.id}"
    return VersionOut.of(created)


@router.get(
    "/template-versions/{version_id}",
    response_model=VersionOut,
    responses=errors(401, 403, 404),
)
@read_only
def get_version(
    version_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> VersionOut:
    return VersionOut.of(service.get_version(session, wiring.templating(), caller, version_id))


@router.get(
    "/template-versions/{version_id}/source",
    response_class=Response,
    responses=errors(401, 403, 404, 409, also=ZIP),
)
@read_only
def get_source(version_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> Response:
    """The sources as the canonical ZIP: its SHA-256 is the version id (``409
    archive_mismatch`` if the archived sources no longer hash to it)."""
    info, data = service.source(session, wiring.templating(), caller, version_id)
    name = f"{info.kind}-{info.language}-{info.id[:12]}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get(
    "/template-versions/{version_id}/preview",
    response_class=Response,
    responses=errors(401, 403, 404, 422, also=PDF),
)
@read_only
def preview_version(
    version_id: str,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    case: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The version with the sample case (or ``?case=`` one of the key's creditor's cases),
    marked draft, unsigned; nothing is stored."""
    pdf = service.preview(
        session, wiring.templating(), caller, version_id, case, issuing=wiring.issuing()
    )
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": "inline"})


@router.post(
    "/template-versions/{version_id}:check",
    dependencies=[requires(Permission.AUTHOR_TEMPLATES)],
    response_model=CheckOut,
    responses=errors(401, 403, 404),
)
@read_only
def check_version(
    version_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> CheckOut:
    """Runs the checks again (the law may have moved on since the upload); changes nothing."""
    problems = service.check(session, wiring.templating(), caller, version_id)
    return CheckOut(
        version=version_id,
        ok=not problems,
        problems=[ProblemOut(**p.as_dict()) for p in problems],
    )


@router.post(
    "/template-versions/{version_id}:approve",
    dependencies=[requires(Permission.APPROVE_TEMPLATES)],
    response_model=VersionOut,
    responses=errors(401, 403, 404, 409, 422),
)
def approve_version(
    version_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> VersionOut:
    """A second lawyer approves a draft whose checks pass; its author gets ``409
    self_approval``."""
    return VersionOut.of(service.approve(session, wiring.templating(), caller, version_id))


@router.post(
    "/template-versions/{version_id}:schedule",
    dependencies=[requires(Permission.APPROVE_TEMPLATES)],
    response_model=VersionOut,
    responses=errors(401, 403, 404, 409, 422),
)
def schedule_version(
    version_id: str, payload: ScheduleIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> VersionOut:
    """An approved version goes live at ``live_from`` (not in the past)."""
    found = service.schedule(session, wiring.templating(), caller, version_id, payload.live_from)
    return VersionOut.of(found)


@router.post(
    "/template-versions/{version_id}:retire",
    dependencies=[requires(Permission.APPROVE_TEMPLATES)],
    response_model=VersionOut,
    responses=errors(401, 403, 404, 409),
)
def retire_version(
    version_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> VersionOut:
    """Never the live one: schedule its successor first."""
    return VersionOut.of(service.retire(session, wiring.templating(), caller, version_id))


@router.get(
    "/template-versions/{a}/redline/{b}",
    response_model=RedlineOut,
    responses=errors(401, 403, 404),
)
@read_only
def redline(a: str, b: str, session: DbSession, caller: Caller, wiring: WiringDep) -> RedlineOut:
    found = dict(service.redline(session, wiring.templating(), caller, a, b))
    return RedlineOut(schema_=found.pop("schema"), **found)
