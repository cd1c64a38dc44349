"""The web kit (service/web): a pasted API key becomes a server-side session; cookies, CSRF,
security headers, redirects, languages and expiry, driven through the pages' own forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.audit.models import AuditEventRow
from service.bootstrap import Wiring
from service.clock import FixedClock
from service.creditors.auth import hash_key
from service.creditors.models import ApiKeyRow
from service.main import create_app
from service.web.language import from_accept_language
from service.web.models import WebSessionRow
from service.web.redirects import HOME, safe_next
from tests.api import Tenant
from tests.web.helpers import logged_in, login, token_of

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
}


def _cookie(response: Any, name: str) -> str:
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return str(found[0])


def _sessions(wiring: Wiring) -> list[WebSessionRow]:
    with wiring.db.transaction(read_only=True) as session:
        return list(session.scalars(select(WebSessionRow)))


def test_the_login_page_speaks_kazakh_first_and_russian_when_asked(client: TestClient) -> None:
    kk = client.get("/ui/login")
    assert kk.status_code == 200
    assert '<html lang="kk">' in kk.text and "API кілті" in kk.text
    assert '<label for="api_key">' in kk.text
    ru = client.get("/ui/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert '<html lang="ru">' in ru.text and "API-ключ" in ru.text
    chosen = client.get("/ui/lang/ru", params={"next": "/ui/login"}, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/ui/login"
    assert "Path=/ui" in _cookie(chosen, "talap_lang")
    assert '<html lang="ru">' in client.get("/ui/login").text
    assert client.get("/ui/lang/en", follow_redirects=False).status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "kk"),
        ("ru", "ru"),
        ("en-US,en;q=0.9", "kk"),
        ("ru-RU;q=0.9, kk;q=0.95", "kk"),
        ("kk-KZ,ru;q=0.5", "kk"),
        ("de, ru;q=0.3", "ru"),
        ("ru;q=0, kk;q=0.1", "kk"),
        ("ru;q=abc", "kk"),
    ],
)
def test_accept_language_picks_the_heaviest_of_kazakh_and_russian(
    header: str, expected: str
) -> None:
    assert from_accept_language(header) == expected


def test_every_ui_answer_carries_the_security_headers(client: TestClient, tenant: Tenant) -> None:
    answers = [
        client.get("/ui/login"),
        client.get("/ui/static/talap.css"),
        client.get("/ui/cases", follow_redirects=False),
        client.get("/ui/nothing-here", headers={"Accept": "text/html"}),
        client.post("/ui/login", data={"api_key": "x"}),
    ]
    for response in answers:
        for name, value in HEADERS.items():
            assert response.headers[name] == value, (response.url, name)
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    assert answers[3].status_code == 404 and '<html lang="kk">' in answers[3].text
    assert "content-security-policy" not in client.get("/health").headers, "the API is left as is"


def test_a_key_becomes_a_session_that_stores_the_keys_id_never_the_key(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    response = login(client, tenant.auditor_key)
    assert response.status_code == 303 and response.headers["location"] == HOME
    cookie = _cookie(response, "talap_session")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie, "plain http on loopback: a Secure cookie would be dropped"
    [row] = _sessions(wiring)
    with wiring.db.transaction(read_only=True) as session:
        key = session.scalars(
            select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(tenant.auditor_key))
        ).one()
        events = [e.action for e in session.scalars(select(AuditEventRow))]
    assert row.key_id == key.id
    stored = " ".join(str(v) for v in vars(row).values())
    assert tenant.auditor_key not in stored and hash_key(tenant.auditor_key) not in stored
    session_id = cookie.split(";")[0].split("=", 1)[1].strip('"')
    assert session_id not in stored, "the row is found by the SHA-256 of the cookie"
    assert row.expires_at - row.created_at == dt.timedelta(hours=8)
    assert "WebSessionStarted" in events
    page = client.get("/ui/cases")
    assert page.status_code == 200 and 'id="role"' in page.text


def test_the_session_cookie_is_secure_behind_tls(wiring: Wiring, tenant: Tenant) -> None:
    with TestClient(create_app(wiring), base_url="https://talap.example") as tls:
        response = login(tls, tenant.auditor_key)
        assert response.status_code == 303
        assert "Secure" in _cookie(response, "talap_session")
        assert "Secure" in _cookie(tls.get("/ui/lang/ru", follow_redirects=False), "talap_lang")


def test_a_wrong_or_revoked_key_opens_nothing(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    wrong = login(client, "tlp_not-a-key")
    assert wrong.status_code == 401 and 'id="login-failed"' in wrong.text
    assert "tlp_not-a-key" not in wrong.text
    assert "talap_session" not in wrong.headers.get("set-cookie", "")
    assert login(client, "").status_code == 401
    assert _sessions(wiring) == []

    logged_in(client, tenant.auditor_key)
    with wiring.db.transaction() as session:
        key = session.scalars(
            select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(tenant.auditor_key))
        ).one()
        key.revoked_at = wiring.clock.now()
    gone = client.get("/ui/cases", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/ui/login")
    assert login(client, tenant.auditor_key).status_code == 401


def test_the_login_form_is_refused_without_its_own_token(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    page = client.get("/ui/login")
    form = {"csrf_token": "forged", "api_key": tenant.auditor_key}
    forged = client.post("/ui/login", data=form, headers={"Accept": "text/html"})
    assert forged.status_code == 403 and 'data-code="csrf_failed"' in forged.text
    client.cookies.clear()
    stale = {"csrf_token": token_of(page.text), "api_key": tenant.auditor_key}
    assert client.post("/ui/login", data=stale).status_code == 403, "no cookie: no login"
    assert _sessions(wiring) == []


def test_logout_needs_the_sessions_csrf_token_and_ends_the_session(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    token = logged_in(client, tenant.auditor_key)
    forged = client.post("/ui/logout", data={"csrf_token": "x" * len(token)})
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed", "JSON for a client without HTML"
    html = client.post("/ui/logout", data={}, headers={"Accept": "text/html"})
    assert html.status_code == 403 and "text/html" in html.headers["content-type"]
    assert client.get("/ui/cases").status_code == 200, "the session survived the forgery"
    assert len(_sessions(wiring)) == 1

    done = client.post("/ui/logout", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ui/login?done=true"
    assert 'talap_session=""' in _cookie(done, "talap_session")
    assert _sessions(wiring) == []
    assert 'id="logged-out"' in client.get("/ui/login?done=true").text
    again = client.get("/ui/cases", follow_redirects=False)
    assert again.status_code == 303


def test_an_old_cookie_after_logout_opens_nothing(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    token = logged_in(client, tenant.auditor_key)
    kept = client.cookies.get("talap_session")
    client.post("/ui/logout", data={"csrf_token": token})
    client.cookies.set("talap_session", kept or "", path="/ui")
    assert client.get("/ui/cases", follow_redirects=False).status_code == 303


def test_a_session_expires(
    client: TestClient, tenant: Tenant, wiring: Wiring, clock: FixedClock
) -> None:
    logged_in(client, tenant.auditor_key)
    clock.move_to(clock.today() + dt.timedelta(days=1))
    expired = client.get("/ui/cases", follow_redirects=False)
    assert expired.status_code == 303
    assert expired.headers["location"] == "/ui/login?next=/ui/cases"
    login(client, tenant.auditor_key)
    assert len(_sessions(wiring)) == 1, "the expired row is swept at the next login"


def test_a_page_without_a_session_sends_the_browser_to_login_and_back(
    client: TestClient, tenant: Tenant
) -> None:
    page = client.get("/ui/cases?q=KKT", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/ui/login?next=/ui/cases%3Fq%3DKKT"
    back = login(client, tenant.auditor_key, "/ui/cases?q=KKT")
    assert back.headers["location"] == "/ui/cases?q=KKT"
    api_like = client.post("/ui/logout", data={}, follow_redirects=False)
    assert api_like.status_code in (401, 403)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/ui/../v1/cases",
        "/ui/%2e%2e/x",
        "javascript:alert(1)",
        "/v1/cases",
        "/ui\r\nSet-Cookie: x=1",
        "http:/ui/cases",
        " https://evil.example",
    ],
)
def test_next_follows_only_local_ui_paths(client: TestClient, tenant: Tenant, target: str) -> None:
    assert safe_next(target) == HOME
    response = login(client, tenant.auditor_key, target)
    assert response.status_code == 303 and response.headers["location"] == HOME
    switched = client.get("/ui/lang/kk", params={"next": target}, follow_redirects=False)
    assert switched.headers["location"] == HOME


def test_next_keeps_a_local_ui_path() -> None:
    assert safe_next("/ui/documents/abc?x=1") == "/ui/documents/abc?x=1"
    assert safe_next("/ui") == "/ui"
    assert safe_next(None) == HOME


def test_no_page_is_in_the_openapi_document(client: TestClient) -> None:
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/ui")]


def test_failed_logins_count_towards_the_failed_key_throttle(
    wiring: Wiring, tenant: Tenant
) -> None:
    """The login form is not a way round the API's throttle (D17): after the limit of wrong
    keys from one address, its next login — even with the right key — is a 429 page, and the
    API refuses it too; another address logs in."""
    app = create_app(wiring)
    guesser = TestClient(app, client=("203.0.113.9", 50000))
    for attempt in range(wiring.settings.auth_failure_limit):
        assert login(guesser, "tlp_wrong").status_code == 401, attempt
    blocked = login(guesser, tenant.auditor_key)
    assert blocked.status_code == 429 and 'id="login-throttled"' in blocked.text
    assert int(blocked.headers["Retry-After"]) > 0
    assert guesser.get("/v1/cases", headers=tenant.headers()).status_code == 429
    other = TestClient(app, client=("203.0.113.10", 50000))
    assert login(other, tenant.auditor_key).status_code == 303
