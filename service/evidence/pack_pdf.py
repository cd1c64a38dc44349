"""The evidence pack as one signed PDF/A-3 (``templates/pack/evidence.typ``).

A bilingual cover (Kazakh first), the chronology, the readiness check for the route, the
validation report, and every issued document and delivery proof attached **unchanged** as an
associated file (documents ``/AFRelationship /Source``, proofs ``/Supplement``), so each
document's own PAdES signature still validates once extracted; ``manifest.json`` (``/Data``,
the ZIP's same file) carries the machine-readable pack, with each case event's inclusion proof
and the signed checkpoint, so the PDF alone lets anyone re-check them. The pack is then signed
like a document (PAdES, incremental update): the attachments sit inside the signed revision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from service.documents.wording import DOCUMENT_KINDS
from service.evidence.chronology import channel_name, status_name
from service.evidence.manifest import manifest_bytes
from service.evidence.pack import (
    Check,
    DocumentEntry,
    EvidencePack,
    FileCheck,
    PackFile,
    ProofEntry,
)
from service.evidence.views import (
    HEADINGS,
    LABELS,
    ROUTES,
    STATUSES,
    TITLE,
    both,
    debt_rows,
    development_note,
    money,
    provision_cites,
)
from service.kernel.text import Localized
from service.kernel.words import format_date
from service.rendering.base import AttachingRenderer, Attachment
from service.signing import Signer

TEMPLATE = "pack/evidence.typ"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class PackPorts:
    renderer: AttachingRenderer
    signer: Signer
    cite: Callable[[str], Localized]
    """A provision id → its citation in Kazakh and Russian (the law registry)."""


def build_pdf(pack: EvidencePack, ports: PackPorts, progress: Progress | None = None) -> bytes:
    """The signed PDF/A-3 of ``pack``."""
    say = progress or (lambda _step: None)
    files = [*pack.files(), manifest_file(pack)]
    say("typeset")
    pdf = ports.renderer.render_with(
        TEMPLATE,
        pdf_view(pack, ports.cite, ports.signer.is_development),
        [attachment_of(f) for f in files],
        created=pack.created_at,
    )
    say("sign")
    return ports.signer.sign(
        pdf,
        reason=f"Evidence pack of case {pack.case} ({pack.route.value})",
        location="Talap",
    )


def manifest_file(pack: EvidencePack) -> PackFile:
    """``manifest.json`` as the PDF's data attachment (PDF/A-3 ``/Data``)."""
    return PackFile(
        "manifest.json",
        manifest_bytes(pack),
        "application/json",
        "Data",
        "the pack as data: documents, deliveries, validation, audit events with inclusion proofs",
    )


def attachment_of(file: PackFile) -> Attachment:
    return Attachment(
        name=file.base_name,
        data=file.data,
        mime_type=file.mime_type,
        relationship=file.relationship,
        description=file.description,
    )


SECTIONS = ("cover", "chronology", "readiness", "validation", "files")


