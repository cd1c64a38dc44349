"""Limits before parsing (issue 13 item 1, review D3) and a bug's 500 that keeps the connection
(D11), over real sockets to the app served by uvicorn: a body is refused from its declared length
or by counting, and a route that takes a key checks it before a byte of the body is read."""

from __future__ import annotations

import dataclasses
import json
import select
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.main import create_app
from tests.api import Tenant, key_for, make_tenant
from tests.served import free_port, serving

MB = 1024 * 1024
CHUNK = b"A" * (64 * 1024)
HUGE = 200 * MB


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response read off the socket (its body by ``Content-Length``)."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        assert more, f"the server closed the connection; got {data[:200]!r}"
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    while len(body) < int(headers.get("content-length", "0")):
        more = sock.recv(65536)
        assert more, "the server closed the connection in the body"
        body += more
    return int(status_line.split()[1]), headers, body


def _send_until_answered(
    base: str, head: str, chunks: Iterator[bytes]
) -> tuple[int, dict[str, Any], int, int]:
    """Send ``head`` then ``chunks`` until the server answers; the status, the JSON body, the
    bytes sent, and the peak of memory allocated in this process (client and server threads)."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    tracemalloc.start()
    try:
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(head.encode("latin-1"))
            for chunk in chunks:
                if select.select([sock], [], [], 0)[0]:
                    break  # the answer is there: stop sending
                try:
                    sock.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(chunk)
            status, _headers, body = _answer(sock)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return status, json.loads(body), sent, peak


def _chunked(total: int) -> Iterator[bytes]:
    framed = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
    for _ in range(total // len(CHUNK)):
        yield framed
    yield b"0\r\n\r\n"


def _raw(total: int) -> Iterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield CHUNK


def _head(method: str, path: str, *extra: str) -> str:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *extra]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_200_mb_without_a_key_is_a_401_before_the_body_is_read(wiring: Wiring) -> None:
    """Chunked, so no length to refuse it by: the key is checked before the first byte is read."""
    with serving(wiring) as base:
        head = _head(
            "PUT",
            "/v1/cases/X-1",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
        )
        status, body, sent, peak = _send_until_answered(base, head, _chunked(HUGE))
    assert status == 401, body
    assert body["error"]["code"] == "unauthorized"
    assert sent < HUGE  # answered while the client was still sending
    assert peak < 16 * MB, f"{peak / MB:.1f} MB allocated while {sent / MB:.0f} MB were sent"


def test_200_mb_declared_is_a_413_naming_the_limit_unread(wiring: Wiring) -> None:
    with serving(wiring) as base:
        head = _head(
            "POST",
            "/v1/creditors",
            "Content-Type: application/json",
            f"Content-Length: {HUGE}",
        )
        status, body, sent, peak = _send_until_answered(base, head, _raw(HUGE))
    assert status == 413, body
    assert body["error"]["code"] == "body_too_large"
    (error,) = body["errors"]
    assert (error["path"], error["code"]) == ("body", "too_large")
    assert "1048576 bytes (TALAP_MAX_JSON_BYTES)" in error["message"]
    assert sent < HUGE
    assert peak < 16 * MB, f"{peak / MB:.1f} MB allocated while {sent / MB:.0f} MB were sent"


def test_a_chunked_body_with_a_key_is_cut_off_at_the_limit(wiring: Wiring, tenant: Tenant) -> None:
    with serving(wiring) as base:
        head = _head(
            "PUT",
            "/v1/cases/X-1",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            f"Authorization: Bearer {tenant.system_key}",
        )
        status, body, sent, peak = _send_until_answered(base, head, _chunked(HUGE))
    assert status == 413, body
    assert "TALAP_MAX_JSON_BYTES" in body["error"]["message"]
    assert sent < HUGE
    assert peak < 16 * MB, f"{peak / MB:.1f} MB allocated while {sent / MB:.0f} MB were sent"


def test_an_unknown_key_is_refused_before_an_upload_is_read(wiring: Wiring) -> None:
    with serving(wiring) as base:
        head = _head(
            "POST",
            "/v1/deliveries/D-1/events",
            "Content-Type: multipart/form-data; boundary=x",
            "Authorization: Bearer not-a-key",
            f"Content-Length: {40 * MB}",
        )
        status, body, sent, _peak = _send_until_answered(base, head, _raw(40 * MB))
    assert status == 401, body
    assert sent < 40 * MB


@contextmanager
def _serve(app: FastAPI) -> Iterator[str]:
    """``app`` (with a route of the test's own) on a free loopback port, as ``talap serve`` runs
    it: uvicorn, keep-alive."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_key_whose_role_may_not_is_refused_before_the_body_is_read(
    wiring: Wiring, tenant: Tenant
) -> None:
    """The auditor reads only: its 403 comes before a byte of the JSON body is read (FastAPI
    would have read and decoded it before running ``requires``)."""
    with serving(wiring) as base:
        head = _head(
            "PUT",
            "/v1/cases/X-1",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            f"Authorization: Bearer {tenant.auditor_key}",
        )
        status, body, sent, peak = _send_until_answered(base, head, _chunked(HUGE))
    assert status == 403, body
    assert body["error"]["code"] == "forbidden"
    assert sent < HUGE
    assert peak < 16 * MB, f"{peak / MB:.1f} MB allocated while {sent / MB:.0f} MB were sent"


