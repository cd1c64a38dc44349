"""Reading a PDF's PDF/A claim and fonts back (pypdf)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdfa_part(pdf: bytes) -> str | None:
    """The ``pdfaid:part`` the document's XMP metadata declares (``"2"`` for PDF/A-2)."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    metadata = root.get("/Metadata")
    if metadata is None:
        return None
    xmp = metadata.get_object().get_data()
    found = re.search(rb"pdfaid:part(?:>|=\")(\d)", xmp)
    return found.group(1).decode() if found else None


def fonts_without_file(pdf: bytes) -> list[str]:
    """Base names of the fonts a PDF uses but does not embed."""
    bare = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for font in fonts.get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bare.append(str(font.get("/BaseFont")))
    return bare