def pdf_view(
    pack: EvidencePack,
    cite: Callable[[str], Localized],
    development: bool,
    *,
    sections: Sequence[str] = SECTIONS,
    part: Localized | None = None,
    attach: bool = True,
) -> dict[str, Any]:
    """The view ``pack/evidence.typ`` reads. ``sections`` and ``part`` make one part of a
    court-upload report; ``attach`` False leaves the files out (a plain PDF)."""
    missing = [c.message for c in pack.missing]
    return {
        "sections": list(sections),
        "part": part.as_dict() if part else None,
        "attach": attach,
        "title": TITLE.as_dict(),
        "case": pack.case,
        "as_of": format_date(pack.as_of),
        "created_at": pack.created_at.strftime("%d.%m.%Y %H:%M UTC"),
        "route": ROUTES[pack.route].as_dict(),
        "development": development,
        "development_note": development_note().as_dict(),
        "headings": {k: v.as_dict() for k, v in HEADINGS.items()},
        "labels": {k: v.as_dict() for k, v in LABELS.items()},
        "statuses": {k: v.as_dict() for k, v in STATUSES.items()},
        "creditor": {
            "name": pack.creditor.name.as_dict(),
            "identifier": pack.creditor.identifier or "—",
            "address": (pack.creditor.address or Localized("—", "—")).as_dict(),
        },
        "debtor": {
            "name": pack.debtor.name.kk,
            "identifier": pack.debtor.identifier,
            "address": _both_or_one(pack.debtor.address),
        },
        "unit": pack.unit.as_dict(),
        "debt": [{"label": label.as_dict(), "value": value} for label, value in debt_rows(pack)],
        "basis": [{"cite": p.cite.as_dict(), "summary": p.summary.as_dict()} for p in pack.basis],
        "chronology_heads": [
            "Күні / Дата",
            "Оқиға",
            "Событие",
            "Сома / Сумма",
            "Нөмірі / Номер, SHA-256",
        ],
        "chronology": [
            {
                "date": format_date(e.on),
                "text": e.text.as_dict(),
                "amount": money(e.amount) if e.amount is not None else "",
                "reference": e.reference,
                "sha256": e.sha256,
            }
            for e in pack.chronology
        ],
        "missing": [{"kk": m.kk, "ru": m.ru} for m in missing],
        "readiness": [_check(c, cite) for c in pack.readiness],
        "validation_intro": both(
            "Әр құжаттың мұрағаттағы байттары тіркелген SHA-256 хэшпен салыстырылды, қолтаңбасы "
            "pyHanko арқылы желісіз тексерілді.",
            "Байты каждого документа в архиве сверены с записанным SHA-256, подпись проверена "
            "pyHanko без обращения к сети.",
        ),
        "validation_heads": ["Файл, SHA-256", "Хэш / Хеш", "Қолтаңба / Подпись"],
        "validation": _validation(pack.documents),
        "chain": _chain(pack.chain_problems),
        "checkpoint": _checkpoint(pack),
        "files_intro": both(
            "Төмендегі файлдар осы PDF-ке өзгеріссіз тіркелген (PDF/A-3 қосымшалары): оларды "
            "шығарып алып, қолтаңбасын жеке тексеруге болады.",
            "Файлы ниже приложены к этому PDF без изменений (вложения PDF/A-3): их можно "
            "извлечь и проверить подпись каждого отдельно.",
        ),
        "files": _files(pack.documents),
    }


def _both_or_one(value: Localized | None) -> str | None:
    if value is None:
        return None
    return value.kk if value.kk == value.ru else f"{value.kk} / {value.ru}"


def _check(check: Check, cite: Callable[[str], Localized]) -> dict[str, Any]:
    return {
        "status": check.status.value,
        "code": check.code,
        "cites": provision_cites(check.provisions, cite),
        "message": {"kk": check.message.kk, "ru": check.message.ru},
    }


def _file_status(check: FileCheck) -> tuple[str, str]:
    hashed = "ok" if check.hash_ok else "fail"
    if not check.signature_checked:
        return hashed, "na"
    return hashed, "ok" if check.signature_ok else "fail"


def _detail(check: FileCheck) -> str:
    parts = []
    if check.signer_subject:
        parts.append(check.signer_subject)
    if check.signing_time:
        parts.append(check.signing_time.strftime("%d.%m.%Y %H:%M UTC"))
    parts.extend(check.problems)
    return "; ".join(parts)


def _validation(documents: Sequence[DocumentEntry]) -> list[dict[str, str]]:
    rows = []
    for document in documents:
        name = DOCUMENT_KINDS.get(document.kind, Localized(document.kind, document.kind))
        hashed, signed = _file_status(document.check)
        rows.append(
            {
                "item": f"{document.number} {name.kk} / {name.ru}",
                "sha256": document.sha256,
                "detail": _detail(document.check),
                "hash": hashed,
                "signature": signed,
            }
        )
        for proof in _proofs(document):
            hashed, signed = _file_status(proof.check)
            rows.append(
                {
                    "item": f"{document.number}: {proof.filename}",
                    "sha256": proof.sha256,
                    "detail": _detail(proof.check),
                    "hash": hashed,
                    "signature": signed,
                }
            )
    return rows


