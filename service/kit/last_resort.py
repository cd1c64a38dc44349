"""The last resort for a bug: an exception no handler turned into an answer becomes a logged
``500 internal_error`` in the JSON error contract, and the connection stays open.

Starlette's own ``ServerErrorMiddleware`` answers the same 500 but then re-raises, and uvicorn
closes a keep-alive connection on an exception: a pooled client's next request on it failed
(review D11). This middleware sits inside it and does not re-raise once it has answered. An
exception after the answer began cannot be answered; it is raised on (the connection drops,
which is all a half-sent body allows).
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("talap.api")

INTERNAL_ERROR = {"error": {"code": "internal_error", "message": "unexpected server error"}}


class UnexpectedErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:
            log.exception("unexpected error", exc_info=exc, extra={"event": "error"})
            if started:
                raise
            await JSONResponse(INTERNAL_ERROR, status_code=500)(scope, receive, send)
