"""Recording how an issued document reached (or did not reach) the debtor.

The signed PDF is never touched: proof files are archived beside it under their own SHA-256
(research perf.md S2 — any change to a signed PDF shows as "modified after signing").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service.application.auth import Permission, Principal
from service.application.documents import visible_document
from service.bootstrap import Container
from service.contract import DeliveryIn, parse
from service.db import repositories as repo
from service.db.models import DeliveryProofRow, DeliveryRow
from service.errors import FieldError, ValidationFailed

MAX_PROOF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ProofFile:
    filename: str
    content_type: str
    data: bytes


def record_delivery(
    c: Container,
    principal: Principal,
    document_id: str,
    payload: Any,
    proofs: list[ProofFile] | None = None,
) -> dict[str, Any]:
    principal.require(Permission.ISSUE)
    delivery = parse(DeliveryIn, payload)
    proofs = proofs or []
    errors = [
        FieldError(f"proof.{i}", "too_large", f"{p.filename} is over 20 MiB")
        for i, p in enumerate(proofs)
        if len(p.data) > MAX_PROOF_BYTES
    ]
    today = c.clock.today()
    with c.db.transaction() as session:
        document = visible_document(session, principal, document_id)
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
        stored = [c.archive.put(p.data) for p in proofs]
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
            recorded_at=c.clock.now(),
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
        repo.append_event(
            session,
            creditor_id=document.creditor_id,
            actor=f"api_key:{principal.key_id}",
            action="DeliveryRecorded",
            subject=f"document:{document.id}",
            payload={
                "delivery": row.id,
                "channel": row.channel,
                "status": row.status,
                "delivered_at": delivery.delivered_at.isoformat()
                if delivery.delivered_at
                else None,
                "proofs": [s.sha256 for s in stored],
            },
            occurred_at=row.recorded_at,
        )
        return delivery_json(
            row, [(p.filename, s.sha256, s.size) for p, s in zip(proofs, stored, strict=True)]
        )


def list_deliveries(c: Container, principal: Principal, document_id: str) -> list[dict[str, Any]]:
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        document = visible_document(session, principal, document_id)
        rows = session.scalars(
            select(DeliveryRow)
            .where(DeliveryRow.document_id == document.id)
            .order_by(DeliveryRow.recorded_at)
        ).all()
        result = []
        for row in rows:
            proofs = session.scalars(
                select(DeliveryProofRow).where(DeliveryProofRow.delivery_id == row.id)
            ).all()
            result.append(delivery_json(row, [(p.filename, p.sha256, p.size) for p in proofs]))
        return result


def delivery_json(row: DeliveryRow, proofs: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "document_id": row.document_id,
        "channel": row.channel,
        "status": row.status,
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
        "tracking_number": row.tracking_number,
        "note": row.note,
        "recorded_at": row.recorded_at.isoformat(),
        "proofs": [{"filename": f, "sha256": h, "size": s} for f, h, s in proofs],
    }
