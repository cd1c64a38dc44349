"""Structured logging, configured in one place.

Every line is one JSON object: time, level, logger, ``event`` (``document.issued``,
``document.refused``, ``delivery.recorded``, ``document.verified`` …), the request id of the HTTP
request it belongs to, and the event's fields. Fields are identifiers, numbers, codes and rule ids:
never a debtor's name, ИИН, address or contact, never a key or passphrase (``log_event`` refuses
field names that look like them).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "talap_request_id", default=None
)

FORBIDDEN_FIELDS = frozenset(
    {"full_name", "name", "iin", "email", "phone", "address", "postal_address", "key",
     "authorization", "passphrase", "password", "token"}
)  # fmt: skip
_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\[\]-]{1,40}")
_PYDANTIC_INPUT = re.compile(r"input_value=.*?, input_type=", re.DOTALL)
"""pydantic's errors quote the value they refused; in a traceback that may be a name or a key."""


def without_query_values(target: str) -> str:
    """A request target with its query's values left out (``/ui/cases?q=…``): a search carries
    a name or an ИИН, and a client may put a key in the URL. The parameters' names stay — they
    say what was asked — unless a name does not look like one."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    names = [part.split("=", 1)[0] for part in query.split("&") if part]
    return (
        path
        + "?"
        + "&".join(f"{name}=…" if _PARAMETER_NAME.fullmatch(name) else "…" for name in names)
    )


class AccessLine(logging.Filter):
    """uvicorn's access line (``client - "METHOD target HTTP/v" status``) without query values."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], without_query_values(args[2]), args[3], args[4])
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage(),
            "pid": record.process,  # which worker of ``talap serve --workers N``
        }
        rid = request_id.get()
        if rid:
            line["request_id"] = rid
        for name, value in vars(record).items():
            if name not in _RESERVED and name not in line and not name.startswith("_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)

    def formatException(self, ei: Any) -> str:
        return _PYDANTIC_INPUT.sub("input_value=…, input_type=", super().formatException(ei))


class _Stderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a line is written (not when configured)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for the service's loggers; quiet pyHanko's own tracebacks (a
    tampered revision is reported by ``verify`` itself)."""
    handler = _Stderr()
    handler.setFormatter(JsonLines())
    # The server's own lines (startup, access log) go the same way (``talap serve`` starts
    # uvicorn with ``log_config=None`` so it keeps this configuration).
    for name in ("talap", "uvicorn", "uvicorn.error", "uvicorn.access", "huey"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    access = logging.getLogger("uvicorn.access")
    access.filters[:] = [f for f in access.filters if not isinstance(f, AccessLine)]
    access.addFilter(AccessLine())
    logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.CRITICAL)
    logging.getLogger("huey").setLevel("WARNING")  # a line per job is noise; ours say what ran


def log_event(logger: logging.Logger, event: str, **fields: Any) -> None:
    """One structured line; personal data and secrets have no field to go in."""
    leaked = FORBIDDEN_FIELDS & set(fields)
    if leaked:
        raise ValueError(f"log fields that may hold personal data or secrets: {sorted(leaked)}")
    logger.info(event, extra={"event": event, **fields})


class RequestIdMiddleware:
    """Gives every HTTP request an id (the client's ``X-Request-ID`` if it is sane), puts it on
    every log line the request writes and returns it in the response's ``X-Request-ID``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = given if given.isascii() and 0 < len(given) <= 64 and given.isprintable() else ""
        rid = rid or uuid.uuid4().hex
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"x-request-id", rid.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            # Left set: the lines the outer error handling writes about this failure (the 500's
            # and the server's own) belong to this request. The server runs each request in a
            # task of its own, whose context ends with it.
            raise
        request_id.reset(token)