def test_a_proof_stops_at_20_mib_as_it_arrives(wiring: Wiring, tenant: Tenant) -> None:
    """A 40 MiB proof (the whole upload under its 64 MiB limit) is refused once its part passes
    20 MiB, naming the file, before the client has sent the rest."""
    proof = 40 * MB
    opening = (
        b'--x\r\nContent-Disposition: form-data; name="event"\r\n\r\n{}\r\n'
        b'--x\r\nContent-Disposition: form-data; name="proof"; filename="../../scan.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    )
    closing = b"\r\n--x--\r\n"
    total = len(opening) + proof + len(closing)

    def body() -> Iterator[bytes]:
        yield opening
        yield from _raw(proof)
        yield closing

    with serving(wiring) as base:
        head = _head(
            "POST",
            "/v1/deliveries/D-1/events",
            "Content-Type: multipart/form-data; boundary=x",
            f"Authorization: Bearer {tenant.system_key}",
            f"Content-Length: {total}",
        )
        status, answer, sent, _peak = _send_until_answered(base, head, body())
    assert status == 413, answer
    (error,) = answer["errors"]
    assert (error["path"], error["code"]) == ("proof.0", "too_large")
    assert error["message"].startswith("scan.pdf is over the limit of 20971520 bytes")
    assert sent < total


def _limited(wiring: Wiring, **limits: int) -> Wiring:
    return dataclasses.replace(wiring, settings=wiring.settings.model_copy(update=limits))


@pytest.mark.parametrize(
    ("method", "path", "setting", "content_type"),
    [
        ("PUT", "/v1/cases/X-1", "max_json_bytes", "application/json"),
        ("POST", "/v1/deliveries/D-1/events", "max_proof_upload_bytes", "multipart/form-data"),
        (
            "POST",
            "/v1/templates/reminder/kk/versions",
            "max_template_upload_bytes",
            "multipart/form-data",
        ),
        ("POST", "/v1/batches", "max_batch_bytes", "application/json"),
        ("POST", "/v1/deliveries/bounces", "max_message_bytes", "message/rfc822"),
    ],
)
def test_each_kind_of_body_has_its_own_setting(
    wiring: Wiring, method: str, path: str, setting: str, content_type: str
) -> None:
    """Each limit is a setting, and the refusal names it: just over it is a 413, the same body
    against the default limits is read (and answered for what it is, not for its size)."""
    limit = 1024 * 1024 if setting != "max_json_bytes" else 16 * 1024
    body = b"x" * (limit + 1)
    limited = _limited(wiring, **{setting: limit})
    tenant = make_tenant(limited)
    role = "lawyer" if "templates" in path else "system"
    key = key_for(limited, tenant.creditor_id, role)
    headers = {**tenant.headers(key), "Content-Type": f"{content_type}; boundary=x"}
    with TestClient(create_app(limited)) as client:
        refused = client.request(method, path, content=body, headers=headers)
    assert refused.status_code == 413, refused.text
    assert f"{limit} bytes (TALAP_{setting.upper()})" in refused.json()["error"]["message"]
    with TestClient(create_app(wiring)) as client:
        read = client.request(method, path, content=body, headers=headers)
    assert read.status_code != 413 or "TALAP_" not in read.text, read.text


def test_a_keyless_route_reads_its_body_without_a_key(wiring: Wiring) -> None:
    """The public verification page takes no key: its upload is read (and answered) as before."""
    with TestClient(create_app(wiring)) as client:
        response = client.post(
            "/v1/verify/unknown-token",
            content=b"%PDF-1.4 x",
            headers={"Content-Type": "application/pdf"},
        )
    assert response.status_code in (404, 422), response.text


def test_a_bug_is_a_500_in_the_contract_and_the_connection_stays_open(wiring: Wiring) -> None:
    app = create_app(wiring)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with _serve(app) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(_head("GET", "/boom").encode())
            status, headers, body = _answer(sock)
            assert status == 500
            assert json.loads(body)["error"]["code"] == "internal_error"
            assert "x-request-id" in headers
            assert headers.get("connection", "") != "close"
            sock.sendall(_head("GET", "/health").encode())  # the same connection
            status, _headers, body = _answer(sock)
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
