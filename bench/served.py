"""A throw-away ``talap serve`` for the HTTP benchmarks: its own data directory (and, for
PostgreSQL, its own schema), one creditor, a system key, a free loopback port."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.postgres import throwaway_schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TALAP = [sys.executable, "-m", "service.cli"]


@dataclass(frozen=True)
class Served:
    url: str
    key: str
    data_dir: Path
    database: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@contextmanager
def served_talap(database_url: str | None, workers: int) -> Iterator[Served]:
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        env = {**os.environ, "TALAP_DATA_DIR": tmp}
        if database_url:
            env["TALAP_DATABASE_URL"] = database_url
        if database_url and database_url.startswith("postgresql"):
            schema = stack.enter_context(throwaway_schema(database_url, "bench"))
            env["TALAP_DATABASE_SCHEMA"] = schema
        yield from _serve(env, Path(tmp), workers)


def _serve(env: dict[str, str], data_dir: Path, workers: int) -> Iterator[Served]:
    creditor = _last_line("creditors", "add", str(FIXTURES / "creditor.json"), env=env)
    key = _last_line("keys", "create", "--creditor", creditor, "--role", "system", env=env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = "postgresql" if env.get("TALAP_DATABASE_URL") else "sqlite"
    served = Served(f"http://127.0.0.1:{port}", key, data_dir, database)
    with (data_dir / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [*TALAP, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(served.url)
            yield served
        finally:
            server.terminate()
            server.wait(timeout=30)


def _last_line(*cli: str, env: dict[str, str]) -> str:
    out = subprocess.run([*TALAP, *cli], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def _wait_for_health(url: str) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=url, timeout=10) as http:
        while time.monotonic() < deadline:
            try:
                if http.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    raise RuntimeError("the benchmark's server did not start")
