"""The pack as an ASiC-E container with a CAdES signature (ETSI EN 319 162-1):

- ``mimetype`` first, stored uncompressed, with no extra field: ``application/vnd.etsi.asic-e+zip``;
- the files (``documents/…``, ``proofs/…``) unchanged, and ``manifest.json``;
- ``META-INF/ASiCManifest.xml``: one ``DataObjectReference`` per file (URI, SHA-256, base64);
- ``META-INF/signature.p7s``: a detached CMS (CAdES-BES) over the manifest's exact bytes, so one
  signature covers every file through its digest.

The ZIP is written with the standard library; the XML by ``xml.etree`` (names escaped by it).
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from service.evidence.manifest import manifest_bytes
from service.evidence.pack import EvidencePack
from service.signing import Signer

MIMETYPE = "application/vnd.etsi.asic-e+zip"
ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
MANIFEST = "META-INF/ASiCManifest.xml"
SIGNATURE = "META-INF/signature.p7s"
# A fixed timestamp for every entry: the same pack gives the same container bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes
    mime_type: str


def asic_manifest(entries: Sequence[Entry]) -> bytes:
    """``ASiCManifest.xml`` referencing ``entries`` by URI with their SHA-256."""
    ET.register_namespace("asic", ASIC_NS)
    ET.register_namespace("ds", DS_NS)
    root = ET.Element(f"{{{ASIC_NS}}}ASiCManifest")
    ET.SubElement(
        root,
        f"{{{ASIC_NS}}}SigReference",
        {"URI": SIGNATURE, "MimeType": "application/pkcs7-signature"},
    )
    for entry in entries:
        reference = ET.SubElement(
            root,
            f"{{{ASIC_NS}}}DataObjectReference",
            {"URI": entry.name, "MimeType": entry.mime_type},
        )
        ET.SubElement(reference, f"{{{DS_NS}}}DigestMethod", {"Algorithm": SHA256})
        digest = ET.SubElement(reference, f"{{{DS_NS}}}DigestValue")
        digest.text = base64.b64encode(hashlib.sha256(entry.data).digest()).decode("ascii")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def build_asic(pack: EvidencePack, signer: Signer) -> bytes:
    entries = [Entry(f.name, f.data, f.mime_type) for f in pack.files()]
    entries.append(Entry("manifest.json", manifest_bytes(pack), "application/json"))
    return container(entries, signer)


def container(entries: Sequence[Entry], signer: Signer) -> bytes:
    names = [e.name for e in entries]
    if len(set(names)) != len(names) or any(n.startswith(("META-INF/", "mimetype")) for n in names):
        raise ValueError("entry names must be unique and outside META-INF")
    manifest = asic_manifest(entries)
    signature = signer.sign_detached(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_info("mimetype", zipfile.ZIP_STORED), MIMETYPE.encode("ascii"))
        for entry in entries:
            archive.writestr(_info(entry.name, zipfile.ZIP_DEFLATED), entry.data)
        archive.writestr(_info(MANIFEST, zipfile.ZIP_DEFLATED), manifest)
        archive.writestr(_info(SIGNATURE, zipfile.ZIP_DEFLATED), signature)
    return buffer.getvalue()


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
