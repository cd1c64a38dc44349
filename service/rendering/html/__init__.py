"""HTML templates: Jinja2 fills the HTML, WeasyPrint makes the PDF/A, loading only the bundle."""

from service.rendering.html.engine import HtmlEngine

__all__ = ["HtmlEngine"]
