"""Recording how an issued document reached the debtor, and reading it back."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.archive import Archive
from service.audit import service as audit
from service.audit.events import DeliveryRecorded
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.deliveries import repository
from service.deliveries.models import DeliveryProofRow, DeliveryRow
from service.deliveries.schemas import DeliveryIn, DeliveryOut, ProofOut
from service.documents import repository as documents
from service.errors import FieldError, ValidationFailed
from service.kit.blobs import keep_with
from service.kit.logs import log_event

MAX_PROOF_BYTES = 20 * 1024 * 1024
log = logging.getLogger("talap.deliveries")


@dataclass(frozen=True)
class ProofFile:
    filename: str
    content_type: str
    data: bytes


def record_delivery(
    session: Session,
    clock: Clock,
    archive: Archive,
    caller: Principal,
    document_id: str,
    delivery: DeliveryIn,
    proofs: list[ProofFile],
) -> DeliveryOut:
    caller.require(Permission.ISSUE)
    errors = [
        FieldError(f"proof.{i}", "too_large", f"{p.filename} is over 20 MiB")
        for i, p in enumerate(proofs)
        if len(p.data) > MAX_PROOF_BYTES
    ]
    today = clock.today()
    document = documents.visible(session, caller, document_id)
    if delivery.delivered_at is not None:
        if delivery.delivered_at < document.issue_date:
            errors.append(
                FieldError(
                    "delivered_at",
                    "before_issue_date",
                    f"{delivery.delivered_at.isoformat()} is before the document was issued "
                    f"({document.issue_date.isoformat()})",
                )
            )
        if delivery.delivered_at > today:
            errors.append(
                FieldError("delivered_at", "in_future", "a delivery cannot be dated ahead")
            )
    if errors:
        raise ValidationFailed(errors)
    stored = [keep_with(session, archive, p.data) for p in proofs]
    row = DeliveryRow(
        id=str(uuid.uuid4()),
        document_id=document.id,
        creditor_id=document.creditor_id,
        channel=delivery.channel,
        status=delivery.status,
        delivered_at=delivery.delivered_at,
        tracking_number=delivery.tracking_number,
        note=delivery.note,
        details={},
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    session.add_all(
        DeliveryProofRow(
            delivery_id=row.id,
            filename=p.filename,
            content_type=p.content_type,
            sha256=s.sha256,
            size=s.size,
        )
        for p, s in zip(proofs, stored, strict=True)
    )
    event = DeliveryRecorded(
        document_id=document.id,
        delivery_id=row.id,
        channel=row.channel,
        status=row.status,
        delivered_at=delivery.delivered_at,
        proofs=tuple(s.sha256 for s in stored),
    )
    audit.record(
        session, event, creditor_id=document.creditor_id, actor=caller.actor, at=row.recorded_at
    )
    log_event(
        log,
        "delivery.recorded",
        document_id=document.id,
        delivery_id=row.id,
        channel=row.channel,
        status=row.status,
        proofs=len(stored),
    )
    shown = [
        ProofOut(filename=p.filename, sha256=s.sha256, size=s.size)
        for p, s in zip(proofs, stored, strict=True)
    ]
    return _out(row, shown)


def list_deliveries(session: Session, caller: Principal, document_id: str) -> list[DeliveryOut]:
    caller.require(Permission.READ)
    document = documents.visible(session, caller, document_id)
    rows = repository.of_documents(session, [document.id])
    proofs = repository.proofs_of(session, [row.id for row in rows])
    return [_out(row, [_proof(p) for p in proofs[row.id]]) for row in rows]


def _proof(row: DeliveryProofRow) -> ProofOut:
    return ProofOut(filename=row.filename, sha256=row.sha256, size=row.size)


def _out(row: DeliveryRow, proofs: list[ProofOut]) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        document_id=row.document_id,
        channel=row.channel,
        status=row.status,
        delivered_at=row.delivered_at,
        tracking_number=row.tracking_number,
        note=row.note,
        recorded_at=row.recorded_at,
        proofs=proofs,
    )
