"""``Secure`` cookies behind a TLS proxy, and only behind a trusted one: ``talap serve`` believes
``X-Forwarded-Proto`` from the addresses in ``TALAP_TRUSTED_PROXIES`` (``cli.proxy_options``),
over a real socket from 127.0.0.1."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from service.bootstrap import Wiring
from service.cli import proxy_options
from tests.served import free_port, serve

FORWARDED_TLS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


@pytest.mark.parametrize(
    ("trusted", "secure"),
    [("127.0.0.1", True), ("10.1.2.3", False), ("10.1.2.3,127.0.0.1", True)],
)
def test_a_forwarded_https_request_gets_secure_cookies_only_from_a_trusted_proxy(
    wiring: Wiring, trusted: str, secure: bool
) -> None:
    settings = wiring.settings.model_copy(update={"trusted_proxies": trusted})
    proxied = dataclasses.replace(wiring, settings=settings)
    with serve(proxied, free_port(), **proxy_options(settings)) as base:
        forwarded = httpx.get(f"{base}/ui/lang/ru", headers=FORWARDED_TLS)
        plain = httpx.get(f"{base}/ui/lang/ru")
    assert forwarded.status_code == plain.status_code == 303
    assert ("Secure" in forwarded.headers["set-cookie"]) is secure, forwarded.headers
    assert "Secure" not in plain.headers["set-cookie"]
    assert "HttpOnly" in forwarded.headers["set-cookie"]
