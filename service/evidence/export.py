"""One pack, three layouts: the signed PDF/A-3, the ASiC-E container, the court-upload set."""

from __future__ import annotations

from dataclasses import dataclass

from service.evidence.asic import build_asic
from service.evidence.court import build_court
from service.evidence.pack import EvidencePack, Format
from service.evidence.pack_pdf import PackPorts, Progress, build_pdf

MEDIA_TYPES = {
    Format.PDF: "application/pdf",
    Format.ZIP: "application/vnd.etsi.asic-e+zip",
    Format.COURT: "application/zip",
}
SUFFIXES = {Format.PDF: "pdf", Format.ZIP: "asice", Format.COURT: "court.zip"}


@dataclass(frozen=True)
class Exported:
    data: bytes
    media_type: str
    filename: str


def export(
    pack: EvidencePack, ports: PackPorts, fmt: Format, progress: Progress | None = None
) -> Exported:
    if fmt is Format.PDF:
        data = build_pdf(pack, ports, progress)
    elif fmt is Format.ZIP:
        data = build_asic(pack, ports.signer)
    else:
        data = build_court(pack, ports, progress=progress)
    name = f"evidence-pack-{pack.case}-{pack.route.value}-{pack.as_of.isoformat()}"
    return Exported(data, MEDIA_TYPES[fmt], f"{name}.{SUFFIXES[fmt]}")
