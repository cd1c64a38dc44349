"""The lawyer's pages under ``/ui/templates`` (HTML; not in the OpenAPI document).

Each page calls one function of the template domain's service (through ``workbench.service``)
with the session's ``Principal``. Every action is a POST form carrying the session's CSRF token;
a refused action (an author approving their own version, a version in the wrong state, a moment
in the past, checks that fail before approval) is rolled back to a savepoint and shown on the
version page with its message, every problem with its location."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.auditor.downloads import attachment
from service.creditors.auth import Permission, Principal
from service.errors import Conflict, FieldError, NotFound, TalapError, ValidationFailed
from service.kit.deps import DbSession, WiringDep
from service.kit.limits import Limit, body_limit
from service.kit.uploads import capped
from service.templates.bundle import MAX_BYTES
from service.web import service as web_service
from service.web.pages import (
    CSRF_FIELD,
    CSRF_HEADER,
    PREFIX,
    SESSION_COOKIE,
    CheckedForm,
    LoginRequired,
    Viewer,
    check_csrf,
    redirect,
)
from service.web.service import WebSession
from service.workbench import pages, service, views

router = APIRouter(prefix=f"{PREFIX}/templates", include_in_schema=False)

UPLOAD_LIMIT = MAX_BYTES + 64 * 1024
"""The sources' limit and the form's few text fields."""
DONE = ("approved", "scheduled", "retired", "uploaded")


@router.get("", response_class=HTMLResponse)
def templates_page(
    request: Request, session: DbSession, caller: Viewer, wiring: WiringDep
) -> HTMLResponse:
    return pages.render(
        request, "templates.html", templates=service.overview(session, wiring, caller)
    )


# --- one version ------------------------------------------------------------------------------


def _version_page(
    request: Request,
    session: Session,
    wiring: WiringDep,
    caller: Principal,
    version_id: str,
    *,
    status: int = 200,
    done: str | None = None,
    refused: Refusal | None = None,
    problems: list[views.ProblemLine] | None = None,
) -> HTMLResponse:
    page = service.version(session, wiring, caller, version_id)
    tomorrow = wiring.clock.now().replace(second=0, microsecond=0)
    return pages.render(
        request,
        "version.html",
        status=status,
        page=page,
        done=done if done in DONE else None,
        refused=refused,
        problems=problems,
        schedule_default=views.local_input(tomorrow),
    )


@router.get("/versions/{version_id}", response_class=HTMLResponse)
def version_page(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    done: str | None = None,
) -> HTMLResponse:
    return _version_page(request, session, wiring, caller, version_id, done=done)


@router.get("/versions/{version_id}/source")
def version_source(
    version_id: str, session: DbSession, caller: Viewer, wiring: WiringDep
) -> Response:
    data = service.source(session, wiring, caller, version_id)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": attachment(f"template-{version_id[:12]}.zip")},
    )


@router.get("/versions/{version_id}/preview")
def version_preview(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    case: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The PDF with the sample data, or a real case's (``case``: its external id); a refusal
    (an unknown case, a case the version cannot render) is shown on the version page."""
    chosen = case.strip() or None
    try:
        pdf = service.preview(session, wiring, caller, version_id, chosen)
    except ValidationFailed as refused:
        return _version_page(
            request,
            session,
            wiring,
            caller,
            version_id,
            status=refused.status,
            refused=Refusal(refused),
            problems=views.refusal_problems(refused),
        )
    name = f"preview-{version_id[:12]}{'-' + chosen if chosen else ''}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(name)}
    )


# --- actions ----------------------------------------------------------------------------------


class Refusal:
    """What the version page says when an action was refused."""

    def __init__(self, error: TalapError) -> None:
        self.code = error.code
        self.message = error.message
        self.label = {
            "self_approval": "refused.self_approval",
            "wrong_state": "refused.wrong_state",
            "forbidden": "refused.forbidden",
            "validation_failed": "refused.invalid",
        }.get(error.code, "refused")


@contextmanager
def _savepoint(session: Session) -> Iterator[None]:
    """What the action changed is undone if it is refused (the request's transaction then
    commits nothing of it); the refusal goes on to the page."""
    with session.begin_nested():
        yield


def _act(
    request: Request,
    session: Session,
    wiring: WiringDep,
    caller: Principal,
    version_id: str,
    done: str,
    action: Callable[[], None],
) -> Response:
    try:
        with _savepoint(session):
            action()
    except (Conflict, ValidationFailed) as refused:
        found = views.refusal_problems(refused) if isinstance(refused, ValidationFailed) else None
        return _version_page(
            request,
            session,
            wiring,
            caller,
            version_id,
            status=refused.status,
            refused=Refusal(refused),
            problems=found or None,
        )
    return redirect(f"{PREFIX}/templates/versions/{version_id}?done={done}")


@router.post("/versions/{version_id}/approve", response_class=HTMLResponse)
def approve(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    _form: CheckedForm,
) -> Response:
    def act() -> None:
        service.approve(session, wiring, caller, version_id)

    return _act(request, session, wiring, caller, version_id, "approved", act)


