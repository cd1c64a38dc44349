"""The small interfaces the application needs from its adapters (rendering, signing, archive).

Adapters satisfy them structurally; the composition root (``service.bootstrap``) wires real ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Renderer(Protocol):
    def render(self, facts: Mapping[str, Any]) -> bytes:
        """A PDF/A for the facts; raises ``RenderingFailed`` for what cannot be typeset."""
        ...


class Signer(Protocol):
    @property
    def subject(self) -> str: ...

    @property
    def is_development(self) -> bool: ...

    @property
    def certificate_der(self) -> bytes: ...

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes: ...


class StoredObjectLike(Protocol):
    @property
    def sha256(self) -> str: ...

    @property
    def size(self) -> int: ...


class ArchiveCheckLike(Protocol):
    @property
    def ok(self) -> bool: ...

    @property
    def actual(self) -> str | None: ...

    @property
    def problem(self) -> str | None: ...


class Archive(Protocol):
    def put(self, data: bytes) -> StoredObjectLike: ...

    def get(self, sha256: str) -> bytes: ...

    def verify(self, sha256: str) -> ArchiveCheckLike: ...
