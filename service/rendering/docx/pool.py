"""A small warm pool of LibreOffice converters (unoserver), for DOCX → PDF/A.

Starting LibreOffice costs seconds; converting a one-page letter in a running one costs a fraction
of that. So up to ``size`` unoserver processes are started lazily (the first request that finds
no idle one starts the next), each on its own loopback ports and its own LibreOffice profile, and
kept. Each request has a timeout; at most ``size + queue`` requests are admitted at once (the rest
are refused at once, not queued without end); a server that died or timed out is stopped and
started again by the next request that needs one.

unoserver's server side needs LibreOffice's Python bridge (``import uno``), which Debian ships for
the system Python (``python3-uno``), not for a virtualenv: the server runs under the first Python
that can import ``uno`` (``TALAP_UNO_PYTHON``, the running one, ``/usr/bin/python3``,
LibreOffice's own), with only the unoserver package put on its path. The client side is plain
XML-RPC. LibreOffice finds the bundled fonts through a private fontconfig file that adds the
fonts folder to the system configuration.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.metadata
import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from service.errors import RenderingFailed

INSTALL_HINT: Final = (
    "LibreOffice and unoserver are needed for Word templates: "
    "`apt-get install libreoffice-writer-nogui python3-uno` and `pip install unoserver`"
)
UNO_PYTHONS: Final = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _imports_uno(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import uno"],
            capture_output=True,
            timeout=30,
            check=False,
            env={**os.environ, "PYTHONPATH": ""},
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@functools.cache
def uno_python() -> str | None:
    """A Python that can ``import uno`` (cached: the machine does not change under a process)."""
    import sys

    candidates = [os.environ.get("TALAP_UNO_PYTHON", ""), sys.executable, *UNO_PYTHONS]
    for python in candidates:
        if python and Path(python).exists() and _imports_uno(python):
            return python
    return None


def unoserver_installed() -> bool:
    try:
        importlib.metadata.distribution("unoserver")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def missing() -> str | None:
    """``None`` when a pool can run here; else what to install."""
    absent = []
    if soffice() is None:
        absent.append("LibreOffice (soffice)")
    if not unoserver_installed():
        absent.append("the unoserver package")
    if not absent and uno_python() is None:
        absent.append("LibreOffice's Python bridge (import uno)")
    if absent:
        return f"{' and '.join(absent)} not found. {INSTALL_HINT}"
    return None


def _unoserver_path(into: Path) -> Path:
    """A folder holding only the unoserver package and its metadata (for the uno Python's path:
    the whole virtualenv there could shadow that Python's own packages)."""
    dist = importlib.metadata.distribution("unoserver")
    into.mkdir(parents=True, exist_ok=True)
    for file in dist.files or []:
        top = Path(str(file)).parts[0]
        target = into / top
        source = Path(str(dist.locate_file(top)))
        if top.endswith((".dist-info", "unoserver")) and not target.exists():
            target.symlink_to(source, target_is_directory=True)
    return into


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> Any:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class _Server:
    """One unoserver process (and the LibreOffice it starts), in its own process group."""

    def __init__(self, index: int, work_dir: Path, env: dict[str, str], python: str) -> None:
        self.index = index
        self.profile = work_dir / f"profile-{index}"
        self.log = work_dir / f"unoserver-{index}.log"
        self.env = env
        self.python = python
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float) -> None:
        self.port, uno_port = _free_port(), _free_port()
        self.profile.mkdir(parents=True, exist_ok=True)
        command = [
            self.python,
            "-c",
            "import sys; from unoserver.server import main; sys.exit(main())",
            "--interface",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--uno-interface",
            "127.0.0.1",
            "--uno-port",
            str(uno_port),
            "--executable",
            soffice() or "soffice",
            "--user-installation",
            str(self.profile),
            "--conversion-timeout",
            str(int(timeout)),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=self.env,
                start_new_session=True,  # its own group: stopping it stops its LibreOffice too
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            try:
                self.proxy(5.0).info()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.25)
        self.stop()
        raise RenderingFailed(
            f"LibreOffice (unoserver) did not start within {timeout:.0f} s; see {self.log.name}"
        )

    def proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.port}", transport=_Transport(timeout), allow_none=True
        )

    def stop(self) -> None:
        """Stop unoserver and everything it started: SIGTERM to the group lets unoserver and
        soffice.bin exit, then SIGKILL takes what is left (oosplash ignores SIGTERM and would
        stay behind, orphaned)."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid  # its own session: the group id is its pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            # a few seconds to exit cleanly; a converter mid-conversion often takes no notice,
            # and waiting longer only delays the SIGKILL that follows (10 s cost every stop)
            process.wait(timeout=3)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


class UnoPool:
    """Up to ``size`` warm LibreOffice converters shared by the threads of this process."""

    def __init__(
        self,
        work_dir: Path,
        *,
        fonts_dir: Path,
        size: int = 2,
        queue_limit: int = 16,
        timeout: float = 60.0,
        start_timeout: float = 90.0,
    ) -> None:
        self.work_dir = Path(work_dir)
        self.fonts_dir = Path(fonts_dir)
        self.size = size
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._admitted = threading.BoundedSemaphore(size + queue_limit)
        self._idle: queue.Queue[_Server] = queue.Queue()
        self._servers: list[_Server] = []
        self._lock = threading.Lock()
        self._env: dict[str, str] | None = None
        # LibreOffice runs in its own process group: stop it with this process, not after it.
        atexit.register(self.close)

    def _environment(self, python: str) -> dict[str, str]:
        if self._env is None:
            self.work_dir.mkdir(parents=True, exist_ok=True)
            conf = self.work_dir / "fonts.conf"
            conf.write_text(
                _FONTS_CONF.format(fonts=self.fonts_dir, cache=self.work_dir / "fontconfig"),
                encoding="utf-8",
            )
            shim = _unoserver_path(self.work_dir / "pythonpath")
            self._env = {
                **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
                "PYTHONPATH": str(shim),
                "FONTCONFIG_FILE": str(conf),
                "HOME": str(self.work_dir),
            }
        return self._env

    def _take(self) -> _Server:
        """An idle server, a new one while the pool is not full, else wait for one."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._servers) < self.size:
                python = uno_python()
                if python is None or missing() is not None:
                    raise RenderingFailed(missing() or INSTALL_HINT)
                server = _Server(
                    len(self._servers), self.work_dir, self._environment(python), python
                )
                self._servers.append(server)
                return server
        try:
            return self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise RenderingFailed(
                f"no LibreOffice converter free within {self.timeout:.0f} s"
            ) from None

    def convert(
        self, data: bytes, *, convert_to: str = "pdf", filter_options: Sequence[str] = ()
    ) -> bytes:
        """``data`` (a DOCX) converted by LibreOffice; ``RenderingFailed`` when the pool is full,
        the conversion times out, or LibreOffice fails (the server is restarted next time)."""
        if not self._admitted.acquire(blocking=False):
            raise RenderingFailed("the LibreOffice converters are busy: too many documents queued")
        try:
            server = self._take()
            try:
                return self._convert_on(server, data, convert_to, list(filter_options))
            finally:
                self._idle.put(server)
        finally:
            self._admitted.release()

    def _convert_on(
        self, server: _Server, data: bytes, convert_to: str, options: list[str]
    ) -> bytes:
        if not server.alive():
            server.stop()
            server.start(self.start_timeout)
        try:
            result = server.proxy(self.timeout).convert(
                None, xmlrpc.client.Binary(data), None, convert_to, None, options, True, None
            )
        except (OSError, xmlrpc.client.Error) as exc:
            server.stop()  # dead, stuck or timed out: the next request starts it again
            raise RenderingFailed(f"LibreOffice could not convert the document: {exc}") from exc
        if isinstance(result, xmlrpc.client.Binary):
            return bytes(result.data)
        if isinstance(result, bytes):
            return result
        raise RenderingFailed("LibreOffice returned no document")

    def close(self) -> None:
        with self._lock:
            for server in self._servers:
                server.stop()
            self._servers.clear()
        while not self._idle.empty():
            self._idle.get_nowait()
