"""Rendering adapters: a template reference and an engine-neutral view model in, PDF bytes out.

``Renderer`` (``base``) is the seam; ``typst.TypstRenderer`` (PDF/A-2b from
``templates/{language}/{kind}.typ``) is the default, and ``memory.FakeRenderer`` the double for fast
tests. The view model comes from ``service.documents.present`` and is the same for every engine.
"""

from service.rendering.base import Renderer, TemplateRef

__all__ = ["Renderer", "TemplateRef"]
