"""Request bodies read whole before the request's transaction begins, under a size limit that
holds while reading: a declared ``Content-Length`` over it is refused unread, and a body sent
without one (chunked) is cut off with the same 413 as soon as it passes the limit — before a
multipart parser spools it all to disk."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Message

from service.errors import TooLarge


def refuse_declared(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(limit)


def capped(request: Request, limit: int) -> Request:
    """The same request, whose body (``body()``, ``json()``, ``form()``) raises ``TooLarge``
    once more than ``limit`` bytes have arrived."""
    refuse_declared(request, limit)
    receive = request.receive
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(limit)
        return message

    return Request(request.scope, limited)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes (``TooLarge`` past it)."""
    return await capped(request, limit).body()
