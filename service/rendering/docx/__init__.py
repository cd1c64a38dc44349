"""Word templates: docxtpl fills the DOCX, LibreOffice (a warm unoserver pool) makes the PDF/A."""

from service.rendering.docx.engine import DOCX_TYPE, DocxEngine

__all__ = ["DOCX_TYPE", "DocxEngine"]
