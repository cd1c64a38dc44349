"""The Talap app served on a loopback port in this process — for what must reach it over a real
socket: a browser, an SMS gateway calling back, a webhook receiver."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from service.bootstrap import Wiring
from service.kit.links import Links
from service.main import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(wiring: Wiring, port: int, **options: Any) -> Iterator[str]:
    """``options``: more of ``uvicorn.Config``'s (e.g. the proxies ``talap serve`` trusts)."""
    base = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(wiring),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            **options,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serving(wiring: Wiring) -> Iterator[str]:
    """The app on a free loopback port; yields its base URL."""
    with serve(wiring, free_port()) as base:
        yield base


def at_port(wiring: Wiring, port: int, **changes: object) -> Wiring:
    """The wiring with its public URL on ``port`` (callback and verification links)."""
    return dataclasses.replace(wiring, links=Links(f"http://127.0.0.1:{port}"), **changes)
