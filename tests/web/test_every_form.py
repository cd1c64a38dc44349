"""Issue 13 item 10: CSRF on every form. Two walks: every route under ``/ui`` that changes
something refuses a post without the session's token or with a forged one; and every page a
lawyer can reach by following links (cases, a document, templates and a version, campaigns
with a run waiting, the registry, the upload form) is parsed, and each of its
``<form method=post>`` carries the session's token and is refused when it is forged or left out —
with nothing written to the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.audit.models import AuditEventRow
from service.bootstrap import Wiring
from service.main import ROUTERS
from service.outbox import tasks as outbox_tasks
from tests.api import CASE, Tenant, key_for
from tests.campaigns.builders import put_cases
from tests.web.helpers import logged_in

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
START = ["/ui/cases", "/ui/templates", "/ui/templates/upload", "/ui/campaigns", "/ui/registry"]
PAGE_LIMIT = 80
_SKIP = re.compile(r"^/ui/(lang/|static/|logout)|/(pdf|source|preview|export|evidence-pack)\b")


@dataclass
class Form:
    page: str
    method: str
    action: str
    enctype: str
    fields: dict[str, str] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "a" and found.get("href", "").startswith("/ui"):
            self.links.append(found["href"])
        elif tag == "form":
            self._open = Form(
                self.page,
                found.get("method", "get").upper(),
                found.get("action") or self.page,
                found.get("enctype", ""),
            )
            self.forms.append(self._open)
        elif tag in ("input", "textarea", "select") and self._open and found.get("name"):
            self._open.fields[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _audit_rows(wiring: Wiring) -> int:
    with wiring.db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def _changing_ui_routes() -> list[tuple[str, str]]:
    """From the routers ``create_app`` includes (the app's own list holds them wrapped)."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.path.startswith("/ui"):
                found += [(method, route.path) for method in sorted(route.methods & CHANGING)]
    return found


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


def _refused(answer: Any) -> bool:
    if answer.status_code != 403:
        return False
    if "text/html" in answer.headers.get("content-type", ""):
        return 'data-code="csrf_failed"' in answer.text
    return bool(answer.json()["error"]["code"] == "csrf_failed")


@pytest.fixture
def lawyer_with_everything(
    client: TestClient, wiring: Wiring, tenant: Tenant, contract_case: dict[str, Any]
) -> str:
    """A document on the contract case, a campaign run waiting for approval, and a lawyer."""
    issued = client.post(
        f"/v1/cases/{CASE}/documents",
        json={"kind": "reminder", "language": "kk"},
        headers=tenant.headers(),
    )
    assert issued.status_code == 201, issued.text
    put_cases(wiring, tenant, 2)
    body = {"name": "Қараша", "kind": "reminder", "channel": "none"}
    campaign = client.post("/v1/campaigns", json=body, headers=tenant.headers())
    assert campaign.status_code == 201, campaign.text
    started = client.post(f"/v1/campaigns/{campaign.json()['id']}/runs", headers=tenant.headers())
    assert started.status_code in (201, 202), started.text
    outbox_tasks.drain(wiring, rounds=20)
    return key_for(wiring, tenant.creditor_id, "lawyer")


def test_every_changing_ui_route_refuses_a_forged_or_missing_token(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    token = logged_in(client, key_for(wiring, tenant.creditor_id, "lawyer"))
    routes = _changing_ui_routes()
    assert ("POST", "/ui/logout") in routes and len(routes) >= 8, routes
    before = _audit_rows(wiring)
    for method, path in routes:
        if path == "/ui/login":  # before a session: its own double-submit token (test_kit)
            continue
        url = re.sub(r"\{[^}]+\}", "x" * 64, path)
        for sent in ({"csrf_token": "forged-" + token[7:]}, {}):
            for accept in ("text/html", "application/json"):
                answer = client.request(method, url, data=sent, headers={"Accept": accept})
                assert _refused(answer), (method, path, sent, answer.status_code)
    assert _audit_rows(wiring) == before
    assert client.get("/ui/cases").status_code == 200, "the session is still there"


def test_every_post_form_on_every_page_carries_the_token_and_is_refused_forged(
    client: TestClient, wiring: Wiring, lawyer_with_everything: str
) -> None:
    token = logged_in(client, lawyer_with_everything)
    queue, seen, forms = list(START), set(), []
    while queue and len(seen) < PAGE_LIMIT:
        page = queue.pop(0)
        if page in seen or _SKIP.search(page):
            continue
        seen.add(page)
        answer = client.get(page)
        assert answer.status_code < 500, page
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        parser = _Parser(page)
        parser.feed(answer.text)
        forms += parser.forms
        queue += [link.split("#")[0] for link in parser.links if link.split("#")[0] not in seen]
    posts = [form for form in forms if form.method == "POST"]
    actions = {form.action.split("?")[0] for form in posts}
    for expected in ("/ui/logout", "/approve", "/reject", "/ui/templates/upload", "/check"):
        assert any(action.endswith(expected) for action in actions), (expected, actions)
    changing = [_pattern(path) for _m, path in _changing_ui_routes()]
    before = _audit_rows(wiring)
    for form in {(f.action, f.enctype): f for f in posts}.values():
        assert form.fields.get("csrf_token") == token, (form.page, form.action)
        assert any(p.match(form.action.split("?")[0]) for p in changing), form.action
        forged = {**form.fields, "csrf_token": "forged-" + token[7:]}
        missing = {k: v for k, v in form.fields.items() if k != "csrf_token"}
        for sent in (forged, missing):
            files = {"source": ("x.docx", b"PK", "application/octet-stream")}
            answer = client.post(
                form.action,
                data=sent,
                files=files if form.enctype == "multipart/form-data" else None,
                headers={"Accept": "text/html"},
            )
            assert _refused(answer), (form.page, form.action, answer.status_code)
    assert _audit_rows(wiring) == before, "a forged form changed nothing"
    assert len(seen) >= 6, seen
