"""``manifest.json``: the pack as data, for a machine — ids, numbers, template versions,
provisions, delivery outcomes, validation results, the case's audit events (with their
inclusion proofs once the audit log has checkpoints). No debtor name, ИИН or address."""

from __future__ import annotations

import json
from typing import Any

from service.evidence.pack import DeliveryEntry, DocumentEntry, EvidencePack, FileCheck
from service.kernel.money import money_str

FORMAT = "talap-evidence-pack/1"


def manifest(pack: EvidencePack) -> dict[str, Any]:
    debt = pack.debt
    return {
        "format": FORMAT,
        "case": pack.case,
        "route": pack.route.value,
        "as_of": pack.as_of.isoformat(),
        "created_at": pack.created_at.isoformat(),
        "creditor": {"bin": pack.creditor.identifier},
        "debt": {
            "charged": money_str(debt.charged),
            "paid": money_str(debt.paid),
            "outstanding": money_str(debt.outstanding),
            "overdue": money_str(debt.overdue),
            "past_gate": money_str(debt.past_gate),
            "penalty": money_str(debt.penalty),
            "claim": {
                "principal": money_str(debt.claim_principal),
                "penalty": money_str(debt.claim_penalty),
                "total": money_str(debt.claim_total),
            },
        },
        "basis": [p.id for p in pack.basis],
        "readiness": [
            {
                "code": c.code,
                "status": c.status.value,
                "provisions": list(c.provisions),
                "message": c.message.as_dict(),
            }
            for c in pack.readiness
        ],
        "documents": [_document(d) for d in pack.documents],
        "valid": pack.valid,
        "audit": {
            "chain_ok": not pack.chain_problems,
            "problems": list(pack.chain_problems),
            "checkpoint": pack.checkpoint,
            "events": [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "action": e.action,
                    "subject": e.subject,
                    "hash": e.hash,
                    "inclusion": e.inclusion,
                }
                for e in pack.audit
            ],
        },
    }


def manifest_bytes(pack: EvidencePack) -> bytes:
    return json.dumps(manifest(pack), ensure_ascii=False, indent=2, sort_keys=False).encode()


def _check(check: FileCheck) -> dict[str, Any]:
    return {
        "hash_ok": check.hash_ok,
        "actual_sha256": check.actual_sha256,
        "signature_checked": check.signature_checked,
        "signature_ok": check.signature_ok if check.signature_checked else None,
        "signer_subject": check.signer_subject,
        "signing_time": check.signing_time.isoformat() if check.signing_time else None,
        "development_key": check.development_key,
        "problems": list(check.problems),
        "ok": check.ok,
    }


def _document(document: DocumentEntry) -> dict[str, Any]:
    return {
        "id": document.id,
        "number": document.number,
        "kind": document.kind,
        "language": document.language,
        "issue_date": document.issue_date.isoformat(),
        "deadline": document.deadline.isoformat() if document.deadline else None,
        "route": document.route,
        "template_version": document.template_version,
        "sha256": document.sha256,
        "size": document.size,
        "provisions": list(document.provisions),
        "file": document.file.name if document.file else None,
        "validation": _check(document.check),
        "deliveries": [_delivery(v) for v in document.deliveries],
    }


def _delivery(delivery: DeliveryEntry) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "channel": delivery.channel,
        "outcome": delivery.status,
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        "tracking_number": delivery.tracking_number,
        "recorded_at": delivery.recorded_at.isoformat(),
        "events": [{"at": at.isoformat(), "status": status} for at, status in delivery.events],
        "proofs": [
            {
                "file": p.file.name if p.file else None,
                "content_type": p.content_type,
                "sha256": p.sha256,
                "size": p.size,
                "validation": _check(p.check),
            }
            for p in delivery.proofs
        ],
    }
