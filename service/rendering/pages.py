"""Page images of a PDF (pypdfium2 renders, Pillow encodes PNG): what a redline shows side by
side."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

MAX_PAGES = 12


def page_pngs(pdf: bytes, *, scale: float = 1.25, limit: int = MAX_PAGES) -> list[bytes]:
    """A PNG of each page (at most ``limit``), ``scale`` × 72 dpi."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(min(len(document), limit)):
            page = document[index]
            try:
                bitmap = page.render(scale=scale)
                out = io.BytesIO()
                bitmap.to_pil().save(out, format="PNG", optimize=True)
                images.append(out.getvalue())
            finally:
                page.close()
        return images
    finally:
        document.close()
