"""What an HTML template may load: its own files, the bundled fonts, small inline images — and
nothing else.

WeasyPrint fetches every stylesheet, image and font a document names. A lawyer's template must
not read the server's files (``/etc/passwd``, ``../x``) nor make the server send requests
(``http://127.0.0.1:…``): the fetcher below answers only

- ``file:///talap-template/<path>``: a file of the version's own bundle, served from memory (the
  document's base URL, so ``style.css``, ``img/logo.png`` resolve here; ``..`` is normalised
  first and cannot climb out, since nothing is read from disk at all);
- ``file:///talap-fonts/<name>``: one of the bundled DejaVu Serif faces (for ``@font-face``);
- ``data:image/…`` URLs up to ``DATA_LIMIT`` bytes (a small logo inline).

Anything else is refused before any I/O: WeasyPrint logs the refusal and leaves the resource out.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from service.rendering.typst.glyphs import FONT_FILES, FONTS_DIR

TEMPLATE_ROOT: Final = "file:///talap-template/"
FONTS_ROOT: Final = "file:///talap-fonts/"
DATA_LIMIT: Final = 64 * 1024


class Refused(ValueError):
    """A URL outside what a template may load."""


class BundleFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, files: Mapping[str, bytes]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.files = files
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            return self._answer(url, headers)
        except Refused:
            self.refused.append(url)
            raise

    def _answer(self, url: str, headers: Any) -> URLFetcherResponse:
        if url.startswith("data:"):
            head = url[5:40].lower()
            if not head.startswith("image/") or len(url) > DATA_LIMIT * 4 // 3 + 100:
                raise Refused(f"only small inline images may be data: URLs ({url[:40]}…)")
            return super().fetch(url, headers)  # decoded by urllib's data handler: no I/O
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise Refused(f"a template loads only its own files: {url}")
        path = unquote(parts.path)
        if path.startswith("/talap-template/"):
            name = posixpath.normpath(path[len("/talap-template/") :])
            data = self.files.get(name)
            if data is None or name.startswith(("../", "/")):
                raise Refused(f"no file {name!r} in the template")
            return _response(url, name, data)
        if path.startswith("/talap-fonts/"):
            name = path[len("/talap-fonts/") :]
            if name not in FONT_FILES:
                raise Refused(f"no bundled font {name!r}")
            return _response(url, name, (FONTS_DIR / name).read_bytes())
        raise Refused(f"a template loads only its own files: {url}")


def _response(url: str, name: str, data: bytes) -> URLFetcherResponse:
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, data, {"Content-Type": mime})