@router.post("/versions/{version_id}/schedule", response_class=HTMLResponse)
def schedule(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    form: CheckedForm,
) -> Response:
    def act() -> None:
        moment = views.live_from(form.get("live_from", ""))
        service.schedule(session, wiring, caller, version_id, moment)

    return _act(request, session, wiring, caller, version_id, "scheduled", act)


@router.post("/versions/{version_id}/retire", response_class=HTMLResponse)
def retire(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    _form: CheckedForm,
) -> Response:
    def act() -> None:
        service.retire(session, wiring, caller, version_id)

    return _act(request, session, wiring, caller, version_id, "retired", act)


@router.post("/versions/{version_id}/check", response_class=HTMLResponse)
def check(
    version_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    _form: CheckedForm,
) -> Response:
    """The checks again (the law or the other language's version may have changed since the
    upload); nothing is stored, the page shows every problem with its location."""
    found = service.check(session, wiring, caller, version_id)
    return _version_page(request, session, wiring, caller, version_id, problems=found)


# --- upload -----------------------------------------------------------------------------------


def _blank_form(kind: str = "reminder", language: str = "kk") -> dict[str, str]:
    return {
        "kind": kind,
        "language": language,
        "engine": "docx",
        "changelog": "",
        "schema": "",
        "provisions": "",
    }


@router.get("/upload", response_class=HTMLResponse)
def upload_page(
    request: Request,
    caller: Viewer,
    kind: Annotated[str, Query(max_length=40)] = "reminder",
    language: Annotated[str, Query(max_length=20)] = "kk",
) -> HTMLResponse:
    return pages.render(request, "upload.html", form=_blank_form(kind, language), problems=[])


class Uploaded:
    """The upload form: its text fields and its one file."""

    def __init__(self, fields: dict[str, str], filename: str, data: bytes) -> None:
        self.fields = fields
        self.filename = filename
        self.data = data


def _author_session(request: Request, wiring: WiringDep) -> WebSession:
    """The session, in a short read-only transaction of its own, holding the permission to
    author: checked before the body is read (a key that may not author never sends its 10 MB),
    and without holding the request's transaction (and a writer's lock) while it arrives."""
    with wiring.db.transaction(read_only=True) as session:
        found = web_service.find(session, wiring.clock, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired("log in at /ui/login")
    found.principal.require(Permission.AUTHOR_TEMPLATES)
    return found


async def upload_form(
    request: Request, web: Annotated[WebSession, Depends(_author_session)]
) -> Uploaded:
    """The multipart form, read under the sources' size limit, kept only once its CSRF token
    matches the session's (``403`` otherwise)."""
    fields: dict[str, str] = {}
    filename, data = "", b""
    try:
        limited = capped(request, UPLOAD_LIMIT)
        async with limited.form(max_files=1, max_fields=10, max_part_size=64 * 1024) as form:
            for name, item in form.items():
                if isinstance(item, UploadFile):
                    filename, data = item.filename or "", await item.read(UPLOAD_LIMIT + 1)
                else:
                    fields[name] = item
    except StarletteHTTPException:  # malformed: no fields, so no token either
        fields = {}
    check_csrf(web.csrf_token, fields.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))
    return Uploaded(fields, filename, data)


@router.post("/upload", response_class=HTMLResponse)
@body_limit(Limit.TEMPLATE_SOURCES)
def upload(
    sent: Annotated[Uploaded, Depends(upload_form)],
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
) -> Response:
    """``sent`` first: the body is read before the request's transaction opens."""
    form = {**_blank_form(), **{k: v for k, v in sent.fields.items() if k in _blank_form()}}
    try:
        if not sent.data:
            raise ValidationFailed([FieldError("source", "required", "choose a file to upload")])
        with _savepoint(session):
            version_id = service.upload(
                session,
                wiring,
                caller,
                kind=form["kind"],
                language=form["language"],
                filename=sent.filename,
                data=sent.data,
                engine=form["engine"],
                changelog=form["changelog"],
                schema=form["schema"],
                provisions=form["provisions"],
            )
    except (ValidationFailed, Conflict) as refused:
        found = (
            views.refusal_problems(refused)
            if isinstance(refused, ValidationFailed)
            else [views.ProblemLine(refused.code, refused.message)]
        )
        return pages.render(
            request, "upload.html", status=refused.status, form=form, problems=found
        )
    return redirect(f"{PREFIX}/templates/versions/{version_id}?done=uploaded")


# --- redline ----------------------------------------------------------------------------------


@router.get("/redline/{a}/{b}", response_class=HTMLResponse)
def redline_page(
    a: str, b: str, request: Request, session: DbSession, caller: Viewer, wiring: WiringDep
) -> HTMLResponse:
    view = service.redline(session, wiring, caller, a, b)
    return pages.render(request, "redline.html", view=view)


@router.get("/redline/{a}/{b}/pages/{side}/{page}.png")
def redline_image(
    a: str,
    b: str,
    side: Literal["a", "b"],
    page: int,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
) -> Response:
    image = service.redline_image(session, wiring, caller, a, b, side, page)
    if image is None:
        raise NotFound("no such page")
    return Response(
        image, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )
