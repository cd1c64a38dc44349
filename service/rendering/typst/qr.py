"""The verification QR code, drawn in Python as SVG (Typst packages cannot be downloaded here).

Speed: letting ``qrcode`` score all eight mask patterns and build the SVG through its image
factory costs ≈ 10 ms a document, a third of a whole render. A fixed mask (any of the eight is
valid for every reader; scoring only picks the one with the fewest look-alike patterns) and a
hand-written single-path SVG bring it to ≈ 1 ms.
"""

from __future__ import annotations

import qrcode
import qrcode.constants

_MASK = 2  # fixed; see the module docstring


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of a QR code for ``text`` (error correction M, with the 4-module quiet zone)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=_MASK
    )
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg(text: str) -> str:
    """An SVG of one black path, one unit per module; Typst scales it to the size it is given."""
    matrix = qr_matrix(text)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" shape-rendering="crispEdges">'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
