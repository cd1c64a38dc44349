"""Typst compilers kept per entry file, reused, one thread at a time each; and the JSON input
they are given.

A new compiler per document costs ≈ 48 ms instead of 20–32 ms (research ``perf.md`` F4). Up to
``COMPILERS_PER_TEMPLATE`` are kept per key, so threads rendering the same template (bulk issuing)
compile side by side: Typst leaves the GIL while it compiles.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import typst

from service.rendering.typst.qr import qr_svg

COMPILERS_PER_TEMPLATE: Final = 2
"""Compilers kept per template (each ≈ its own cache of the template's layout): the cores."""


class CompilerPool:
    """Idle compilers by key (a template's path, a version id), built on demand."""

    def __init__(self, fonts: typst.Fonts) -> None:
        self._fonts = fonts
        self._pools: dict[str, tuple[queue.SimpleQueue[typst.Compiler], list[int]]] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def compiler(
        self, key: str, where: Callable[[], tuple[Path, Path]]
    ) -> Iterator[typst.Compiler]:
        """An idle compiler for ``key``: a new one while it has fewer than
        ``COMPILERS_PER_TEMPLATE``, else the next one back. ``where`` gives the entry file and the
        Typst root, called (under the pool's lock) only when a compiler is built."""
        with self._lock:
            idle, made = self._pools.setdefault(key, (queue.SimpleQueue(), [0]))
            build = idle.empty() and made[0] < COMPILERS_PER_TEMPLATE
            if build:
                made[0] += 1
                entry, root = where()
        compiler = (
            typst.Compiler(
                input=str(entry),
                root=str(root),
                font_paths=self._fonts,
                ignore_system_fonts=True,
            )
            if build
            else idle.get()
        )
        try:
            yield compiler
        finally:
            idle.put(compiler)


def typst_input(value: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> str:
    """A view (or a batch of views) as the JSON Typst reads from ``sys.inputs``, each with its
    verification QR code drawn (``qr.py``): data, never markup."""
    views = [value] if isinstance(value, Mapping) else list(value)
    drawn = [_with_qr(view) for view in views]
    return json.dumps(
        drawn[0] if isinstance(value, Mapping) else drawn, ensure_ascii=False, separators=(",", ":")
    )


def _with_qr(view: Mapping[str, Any]) -> dict[str, Any]:
    url = view.get("verify_url")
    return {**view, "qr_svg": qr_svg(url) if isinstance(url, str) and url else None}