def _proofs(document: DocumentEntry) -> list[ProofEntry]:
    return [p for d in document.deliveries for p in d.proofs]


def _chain(problems: Sequence[str]) -> dict[str, str]:
    if not problems:
        return both(
            "Өндіріп алушының аудит тізбегі қайта есептелді: бұзылмаған.",
            "Цепочка аудита взыскателя пересчитана: не нарушена.",
        )
    listed = "; ".join(problems)
    return both(f"Аудит тізбегі бұзылған: {listed}", f"Цепочка аудита нарушена: {listed}")


def _checkpoint(pack: EvidencePack) -> dict[str, str]:
    checkpoint = pack.checkpoint
    if checkpoint is None:
        return both(
            "Аудит журналының қол қойылған бақылау нүктесі әлі жоқ: оқиғалардың қосылу "
            "дәлелдері келесі бақылау нүктесінен кейін беріледі.",
            "Подписанной контрольной точки журнала аудита ещё нет: доказательства включения "
            "событий появятся после следующей.",
        )
    proven = [e for e in pack.audit if e.inclusion and e.inclusion.get("verified")]
    later = [e for e in pack.audit if not e.inclusion or e.inclusion.get("covered") is False]
    size, root = checkpoint.get("tree_size"), str(checkpoint.get("root_hash", ""))[:16]
    at = str(checkpoint.get("created_at", ""))[:19].replace("T", " ")
    return both(
        f"Аудит журналының соңғы қол қойылған бақылау нүктесі: {size} оқиға, түбірі {root}…, "
        f"{at} UTC. Істің {len(proven)} оқиғасының осы түбірге қосылу дәлелі тексерілді; "
        f"{len(later)} оқиға келесі бақылау нүктесіне кіреді.",
        f"Последняя подписанная контрольная точка журнала аудита: событий — {size}, корень "
        f"{root}…, {at} UTC. Доказательства включения событий дела в этот корень проверены: "
        f"{len(proven)}; событий, которые войдут в следующую контрольную точку: {len(later)}.",
    )


def _files(documents: Sequence[DocumentEntry]) -> list[dict[str, Any]]:
    files = []
    for document in documents:
        name = DOCUMENT_KINDS.get(document.kind, Localized(document.kind, document.kind))
        rows = [
            _row("file", document.file.base_name if document.file else "—"),
            _row("number", f"{document.number} · {format_date(document.issue_date)}"),
            _row("template", document.template_version),
            _row("sha256", document.sha256),
            _row("size", f"{document.size}"),
        ]
        for delivery in document.deliveries:
            on = format_date(delivery.delivered_at) if delivery.delivered_at else "—"
            channel, status = channel_name(delivery.channel), status_name(delivery.status)
            tracking = f" · {delivery.tracking_number}" if delivery.tracking_number else ""
            rows.append(
                _row(
                    "delivery",
                    f"{channel.kk} / {channel.ru} · {status.kk} / {status.ru} · {on}{tracking}",
                )
            )
        files.append({"title": f"{document.number} · {name.kk} / {name.ru}", "rows": rows})
        for proof in _proofs(document):
            files.append(
                {
                    "title": f"{document.number} · {LABELS['proof'].kk} / {LABELS['proof'].ru}: "
                    f"{proof.filename}",
                    "rows": [
                        _row("file", proof.file.base_name if proof.file else "—"),
                        _row("content_type", proof.content_type),
                        _row("sha256", proof.sha256),
                        _row("size", f"{proof.size}"),
                    ],
                }
            )
    return files


def _row(label: str, value: str) -> dict[str, Any]:
    return {"label": LABELS[label].as_dict(), "value": value}
