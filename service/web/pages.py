"""The web kit at the edge: the session as a ``Principal``, CSRF, rendering, headers, errors.

- ``Viewer`` (``current_principal_from_session``): the logged-in user as the same ``Principal``
  the API builds from a key, so every page calls the API's own service functions and gets the
  same roles, permissions and creditor boundary. No session: a page (GET) sends the browser to
  the login page with ``next``; anything else is a ``401``.
- ``CheckedForm``: every POST form carries the session's CSRF token (field ``csrf_token``, or
  header ``X-CSRF-Token``); a missing or wrong one is a ``403`` (HTML for a browser, JSON else).
- ``Renderer``: Jinja2 with autoescape and strict undefined; a domain's templates extend the kit's
  ``base.html`` (skip link, navigation, language switch, ``lang`` attribute); ``t("key")`` gives
  the label in the page's language.
- ``SecurityHeaders``: every ``/ui`` answer carries a content security policy without inline
  script or style, ``X-Frame-Options: DENY``, ``nosniff``, ``no-store`` (unless set).
- ``install(app)``: the headers, and errors under ``/ui`` as pages for a browser.
"""

from __future__ import annotations

import hmac
import inspect
import secrets
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.creditors.auth import Principal
from service.errors import Forbidden, TalapError, TooLarge, Unauthorized
from service.kernel.text import Lang, Localized
from service.kit.deps import DbSession, WiringDep
from service.web import service
from service.web.labels import LABELS
from service.web.language import LANGUAGES, chosen
from service.web.redirects import safe_next

PREFIX = "/ui"
SESSION_COOKIE = "talap_session"
LOGIN_COOKIE = "talap_login"
"""Before a session exists the login form is protected by a double-submit token."""
LANG_COOKIE = "talap_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FORM_LIMIT = 16 * 1024
"""The pages' forms are a few short fields; a larger body is refused before it is read."""

KIT_HTML = Path(__file__).parent / "html"
STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_DEFAULTS = {"Cache-Control": "no-store"}


