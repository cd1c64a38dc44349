"""The verification QR code, drawn in Python as SVG (Typst packages cannot be downloaded here)."""

from __future__ import annotations

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage


def qr_svg(text: str) -> str:
    """An SVG (one path, no fill tricks) encoding ``text`` with error correction level M."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        image_factory=SvgPathImage,
    )
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return str(svg)
