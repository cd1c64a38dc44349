"""Logging in to the pages through their own forms, as a browser would (no shortcut)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_of(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def login(client: TestClient, key: str, next_path: str = "") -> Response:
    page = client.get("/ui/login", params={"next": next_path} if next_path else None)
    assert page.status_code == 200, page.text
    form = {"csrf_token": token_of(page.text), "api_key": key, "next": next_path}
    return client.post("/ui/login", data=form, follow_redirects=False)


def logged_in(client: TestClient, key: str) -> str:
    """Log in and return the CSRF token of the session's forms."""
    response = login(client, key)
    assert response.status_code == 303, response.text
    page = client.get("/ui/cases")
    assert page.status_code == 200, page.text
    return token_of(page.text)
