"""Request bodies read whole before the request's transaction begins, under a size limit that
holds while reading: a declared ``Content-Length`` over it is refused unread, and a body sent
without one (chunked) is cut off with the same 413 as soon as it passes the limit — before a
multipart parser spools it all to disk. ``form_with_file_limit`` also stops each file of a form at
its own limit as it arrives (a 100 MB proof stops at 20 MiB)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
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


class FileTooLarge(Exception):
    """A file part passed its limit while arriving: the ``index``-th file of form field
    ``field`` (the caller turns it into its own 413 naming the file)."""

    def __init__(self, field: str, index: int, filename: str, limit: int) -> None:
        super().__init__(f"{field}.{index}: over {limit} bytes")
        self.field = field
        self.index = index
        self.filename = filename
        self.limit = limit


class _FilesCapped(MultiPartParser):
    """Starlette's multipart parser that stops at the first file part over ``max_file_bytes``
    instead of spooling it whole."""

    def __init__(self, request: Request, *, max_files: int, max_file_bytes: int) -> None:
        super().__init__(request.headers, request.stream(), max_files=max_files)
        self._max_file_bytes = max_file_bytes
        self._seen = 0
        self._index = 0
        self._per_field: dict[str, int] = {}

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        self._seen = 0
        if self._current_part.file is not None:
            name = self._current_part.field_name
            self._index = self._per_field.get(name, 0)
            self._per_field[name] = self._index + 1

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is not None:
            self._seen += end - start
            if self._seen > self._max_file_bytes:
                filename = part.file.filename or ""
                raise FileTooLarge(part.field_name, self._index, filename, self._max_file_bytes)
        super().on_part_data(data, start, end)


@contextlib.asynccontextmanager
async def form_with_file_limit(
    request: Request, *, max_files: int, max_file_bytes: int
) -> AsyncIterator[FormData]:
    """``request.form(max_files=…)`` whose every file stops at ``max_file_bytes`` as it arrives
    (``FileTooLarge``); the form's files are closed on leaving. A form that is not multipart
    (URL-encoded: no files) is read as Starlette reads it."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=max_files) as plain:
            yield plain
        return
    try:
        form = await _FilesCapped(
            request, max_files=max_files, max_file_bytes=max_file_bytes
        ).parse()
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from None
    try:
        yield form
    finally:
        await form.close()
