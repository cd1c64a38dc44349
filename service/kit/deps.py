"""Request dependencies every router shares: the wiring, one transaction, the caller.

Each request runs in one transaction (``DbSession``), opened before the endpoint and committed
after it returns but before the response is sent (``scope="function"``), so a client never sees
a success that did not commit. Authentication reads the key inside that same transaction. GET
requests, and endpoints marked ``@read_only``, run in a read-only transaction (on SQLite: no
writer lock; a write there fails).

A writing request first takes one of a few writer slots per process (``TALAP_MAX_WRITERS``),
waiting without a thread: writers queue on the database anyway, and a writer that holds it must
always find a free worker thread for its endpoint and its commit.

A route that changes something names the permission it needs (``dependencies=[requires(
Permission.ISSUE)]``): the key is checked before the body is read or validated, so a key whose
role may not do this gets its ``403`` whatever it sent (an auditor never learns a ``422``), and
an upload is not read for a caller who may not make it.

Both checks count a ``401`` against the client's address (``creditors.throttle``): a client that
failed too often lately gets ``429`` with ``Retry-After`` before its key is looked at.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.types import Scope

from service.bootstrap import Wiring
from service.creditors.auth import Permission, Principal
from service.creditors.service import authenticate
from service.creditors.throttle import FailedAuthThrottle
from service.errors import TooManyFailures, Unauthorized
from service.settings import Settings

_READ_ONLY = "__talap_read_only__"
_REQUIRES = "__talap_requires__"
EndpointT = TypeVar("EndpointT", bound=Callable[..., Any])


def read_only(endpoint: EndpointT) -> EndpointT:
    """Mark a non-GET endpoint (a dry run such as ``:preview``) as one that never writes."""
    setattr(endpoint, _READ_ONLY, True)
    return endpoint


async def wiring_of(request: Request) -> Wiring:
    # async: FastAPI runs a plain ``def`` dependency on a worker thread, a hop for an attribute
    wiring: Wiring = request.app.state.wiring
    return wiring


WiringDep = Annotated[Wiring, Depends(wiring_of)]


def _reads_only(request: Request) -> bool:
    endpoint = request.scope.get("endpoint")
    return request.method in ("GET", "HEAD") or bool(getattr(endpoint, _READ_ONLY, False))


async def writer_slot(request: Request) -> AsyncIterator[None]:
    if _reads_only(request):
        yield
        return
    slots: asyncio.Semaphore = request.app.state.writer_slots
    async with slots:
        yield


def request_session(
    request: Request,
    wiring: WiringDep,
    _slot: Annotated[None, Depends(writer_slot, scope="function")],
) -> Iterator[Session]:
    with wiring.db.transaction(read_only=_reads_only(request)) as session:
        yield session


DbSession = Annotated[Session, Depends(request_session, scope="function")]


def auth_throttle(settings: Settings) -> FailedAuthThrottle:
    """The app's counter of failed authentications (``app.state.auth_throttle``)."""
    window = dt.timedelta(seconds=settings.auth_failure_window_seconds)
    return FailedAuthThrottle(settings.auth_failure_limit, window)


_CHECKED = "talap.key_checked"


def remember_checked(scope: Scope, authorization: str | None, principal: Principal) -> None:
    """``principal`` was found for this request's key, before its body was read."""
    scope[_CHECKED] = (authorization, principal)


def checked_before(scope: Scope, authorization: str | None) -> Principal | None:
    """The principal found for this request's key before its body was read (by the body guard,
    or by ``requires(...)`` when a dependency reads the body), if it was looked up."""
    found: tuple[str | None, Principal] | None = scope.get(_CHECKED)
    if found is None or found[0] != authorization:
        return None
    return found[1]


def authenticated(
    request: Request, wiring: Wiring, session: Session, authorization: str | None
) -> Principal:
    """``authenticate``, unless the client failed too often lately; a failure is counted."""
    throttle: FailedAuthThrottle = request.app.state.auth_throttle
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(client, wiring.clock.now())
    if wait is not None:
        raise TooManyFailures(wait)
    try:
        return authenticate(session, authorization)
    except Unauthorized:
        throttle.failed(client, wiring.clock.now())
        raise


def current_principal(
    request: Request,
    wiring: WiringDep,
    session: DbSession,
    authorization: Annotated[str | None, Header()] = None,
) -> Principal:
    return authenticated(request, wiring, session, authorization)


Caller = Annotated[Principal, Depends(current_principal)]


def _look_up(request: Request, wiring: Wiring, authorization: str | None) -> Principal:
    """``authenticated`` in a short read-only transaction of its own."""
    with wiring.db.transaction(read_only=True) as session:
        return authenticated(request, wiring, session, authorization)


def requires(permission: Permission) -> Any:
    """A route dependency: the caller's key holds ``permission`` (``401``/``403`` otherwise).

    Route dependencies run before the endpoint's own, and FastAPI validates the body only after
    every dependency, so this answers before the body is parsed. It reads the key in a short
    read-only transaction of its own: the request's transaction (and its writer slot) is not
    opened yet, so a slow upload after it never holds the database. The endpoint's ``Caller`` reads
    the key again inside the request's transaction, and its service checks the permission again.

    A request with a body had its key looked up, and this permission checked, by the body guard
    (``kit.limits``) before FastAPI read the body: the guard's principal is checked again here
    without a second lookup (and where a dependency reads the body, an upload, the guard takes
    this one's).
    """

    async def check(
        request: Request, wiring: WiringDep, authorization: Annotated[str | None, Header()] = None
    ) -> None:
        principal = checked_before(request.scope, authorization)
        if principal is None:
            principal = await run_in_threadpool(_look_up, request, wiring, authorization)
            remember_checked(request.scope, authorization, principal)
        principal.require(permission)

    setattr(check, _REQUIRES, permission)
    return Depends(check)


def required_permission(dependency: Callable[..., Any]) -> Permission | None:
    """The permission a ``requires(...)`` dependency checks (the roles matrix test reads it)."""
    found: Permission | None = getattr(dependency, _REQUIRES, None)
    return found
