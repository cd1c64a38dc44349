"""Rendering adapters: facts (JSON-able mapping) in, PDF bytes out.

``TypstRenderer`` (``typst_renderer``) is the default: PDF/A-2b from
``templates/{language}/{kind}.typ``.
``present`` turns facts into the localized view model; ``fonts`` holds the bundled fonts and the
glyph guard. Other engines (docxtpl, WeasyPrint) would satisfy the same ``Renderer`` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Renderer(Protocol):
    def render(self, facts: Mapping[str, Any]) -> bytes:
        """A PDF for the facts; ``service.errors.RenderingFailed`` for what cannot be typeset."""
        ...


__all__ = ["Renderer"]
