"""The Typst engine: PDF/A-2b from ``templates/{language}/{kind}.typ`` with the bundled fonts."""

from service.rendering.typst.renderer import TypstRenderer

__all__ = ["TypstRenderer"]
