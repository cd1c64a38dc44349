"""The pack as a court-upload set: a ZIP of plain PDFs of at most 20 MB each (Kazakhstan's court
portal limit) and a signed index listing every file with its SHA-256.

- ``00-index.pdf``: the index, signed (PAdES) like a document;
- ``01-report….pdf``: cover, readiness, validation report and the list of files, no attachments;
  if it would pass the limit, the chronology goes into parts of its own, halved until each fits;
- each issued document as archived (its own signature intact);
- each delivery proof: a PDF as archived; an image put on a page; anything else described on a
  page (name, type, size, SHA-256), the original being in the ASiC-E container.

A file that cannot be brought under the limit (a signed document must not be cut) is left out
and the index says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from service.documents.wording import DOCUMENT_KINDS
from service.evidence.pack import (
    ChronologyEntry,
    DocumentEntry,
    EvidencePack,
    PackFile,
    ProofEntry,
    safe_stem,
)
from service.evidence.pack_pdf import SECTIONS, PackPorts, Progress, pdf_view
from service.evidence.views import ROUTES, development_note
from service.kernel.text import Localized
from service.kernel.words import format_date
from service.rendering.base import Attachment

COURT_LIMIT = 20_000_000
"""Bytes per file the court portal takes (20 MB)."""
IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"})
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
INDEX_TITLE = Localized(kk="Сотқа жүктелетін файлдар тізімі", ru="Опись файлов для суда")


@dataclass(frozen=True)
class CourtFile:
    name: str
    data: bytes
    description: Localized
    """What the index says the file is, in Kazakh and Russian (a court reads it)."""
    too_large: bool = False


def build_court(
    pack: EvidencePack,
    ports: PackPorts,
    *,
    limit: int = COURT_LIMIT,
    progress: Progress | None = None,
) -> bytes:
    say = progress or (lambda _step: None)
    say("report")
    files = [
        CourtFile(f"{n:02d}-{name}", data, description)
        for n, (name, data, description) in enumerate(_report(pack, ports, limit), start=1)
    ]
    for document in pack.documents:
        if document.file is not None:
            say("document")
            files.append(
                _numbered(
                    files,
                    document.file.base_name,
                    document.file.data,
                    _document_description(document),
                    limit,
                )
            )
        for delivery in document.deliveries:
            for proof in delivery.proofs:
                if proof.file is not None:
                    say("proof")
                    data = _proof_pdf(pack, proof, proof.file, ports)
                    name = proof.file.base_name.rsplit(".", 1)[0] + ".pdf"
                    about = _proof_description(document, proof)
                    files.append(_numbered(files, name, data, about, limit))
    say("index")
    index = ports.signer.sign(
        _index(pack, files, ports),
        reason=f"Index of the court-upload set of case {pack.case}",
        location="Talap",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_info("00-index.pdf"), index)
        for file in files:
            if not file.too_large:
                archive.writestr(_info(file.name), file.data)
    return buffer.getvalue()


def _numbered(
    files: Sequence[CourtFile], name: str, data: bytes, description: Localized, limit: int
) -> CourtFile:
    return CourtFile(
        f"{len(files) + 1:02d}-{safe_stem(name)}", data, description, too_large=len(data) > limit
    )


REPORT = Localized(kk="Дәлелдемелер топтамасының есебі", ru="Отчёт доказательственного пакета")


def _document_description(document: DocumentEntry) -> Localized:
    name = DOCUMENT_KINDS.get(document.kind, Localized(document.kind, document.kind))
    day = format_date(document.issue_date)
    return Localized(
        kk=f"{day} № {document.number} {name.kk}",
        ru=f"{name.ru} № {document.number} от {day}",
    )


def _proof_description(document: DocumentEntry, proof: ProofEntry) -> Localized:
    """As the chronology names a proof."""
    return Localized(
        kk=f"№ {document.number} тапсыру дәлелі: {proof.filename}",
        ru=f"Доказательство вручения № {document.number}: {proof.filename}",
    )


def _report(pack: EvidencePack, ports: PackPorts, limit: int) -> list[tuple[str, bytes, Localized]]:
    """The report as one PDF, or, over the limit, a main part and the chronology in parts."""
    render = _report_renderer(pack, ports)
    whole = render(SECTIONS, pack.chronology, None)
    if len(whole) <= limit or len(pack.chronology) <= 1:
        return [("report.pdf", whole, REPORT)]
    main = render(tuple(s for s in SECTIONS if s != "chronology"), (), None)

    def label(n: int) -> Localized:
        return Localized(kk=f"Хронология, {n}-бөлім", ru=f"Хронология, часть {n}")

    chunks = [pack.chronology]
    while True:  # halve the first part over the limit until every part fits (or is one row)
        rendered = [render(("chronology",), c, label(i)) for i, c in enumerate(chunks, 1)]
        over = [i for i, pdf in enumerate(rendered) if len(pdf) > limit and len(chunks[i]) > 1]
        if not over:
            break
        i = over[0]
        half = len(chunks[i]) // 2
        chunks[i : i + 1] = [chunks[i][:half], chunks[i][half:]]
    parts = [("report.pdf", main, REPORT)]
    parts += [
        (
            f"chronology-{n}.pdf",
            pdf,
            Localized(
                kk=f"Хронология, {n}-бөлім (барлығы {len(chunks)} бөлім)",
                ru=f"Хронология, часть {n} из {len(chunks)}",
            ),
        )
        for n, pdf in enumerate(rendered, start=1)
    ]
    return parts


def _report_renderer(
    pack: EvidencePack, ports: PackPorts
) -> Callable[[Sequence[str], Sequence[ChronologyEntry], Localized | None], bytes]:
    development = ports.signer.is_development

    def render(
        sections: Sequence[str], chronology: Sequence[ChronologyEntry], part: Localized | None
    ) -> bytes:
        sliced = dataclasses.replace(pack, chronology=tuple(chronology))
        view = pdf_view(sliced, ports.cite, development, sections=sections, part=part, attach=False)
        return ports.renderer.render_with("pack/evidence.typ", view, [], created=pack.created_at)

    return render


def _proof_pdf(pack: EvidencePack, proof: ProofEntry, file: PackFile, ports: PackPorts) -> bytes:
    if file.data[:5] == b"%PDF-":
        return file.data
    image = file.mime_type in IMAGES
    view = {
        "title": f"{proof.filename}",
        "kk": f"Тапсыру дәлелі, түрі {proof.content_type}, {proof.size} байт"
        + ("" if image else "; түпнұсқасы ASiC-E контейнерінде"),
        "ru": f"Доказательство вручения, тип {proof.content_type}, {proof.size} байт"
        + ("" if image else "; оригинал — в контейнере ASiC-E"),
        "sha256": proof.sha256,
        "image": image,
    }
    # The image is only placed on the page (``pack/proof.typ`` attaches nothing).
    files = [Attachment(file.base_name, file.data, file.mime_type, "Source", "")] if image else []
    return ports.renderer.render_with("pack/proof.typ", view, files, created=pack.created_at)


def _index(pack: EvidencePack, files: Sequence[CourtFile], ports: PackPorts) -> bytes:
    view = {
        "title": INDEX_TITLE.as_dict(),
        "creditor": pack.creditor.name.kk,
        "case": pack.case,
        "as_of": format_date(pack.as_of),
        "route": ROUTES[pack.route].as_dict(),
        "development": ports.signer.is_development,
        "development_note": development_note().as_dict(),
        "intro": {
            "kk": "Әр файлдың SHA-256 хэші төменде; бұл тізімге өндіріп алушының электрондық "
            "цифрлық қолтаңбасы қойылған. Түпнұсқалары дәлелдемелер топтамасында (ASiC-E) "
            "сақталады.",
            "ru": "Ниже SHA-256 каждого файла; опись подписана электронной цифровой "
            "подписью взыскателя. Оригиналы хранятся в доказательственном пакете (ASiC-E).",
        },
        "heads": ["№", "Файл, SHA-256", "Байт"],
        "files": [
            {
                "n": n,
                "name": f.name + (" — 20 МБ-тан асады / больше 20 МБ" if f.too_large else ""),
                "description": f.description.as_dict(),
                "sha256": hashlib.sha256(f.data).hexdigest(),
                "size": str(len(f.data)),
            }
            for n, f in enumerate(files, start=1)
        ],
    }
    return ports.renderer.render_with("pack/index.typ", view, [], created=pack.created_at)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
