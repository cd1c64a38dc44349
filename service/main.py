"""The HTTP API (``/v1``): one router per domain, the error handler, request ids, ``/health``.

``create_app(wiring)`` builds the app around a wiring; ``app_from_environment`` is the factory
``talap serve --workers N`` gives uvicorn — each worker wires itself from the environment and
never migrates (``talap serve`` did that once before starting them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool

from service.agreements.endpoints import router as agreements
from service.audit.endpoints import router as audit
from service.audit.tasks import checkpoint_round
from service.auditor.endpoints import router as auditor
from service.batches.endpoints import router as batches
from service.bootstrap import Wiring, build_wiring, sweep_archive
from service.campaigns.endpoints import router as campaigns
from service.campaigns.pages import router as campaign_pages
from service.caselog.endpoints import router as caselog
from service.cases.endpoints import router as cases
from service.claims.endpoints import router as claims
from service.creditors.endpoints import router as creditors
from service.deliveries.endpoints import router as deliveries
from service.documents.endpoints import router as documents
from service.evidence.endpoints import public as public_verification
from service.evidence.endpoints import router as evidence
from service.kit.deps import auth_throttle
from service.kit.fields import Out
from service.kit.http_errors import checked_path_parameters, install_error_handlers
from service.kit.last_resort import UnexpectedErrors
from service.kit.limits import BodyGuard
from service.kit.logs import RequestIdMiddleware, configure_logging
from service.kit.openapi import install as complete_openapi
from service.law.endpoints import router as law
from service.mail.endpoints import router as bounces
from service.outgoing.endpoints import router as outgoing
from service.postal.endpoints import receipts as post_receipts
from service.postal.endpoints import router as postal
from service.retention.endpoints import router as retention
from service.rules.endpoints import router as rules
from service.segments.endpoints import router as segments
from service.settings import Settings
from service.sms.endpoints import router as sms_callbacks
from service.templates.endpoints import router as templates
from service.web import pages as web_pages
from service.web.endpoints import router as web
from service.webhooks.endpoints import router as webhooks
from service.workbench.endpoints import router as workbench

log = logging.getLogger("talap.app")

ROUTERS = (
    creditors,
    segments,  # ``GET /v1/cases`` (the work list) before the case routes
    cases,
    caselog,
    documents,
    batches,
    evidence,
    sms_callbacks,  # ``/v1/deliveries/callbacks/{gateway}``: no key, a gateway's signature
    deliveries,
    bounces,  # ``POST /v1/deliveries/bounces``
    postal,
    post_receipts,
    campaigns,
    agreements,
    claims,
    audit,
    outgoing,
    retention,
    rules,
    law,
    webhooks,
    templates,
    public_verification,  # ``/verify/{token}``: no key (finding #19)
    web,  # ``/ui``: login with a key, the pages' session (not in the OpenAPI document)
    auditor,  # ``/ui/cases``, ``/ui/documents``: the auditor's pages
    campaign_pages,  # ``/ui/campaigns``: runs waiting for a lawyer's approval
    workbench,  # ``/ui/templates``: the lawyer's pages
)


class Health(Out):
    status: str
    development_signature: bool


def create_app(wiring: Wiring) -> FastAPI:
    app = FastAPI(
        title="Talap",
        version="0.1.0",
        description="Pre-trial debt notices for housing associations in Kazakhstan.",
        lifespan=_lifespan(wiring),
        dependencies=[Depends(checked_path_parameters)],
    )
    app.state.wiring = wiring
    app.state.writer_slots = asyncio.Semaphore(wiring.settings.max_writers)
    app.state.auth_throttle = auth_throttle(wiring.settings)
    install_error_handlers(app)
    # Middleware, innermost first: limits and the key before any body is read; /ui's headers;
    # a bug's 500 answered without dropping the connection; the request id around all of it.
    app.add_middleware(BodyGuard)
    web_pages.install(app)  # after the JSON handlers: /ui errors become pages for a browser
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(RequestIdMiddleware)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        return Health(status="ok", development_signature=wiring.settings.signing_key is None)

    complete_openapi(app)  # the bearer scheme and the answers every operation shares
    return app


def _lifespan(
    wiring: Wiring,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]] | None:
    """While serving, now and then: sweep the archive's staging area (an object whose promotion
    failed after its commit is promoted without waiting for a restart), and sign a checkpoint of
    each audit log that grew (``TALAP_CHECKPOINT_SECONDS``)."""
    settings = wiring.settings
    rounds = [
        (settings.archive_sweep_seconds, "archive.sweep", lambda: sweep_archive(wiring)),
        (
            settings.checkpoint_seconds,
            "audit.checkpoint_round",
            lambda: checkpoint_round(wiring.db, wiring.clock, wiring.signer),
        ),
    ]
    active = [(interval, event, work) for interval, event, work in rounds if interval]
    if not active:
        return None

    async def repeat(interval: float, event: str, work: Callable[[], object]) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await run_in_threadpool(work)
            except Exception:  # e.g. the database is down: try again next round
                log.exception("a periodic round failed", extra={"event": event})

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(repeat(*round_)) for round_ in active]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan


def app_from_environment() -> FastAPI:
    """Factory for ``talap serve --workers N``: a worker wires itself, it does not migrate."""
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(build_wiring(settings))
