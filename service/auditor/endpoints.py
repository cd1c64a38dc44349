"""The auditor pages under ``/ui/`` (HTML; not in the OpenAPI document). Every page reads with
the session's ``Principal`` through the API's use cases; every download is an attachment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from service.auditor import pages, service
from service.auditor.downloads import attachment, sniff
from service.creditors.auth import Permission
from service.documents import service as documents
from service.errors import FieldError, ValidationFailed
from service.evidence.export import export
from service.evidence.pack import Format
from service.evidence.packs import service as packs
from service.kernel.route import Route
from service.kit.deps import DbSession, WiringDep
from service.kit.fields import EARLIEST_DATE, LATEST_DATE
from service.outgoing import service as outgoing
from service.timeline.entry import EntryKind, Window
from service.web import service as web_service
from service.web.pages import PREFIX, SESSION_COOKIE, Viewer

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/cases", response_class=HTMLResponse)
def search_cases(request: Request, session: DbSession, caller: Viewer, q: str = "") -> HTMLResponse:
    found = service.search(session, caller, q)
    return pages.render(request, "cases.html", found=found)


@router.get("/cases/{external_id}", response_class=HTMLResponse)
def case_page(
    external_id: str,
    request: Request,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    since: Annotated[str, Query(alias="from", max_length=10)] = "",
    until: Annotated[str, Query(alias="to", max_length=10)] = "",
    kind: Annotated[list[EntryKind] | None, Query()] = None,
) -> HTMLResponse:
    """The case, its documents and its timeline, narrowed like ``GET /v1/cases/{id}/history``
    (``from``, ``to``, repeatable ``kind``; the form sends an empty date as ``from=``)."""
    first, last = _day("from", since), _day("to", until)
    if first is not None and last is not None and first > last:
        first, last = last, first
    window = Window(first, last, frozenset(kind or ()))
    view = service.case_view(session, wiring, caller, external_id, window)
    return pages.render(request, "case.html", view=view, kinds_all=list(EntryKind))


def _day(field: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed([FieldError(field, "invalid_date", "a date: YYYY-MM-DD")]) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        message = f"must lie between {EARLIEST_DATE} and {LATEST_DATE}"
        raise ValidationFailed([FieldError(field, "out_of_range", message)])
    return day


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(
    document_id: str, request: Request, session: DbSession, caller: Viewer, wiring: WiringDep
) -> HTMLResponse:
    view = service.document_view(session, wiring, caller, document_id)
    return pages.render(request, "document.html", view=view)


@router.get("/documents/{document_id}/pdf")
def document_pdf(
    document_id: str, session: DbSession, caller: Viewer, wiring: WiringDep
) -> Response:
    now = wiring.clock.now()
    record, pdf = documents.get_pdf(session, wiring.archive, caller, document_id, now)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(f"talap-{record.number}.pdf")},
    )


@router.get("/documents/{document_id}/proofs/{sha256}")
def proof_file(
    document_id: str, sha256: str, session: DbSession, caller: Viewer, wiring: WiringDep
) -> Response:
    name, data = service.proof_file(session, wiring, caller, document_id, sha256)
    return Response(data, media_type=sniff(data), headers={"Content-Disposition": attachment(name)})


def _sign_the_log_first(request: Request, wiring: WiringDep) -> None:
    """As the API's pack does: before the page's transaction opens (``packs.sign_log_first``)."""
    with wiring.db.transaction(read_only=True) as session:
        found = web_service.find(session, wiring.clock, request.cookies.get(SESSION_COOKIE))
    if found is not None:  # no session: the page's own dependency answers with the login
        packs.sign_log_first(wiring.db, wiring.clock, wiring.signer, found.principal.creditor_id)


@router.get("/cases/{external_id}/evidence-pack", dependencies=[Depends(_sign_the_log_first)])
def evidence_pack(
    external_id: str,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    route: Route = Route.NOTARY,
    format: Format = Format.PDF,
) -> Response:
    """The evidence pack as ``GET /v1/cases/{id}/evidence-pack`` builds it, for the session."""
    pack = packs.collect_pack(session, wiring.packing(), caller, external_id, route)
    exported = export(pack, wiring.pack_ports(), format)
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={"Content-Disposition": attachment(exported.filename)},
    )


@router.get("/registry", response_class=HTMLResponse)
def registry_page(request: Request, caller: Viewer, wiring: WiringDep) -> HTMLResponse:
    """The outgoing register's period and format (a plain GET form to ``/ui/registry/export``)."""
    caller.require(Permission.READ)
    today = wiring.clock.today()
    return pages.render(
        request, "registry.html", since=today.replace(day=1), until=today, formats=("xlsx", "csv")
    )


@router.get("/registry/export")
def registry_export(
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
    since: Annotated[str, Query(alias="from", max_length=10)] = "",
    until: Annotated[str, Query(alias="to", max_length=10)] = "",
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    """The outgoing register as ``GET /v1/registry/outgoing`` builds it, for the session."""
    first, last = _day("from", since), _day("to", until)
    if first is None or last is None:
        missing = "from" if first is None else "to"
        raise ValidationFailed([FieldError(missing, "required", "a date: YYYY-MM-DD")])
    found = outgoing.export(session, caller, first, last, format, wiring.clock.now())
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": attachment(found.filename)},
    )
