"""Every request body under a limit, and a key checked, before a byte of the body is read.

``BodyGuard`` is an ASGI middleware. It wraps the request's ``receive`` and decides on the first
call — which comes after routing, when the handler (FastAPI's JSON or form parser, or an upload
dependency) starts to read the body, so the route and its endpoint are known:

1. the endpoint's limit (``body_limit(Limit.PROOFS)`` on the endpoint; ``Limit.JSON`` for every
   other), each a setting (``TALAP_MAX_JSON_BYTES`` …). A declared ``Content-Length`` over it is
   refused unread; a body without one (chunked) is counted and cut off as soon as it passes it;
2. a route that takes an API key (a dependency reads the ``Authorization`` header) has the key
   checked now, in a short read-only transaction, with the permission its ``requires(...)`` names:
   without a valid key nothing is read — a 200 MB body without a key is a ``401`` after a few
   kilobytes, whatever the parser would have done — and a key whose role may not do this gets its
   ``403`` unread (FastAPI reads a JSON body before it runs any dependency). The principal found
   is kept in the request's scope: ``requires(...)`` checks it without looking the key up again
   (the endpoint's ``Caller`` still reads the key inside the request's transaction).

The refusal is the JSON error contract (``413 body_too_large`` naming the limit and its setting,
or the ``401``); whatever the application answered after its read failed is dropped for it. The
endpoints' own finer limits (20 MiB per proof, a template source's 10 MiB) stay where they are
and answer first, being smaller. Behind a proxy, set its body limit (nginx ``client_max_body_size``)
to the largest of these.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from fastapi.dependencies.models import Dependant
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.bootstrap import Wiring
from service.creditors.auth import Permission
from service.errors import FieldError, TalapError, TooLarge
from service.kit.deps import (
    authenticated,
    checked_before,
    remember_checked,
    required_permission,
)
from service.settings import Settings

_LIMIT = "__talap_body_limit__"
_FORM_OVERHEAD = 64 * 1024
EndpointT = TypeVar("EndpointT", bound=Callable[..., Any])


class Limit(enum.Enum):
    """A kind of request body, and the setting that bounds it."""

    JSON = "max_json_bytes"
    PROOFS = "max_proof_upload_bytes"
    TEMPLATE_SOURCES = "max_template_upload_bytes"
    BATCHES = "max_batch_bytes"
    MESSAGES = "max_message_bytes"
    VERIFICATION = "verify_upload_limit"

    def bytes(self, settings: Settings) -> int:
        size: int = getattr(settings, self.value)
        if self is Limit.VERIFICATION:
            # The public page reads an oversized PDF on (and drops it) up to 8 limits, so that a
            # browser gets its page rather than a reset connection (evidence.endpoints).
            return 8 * (size + _FORM_OVERHEAD)
        return size

    def setting(self) -> str:
        return "TALAP_" + self.value.upper()


def body_limit(limit: Limit) -> Callable[[EndpointT], EndpointT]:
    """Mark an endpoint whose body is not plain JSON (uploads) with its own limit."""

    def mark(endpoint: EndpointT) -> EndpointT:
        setattr(endpoint, _LIMIT, limit)
        return endpoint

    return mark


def limit_of(endpoint: object) -> Limit:
    found = getattr(endpoint, _LIMIT, Limit.JSON)
    return found if isinstance(found, Limit) else Limit.JSON


class BodyTooLarge(TooLarge):
    """A request body over its endpoint's limit: 413 naming the limit and its setting."""

    code = "body_too_large"

    def __init__(self, limit: Limit, size: int) -> None:
        super().__init__(size)
        self.message = (
            f"the request body is larger than the limit of {size} bytes ({limit.setting()})"
        )
        self.errors = [FieldError("body", "too_large", self.message)]

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message},
            "errors": [e.as_dict() for e in self.errors],
            "violations": [],
        }


def _takes_a_key(dependant: Dependant | None) -> bool:
    """A dependency of the route reads the ``Authorization`` header (``Caller``, ``requires``)."""
    if dependant is None:
        return False
    if any(p.alias.lower() == "authorization" for p in dependant.header_params):
        return True
    return any(_takes_a_key(d) for d in dependant.dependencies)


def _permissions(dependant: Dependant | None) -> list[Permission]:
    """The permissions the route's ``requires(...)`` dependencies close over."""
    if dependant is None:
        return []
    found = []
    held = required_permission(dependant.call) if dependant.call is not None else None
    if held is not None:
        found.append(held)
    for sub in dependant.dependencies:
        found.extend(_permissions(sub))
    return found


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _carries_a_body(scope: Scope, declared: str) -> bool:
    if declared.strip().isdigit():
        return int(declared) > 0
    return _header(scope, b"transfer-encoding") is not None


class _Refused(Exception):
    """Raised into the application's read; the guard answers with ``refusal`` instead."""


class BodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._keyed: dict[int, tuple[bool, list[Permission]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal: TalapError | None = None
        started = False
        checked = False
        seen = 0
        size = limit_of(None).bytes(self._wiring(scope).settings)
        limit = Limit.JSON

        async def guarded_receive() -> Message:
            nonlocal refusal, checked, seen, size, limit
            if refusal is not None:
                raise _Refused()
            if not checked and not started:  # (a streaming answer listening for a disconnect)
                checked = True
                refusal = await self._check(scope)
                if refusal is not None:
                    raise _Refused()
                limit = limit_of(scope.get("endpoint"))
                size = limit.bytes(self._wiring(scope).settings)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > size:
                    refusal = BodyTooLarge(limit, size)
                    raise _Refused()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refusal is not None:
                return  # the application's answer to a read that failed: ours goes instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except _Refused:
            pass
        except Exception:
            if refusal is None:
                raise
        if refusal is not None and not started:
            answer = JSONResponse(refusal.body(), refusal.status, headers=refusal.headers())
            await answer(scope, receive, send)

    @staticmethod
    def _wiring(scope: Scope) -> Wiring:
        wiring: Wiring = scope["app"].state.wiring
        return wiring

    async def _check(self, scope: Scope) -> TalapError | None:
        """Before the first byte: the declared length, then the key (if the route takes one)."""
        limit = limit_of(scope.get("endpoint"))
        wiring = self._wiring(scope)
        size = limit.bytes(wiring.settings)
        declared = _header(scope, b"content-length") or ""
        if declared.strip().isdigit() and int(declared) > size:
            return BodyTooLarge(limit, size)
        if not _carries_a_body(scope, declared):
            return None  # nothing to protect: the route's own order of checks stands
        route = scope.get("route")
        known = self._keyed.get(id(route))
        if known is None:
            dependant = getattr(route, "dependant", None)
            known = self._keyed[id(route)] = (_takes_a_key(dependant), _permissions(dependant))
        keyed, permissions = known
        if not keyed:
            return None
        authorization = _header(scope, b"authorization")
        found = checked_before(scope, authorization)  # by ``requires(...)``, before an upload
        if found is not None:
            try:
                for permission in permissions:
                    found.require(permission)
            except TalapError as refused:
                return refused
            return None

        request = Request(scope)

        def check() -> None:
            # ``authenticated``: a 401 here counts towards the failed-key throttle, and a
            # throttled client gets its 429 before a byte of its body is read.
            with wiring.db.transaction(read_only=True) as session:
                principal = authenticated(request, wiring, session, authorization)
            for permission in permissions:
                principal.require(permission)
            # ``requires(...)`` takes this principal instead of looking the key up again
            remember_checked(scope, authorization, principal)

        try:
            await to_thread.run_sync(check)
        except TalapError as refused:
            return refused
        return None
