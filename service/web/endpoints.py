"""``/ui/login``, ``/ui/logout``, the language switch and the stylesheet (no API: not in the
OpenAPI document)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from service.creditors.throttle import FailedAuthThrottle
from service.errors import NotFound, Unauthorized
from service.kit.deps import DbSession, WiringDep
from service.web import pages, service
from service.web.language import LANGUAGES
from service.web.redirects import HOME, safe_next

router = APIRouter(prefix=pages.PREFIX, include_in_schema=False)

_YEAR = 365 * 24 * 3600
_STATIC = {"talap.css": "text/css; charset=utf-8"}


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return pages.redirect(HOME)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, done: bool = False) -> Response:
    return pages.render(request, "login.html", next=safe_next(next), failed=False, done=done)


LoginForm = Annotated[dict[str, str], Depends(pages.read_form)]


@router.post("/login", response_class=HTMLResponse)
def login(form: LoginForm, request: Request, session: DbSession, wiring: WiringDep) -> Response:
    """The pasted key, checked as the API checks it, becomes a session cookie."""
    pages.check_csrf(request.cookies.get(pages.LOGIN_COOKIE), form.get(pages.CSRF_FIELD))
    target = safe_next(form.get("next"))
    # The API's failed-key throttle (``kit.deps.authenticated``) counts a failed login too: a
    # login form must not be a way round it.
    throttle: FailedAuthThrottle = request.app.state.auth_throttle
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(client, wiring.clock.now())
    if wait is not None:
        refused = pages.KIT.render(
            request, "login.html", status=429, next=target, failed=True, throttled=True, done=False
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    try:
        started = service.start(session, wiring.clock, form.get("api_key", ""))
    except Unauthorized:
        throttle.failed(client, wiring.clock.now())
        return pages.KIT.render(
            request, "login.html", status=401, next=target, failed=True, done=False
        )
    response = pages.redirect(target)
    lifetime = int(service.LIFETIME.total_seconds())
    pages.set_cookie(request, response, pages.SESSION_COOKIE, started.cookie, max_age=lifetime)
    pages.clear_cookie(request, response, pages.LOGIN_COOKIE)
    return response


@router.post("/logout", response_class=HTMLResponse)
def logout(
    request: Request,
    web: pages.WebSessionDep,
    _form: pages.CheckedForm,
    session: DbSession,
    wiring: WiringDep,
) -> Response:
    cookie = request.cookies.get(pages.SESSION_COOKIE, "")
    service.end(session, wiring.clock, cookie, web.principal)
    response = pages.redirect(f"{pages.PREFIX}/login?done=true")
    pages.clear_cookie(request, response, pages.SESSION_COOKIE)
    return response


@router.get("/lang/{code}", response_class=HTMLResponse)
def switch_language(code: str, request: Request, next: str | None = None) -> Response:
    if code not in LANGUAGES:
        raise NotFound("the pages speak kk and ru")
    response = pages.redirect(safe_next(next))
    pages.set_cookie(request, response, pages.LANG_COOKIE, code, max_age=_YEAR)
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    media = _STATIC.get(name)
    if media is None:
        raise NotFound("no such file")
    body = (pages.STATIC / name).read_bytes()
    return Response(body, media_type=media, headers={"Cache-Control": "max-age=3600"})
