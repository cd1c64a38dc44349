"""One compile of many notices, split into one PDF/A-2b per notice (pypdf).

A batch compile (``common/document.typ``'s ``sys.inputs.batch``) ends each notice with a
``<talap-notice-end>`` marker holding the notice's last physical page; the engine queries them
(``ends``) and each notice is the pages after the previous one's end up to its own. Each part
keeps what makes the whole a PDF/A-2b and says nothing false about itself:

- its pages, with the fonts, images and colour spaces they use (shared objects written once);
- the catalog's output intent (sRGB), language and viewer preferences;
- the XMP metadata, with the part's own page count and its own document and instance ids (the
  trailer's ``/ID`` is the same pair, as in a PDF Typst writes itself), and the document
  information dictionary equal to it (title, author, creator, dates; pypdf's own ``/Producer``
  would not be in the XMP, so it is left out);
- no structure tree (it describes the whole compile's pages; PDF/A-2b does not ask for one).

The font subsets are the compile's: a part may carry glyphs only another notice printed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from service.errors import RenderingFailed

_KEPT_CATALOG = ("/OutputIntents", "/Lang", "/ViewerPreferences")
_KEPT_INFO = ("/Title", "/Author", "/Creator", "/CreationDate", "/ModDate")


def split_notices(pdf: bytes, ends: Sequence[int], expected: int) -> list[bytes]:
    """``pdf`` cut after each notice's last page (``ends``, 1-based, as the markers state them)
    into ``expected`` PDFs, in order; ends that do not cut the whole compile into ``expected``
    non-empty notices (a template without batch support, a marker out of place) are refused."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    starts = [0, *ends[:-1]]
    if (
        len(ends) != expected
        or not ends
        or ends[-1] != pages
        or any(start >= end for start, end in zip(starts, ends, strict=True))
    ):
        raise RenderingFailed(
            f"a batch compile of {expected} notices on {pages} pages has notice ends {list(ends)}"
        )
    xmp = _xmp(reader)
    return [
        _part(reader, xmp, index, start, end)
        for index, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]


def _catalog(reader: PdfReader) -> DictionaryObject:
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):
        raise RenderingFailed("a batch compile has no document catalog")
    return root


def _xmp(reader: PdfReader) -> str:
    metadata = _catalog(reader).get("/Metadata")
    if metadata is None:
        raise RenderingFailed("a batch compile has no XMP metadata (not PDF/A)")
    text: str = metadata.get_object().get_data().decode("utf-8")
    return text


def _part(reader: PdfReader, xmp: str, index: int, start: int, end: int) -> bytes:
    writer = PdfWriter()
    for number in range(start, end):
        page = writer.add_page(reader.pages[number])
        page.pop(NameObject("/StructParents"), None)
    catalog = _catalog(reader)
    root = writer.root_object
    for key in _KEPT_CATALOG:
        if key in catalog:
            value = catalog[key]
            root[NameObject(key)] = value.clone(writer) if hasattr(value, "clone") else value
    instance, document = _ids(xmp, index)
    stream = DecodedStreamObject()
    stream.set_data(_part_xmp(xmp, end - start, instance, document).encode("utf-8"))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(stream)
    info = reader.metadata
    writer.metadata = {key: str(info[key]) for key in _KEPT_INFO if info and key in info}
    written = writer._info.get_object() if writer._info is not None else None
    if isinstance(written, DictionaryObject):  # pypdf adds its /Producer, which the XMP lacks
        written.pop(NameObject("/Producer"), None)
    # the trailer's ids, as the XMP states them (pypdf has no public setter)
    writer._ID = ArrayObject(
        [ByteStringObject(base64.b64decode(document)), ByteStringObject(base64.b64decode(instance))]
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _ids(xmp: str, index: int) -> tuple[str, str]:
    """The part's instance and document ids: derived from the compile's own and the part's
    place in it, so the same compile splits into the same bytes."""
    found = re.search(r"<xmpMM:InstanceID>([^<]*)</xmpMM:InstanceID>", xmp)
    seed = (found.group(1) if found else "") + f"#{index}"
    digest = hashlib.sha256(seed.encode()).digest()
    return (
        base64.b64encode(digest[:16]).decode(),
        base64.b64encode(digest[16:32]).decode(),
    )


def _part_xmp(xmp: str, pages: int, instance: str, document: str) -> str:
    for tag, value in (
        ("xmpTPg:NPages", str(pages)),
        ("xmpMM:InstanceID", instance),
        ("xmpMM:DocumentID", document),
    ):
        xmp = re.sub(f"<{tag}>[^<]*</{tag}>", f"<{tag}>{value}</{tag}>", xmp)
    # the history's instance ids name the compile's source: the part's own
    return re.sub(
        r"<stEvt:instanceID>[^<]*_source</stEvt:instanceID>",
        f"<stEvt:instanceID>{instance}_source</stEvt:instanceID>",
        xmp,
    )