def under_ui(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


class LoginRequired(Unauthorized):
    code = "login_required"


class CsrfRefused(Forbidden):
    code = "csrf_failed"


# --- language, session, CSRF ----------------------------------------------------------------


def language_of(request: Request) -> Lang:
    return chosen(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def is_https(request: Request, public_url: str) -> bool:
    """Cookies get ``Secure`` when this request came over TLS (uvicorn reads a trusted proxy's
    ``X-Forwarded-Proto``) or the service's public address is https."""
    return request.url.scheme == "https" or public_url.lower().startswith("https:")


def web_session(request: Request, session: DbSession, wiring: WiringDep) -> service.WebSession:
    found = service.find(session, wiring.clock, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired("log in at /ui/login")
    request.state.web_session = found
    return found


WebSessionDep = Annotated[service.WebSession, Depends(web_session)]


def current_principal_from_session(web: WebSessionDep) -> Principal:
    """The logged-in user, with the role and creditor of the key they logged in with."""
    return web.principal


Viewer = Annotated[Principal, Depends(current_principal_from_session)]


def csrf_token(request: Request) -> str:
    """The token a form on this page must send back: the session's, or before login the
    double-submit token of the login form (``LOGIN_COOKIE``)."""
    web: service.WebSession | None = getattr(request.state, "web_session", None)
    if web is not None:
        return web.csrf_token
    token: str | None = getattr(request.state, "login_token", None)
    if token is None:
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        request.state.login_token = token
    return token


def check_csrf(expected: str | None, sent: str | None) -> None:
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused("the form's CSRF token is missing or wrong: reload the page")


async def read_form(request: Request) -> dict[str, str]:
    """A small url-encoded or multipart form without files, as text fields."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > FORM_LIMIT:
        raise TooLarge(FORM_LIMIT)
    try:
        async with request.form(max_files=0, max_fields=20, max_part_size=FORM_LIMIT) as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    except StarletteHTTPException:  # malformed: no fields, so no token either
        return {}


async def checked_form(request: Request, web: WebSessionDep) -> dict[str, str]:
    """The posted form, once its CSRF token matches the session's (``403`` otherwise)."""
    fields = await read_form(request)
    check_csrf(web.csrf_token, fields.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))
    return fields


CheckedForm = Annotated[dict[str, str], Depends(checked_form)]


# --- rendering ------------------------------------------------------------------------------


class Renderer:
    """Pages from ``folder`` (and the kit's ``base.html``, ``error.html``), with labels."""

    def __init__(self, folder: Path | None = None, labels: Mapping[str, Localized] = {}) -> None:
        folders = [folder] if folder is not None else []
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*folders, KIT_HTML]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.labels = {**LABELS, **labels}

    def label(self, key: str, lang: Lang) -> str:
        return self.labels[key][lang]

    def render(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        lang = language_of(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        web: service.WebSession | None = getattr(request.state, "web_session", None)
        body = self.env.get_template(template).render(
            lang=lang,
            languages=LANGUAGES,
            t=lambda key: self.label(key, lang),
            csrf_field=CSRF_FIELD,
            csrf_token=csrf_token(request),
            principal=web.principal if web else None,
            lang_url=lambda code: f"{PREFIX}/lang/{code}?next={quote(safe_next(here), safe='/')}",
            **context,
        )
        response = HTMLResponse(body, status_code=status, headers=dict(headers or {}))
        token = getattr(request.state, "login_token", None)
        if web is None and token is not None and request.cookies.get(LOGIN_COOKIE) != token:
            set_cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
        return response


KIT = Renderer()


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A page of the kit itself (login, errors)."""
    return KIT.render(request, template, **context)


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int
) -> None:
    """``HttpOnly; SameSite=Lax; Path=/ui`` (+ ``Secure`` behind TLS)."""
    public_url: str = request.app.state.wiring.settings.public_url
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        secure=is_https(request, public_url),
        httponly=True,
        samesite="lax",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    public_url: str = request.app.state.wiring.settings.public_url
    response.delete_cookie(
        name, path=PREFIX, secure=is_https(request, public_url), httponly=True, samesite="lax"
    )


def redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


# --- headers and errors ---------------------------------------------------------------------


class SecurityHeaders:
    """Adds the security headers to every answer under ``/ui`` (pages, files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not under_ui(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                for name, value in _DEFAULTS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _login_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{PREFIX}/login?next={quote(safe_next(here), safe='/')}"


_MESSAGE = {401: "login.required", 403: "error.forbidden", 404: "error.not_found"}


def error_page(request: Request, status: int, code: str) -> Response:
    if status == 401 and request.method in ("GET", "HEAD"):
        return redirect(_login_url(request))
    key = "error.csrf" if code == CsrfRefused.code else _MESSAGE.get(status, "error.other")
    if status == 422:
        key = "error.invalid"
    return KIT.render(request, "error.html", status=status, message_key=key, code=code)


Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install(app: FastAPI) -> None:
    """The headers on ``/ui`` answers, and its errors as pages for a browser (the JSON error
    contract stays for everything else, and for a ``/ui`` client that does not ask for HTML)."""
    app.add_middleware(SecurityHeaders)

    def html_first(kind: type[Exception], status_of: Callable[[Any], tuple[int, str]]) -> None:
        fallback: Handler = app.exception_handlers[kind]

        async def handle(request: Request, exc: Any) -> Response:
            status, code = status_of(exc)
            if under_ui(request.url.path) and (
                wants_html(request) or (status == 401 and request.method in ("GET", "HEAD"))
            ):
                return error_page(request, status, code)
            answer = fallback(request, exc)
            return await answer if inspect.isawaitable(answer) else answer

        app.add_exception_handler(kind, handle)

    html_first(TalapError, lambda exc: (exc.status, exc.code))
    html_first(RequestValidationError, lambda _exc: (422, "validation_failed"))
    html_first(StarletteHTTPException, lambda exc: (exc.status_code, "http_error"))
