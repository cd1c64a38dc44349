"""Delivery attempts and their events: the contract other domains call.

``start_attempt`` opens an attempt (state ``queued``, outcome ``unknown``); ``append_event``
records one provider event, keeps its raw receipt write-once in the archive under its SHA-256,
folds the attempt's events again (``outcome.fold``: a terminal state is never overwritten) and
says whether the legal outcome changed. Senders (e-mail, SMS) and callbacks call these two;
the API's use cases (``service.deliveries.records.service``) build on them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from typing import Any

from sqlalchemy.orm import Session

from service.archive import Archive
from service.audit import service as audit
from service.audit.delivery_events import (
    DeliveryAttemptStarted,
    DeliveryEventAppended,
    DeliveryOutcomeChanged,
)
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.deliveries import repository
from service.deliveries.attempts import EventResult, System, moment_out_of_range
from service.deliveries.models import DeliveryEventRow, DeliveryProofRow, DeliveryRow
from service.deliveries.outcome import (
    DeliveryPolicy,
    Event,
    EventStatus,
    LegalState,
    channel_of,
    fold,
    outcome_of,
)
from service.deliveries.proofs import ProofFile, safe_name, sniff
from service.documents import repository as documents
from service.documents.models import IssuedDocumentRow
from service.errors import FieldError, NotFound, ValidationFailed
from service.kit.blobs import keep_with
from service.kit.logs import log_event
from service.webhooks import service as webhooks

__all__ = ["EventResult", "System", "append_event", "start_attempt"]

log = logging.getLogger("talap.deliveries")


def start_attempt(
    session: Session,
    clock: Clock,
    caller_or_system: Principal | System,
    *,
    document_id: str,
    channel: str,
    recipient: str | None,
    tracking_number: str | None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> DeliveryRow:
    """A new attempt for the document, state ``queued``; ``hand`` is ``hand_delivery``."""
    document = _document(session, caller_or_system, document_id)
    try:
        named = channel_of(channel)
    except ValueError:
        raise ValidationFailed(
            [FieldError("channel", "unknown_channel", f"no delivery channel {channel!r}")]
        ) from None
    now = clock.now()
    row = DeliveryRow(
        id=str(uuid.uuid4()),
        document_id=document.id,
        creditor_id=document.creditor_id,
        channel=named.value,
        recipient=recipient,
        tracking_number=tracking_number,
        state=EventStatus.QUEUED.value,
        state_at=None,
        outcome=LegalState.UNKNOWN.value,
        legal_date=None,
        note=note,
        details=dict(details or {}),
        actor=caller_or_system.actor,
        recorded_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    event = DeliveryAttemptStarted(document.id, row.id, row.channel, row.tracking_number)
    audit.record(
        session, event, creditor_id=document.creditor_id, actor=caller_or_system.actor, at=now
    )
    log_event(
        log, "delivery.started", document_id=document.id, delivery_id=row.id, channel=row.channel
    )
    return row


def append_event(
    session: Session,
    clock: Clock,
    archive: Archive,
    *,
    delivery_id: str,
    status: str,
    occurred_at: dt.datetime,
    source: str,
    raw: bytes | None = None,
    details: dict[str, Any] | None = None,
    actor: str | None = None,
    proofs: tuple[str, ...] = (),
) -> EventResult:
    """Record one event for the attempt and fold its events again (module docstring).

    ``raw``: the provider's receipt as received, archived write-once; its SHA-256 is on the
    event. ``proofs``: SHA-256 of proof files recorded with it (for the audit event). The very
    same event recorded twice (a provider repeating a callback) is recorded once.
    """
    try:
        named = EventStatus(status)
    except ValueError:
        raise ValidationFailed(
            [FieldError("status", "unknown_status", f"no delivery event status {status!r}")]
        ) from None
    if occurred_at.tzinfo is None:
        raise ValidationFailed(
            [FieldError("occurred_at", "timezone_required", "occurred_at needs its offset")]
        )
    if moment_out_of_range(occurred_at):
        raise ValidationFailed(
            [FieldError("occurred_at", "out_of_range", f"{occurred_at.isoformat()} is no moment")]
        )
    attempt = repository.for_update(session, delivery_id)
    if attempt is None:
        raise NotFound(f"delivery {delivery_id} not found")
    sha256 = hashlib.sha256(raw).hexdigest() if raw is not None else None
    previous = (attempt.outcome, attempt.legal_date)
    same = repository.same_event(session, attempt.id, named.value, occurred_at, source, sha256)
    if same is not None:
        return _result(attempt, same, previous, applied=False, duplicate=True)
    stored = keep_with(session, archive, raw) if raw is not None else None
    now = clock.now()
    row = DeliveryEventRow(
        delivery_id=attempt.id,
        status=named.value,
        occurred_at=occurred_at,
        recorded_at=now,
        source=source,
        details=dict(details or {}),
        receipt_sha256=sha256,
        receipt_size=stored.size if stored is not None else None,
    )
    session.add(row)
    session.flush()
    events = repository.events_of(session, [attempt.id])[attempt.id]
    folded = fold(event_of(e) for e in events)
    facts = outcome_of(attempt.channel, folded.state, folded.state_at, DeliveryPolicy())
    attempt.state = (folded.state or EventStatus.QUEUED).value
    attempt.state_at = folded.state_at
    attempt.outcome = facts.state.value
    attempt.legal_date = facts.legal_date
    attempt.updated_at = now
    applied = row.id in folded.applied
    who = actor or f"system:{source}"
    audit.record(
        session,
        DeliveryEventAppended(
            attempt.document_id,
            attempt.id,
            row.id,
            row.status,
            occurred_at,
            source,
            sha256,
            proofs,
            applied,
        ),
        creditor_id=attempt.creditor_id,
        actor=who,
        at=now,
    )
    result = _result(attempt, row, previous, applied=applied, duplicate=False)
    if result.changed:
        audit.record(
            session,
            DeliveryOutcomeChanged(
                attempt.document_id,
                attempt.id,
                previous[0],
                attempt.outcome,
                attempt.legal_date,
            ),
            creditor_id=attempt.creditor_id,
            actor=who,
            at=now,
        )
        webhooks.announce_outcome(  # ``delivery.outcome_changed``, in this transaction
            session,
            clock,
            creditor_id=attempt.creditor_id,
            document_id=attempt.document_id,
            delivery_id=attempt.id,
            channel=attempt.channel,
            status=row.status,
            outcome=attempt.outcome,
            legal_date=attempt.legal_date,
            previous_outcome=previous[0],
            previous_legal_date=previous[1],
        )
    log_event(
        log,
        "delivery.event",
        delivery_id=attempt.id,
        status=row.status,
        source=source,
        applied=applied,
        outcome=attempt.outcome,
        changed=result.changed,
    )
    return result


def keep_proofs(
    session: Session,
    archive: Archive,
    attempt: DeliveryRow,
    event_id: int | None,
    proofs: list[ProofFile],
) -> list[DeliveryProofRow]:
    """Archive checked proof files (``proofs.check`` first) write-once beside the signed PDF."""
    rows = []
    for proof in proofs:
        stored = keep_with(session, archive, proof.data)
        rows.append(
            DeliveryProofRow(
                delivery_id=attempt.id,
                event_id=event_id,
                filename=safe_name(proof.filename),
                content_type=sniff(proof.data) or "application/octet-stream",
                sha256=stored.sha256,
                size=stored.size,
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def visible_attempt(session: Session, caller: Principal, delivery_id: str) -> DeliveryRow:
    """The attempt, if the caller may see it (another creditor's answers like a missing one)."""
    row = repository.find(session, delivery_id)
    if row is None or not caller.may_see(row.creditor_id):
        raise NotFound(f"delivery {delivery_id} not found")
    return row


def _document(
    session: Session, caller_or_system: Principal | System, document_id: str
) -> IssuedDocumentRow:
    if isinstance(caller_or_system, Principal):
        caller_or_system.require(Permission.ISSUE)
        return documents.visible(session, caller_or_system, document_id)
    row = documents.find(session, document_id)
    if row is None:
        raise NotFound(f"document {document_id} not found")
    return row


def event_of(row: DeliveryEventRow) -> Event:
    """An event row as the pure fold reads it."""
    return Event(EventStatus(row.status), row.occurred_at, row.id)


def _result(
    attempt: DeliveryRow,
    row: DeliveryEventRow,
    previous: tuple[str, dt.date | None],
    *,
    applied: bool,
    duplicate: bool,
) -> EventResult:
    return EventResult(
        delivery_id=attempt.id,
        event_id=row.id,
        applied=applied,
        outcome=attempt.outcome,
        legal_date=attempt.legal_date,
        previous_outcome=previous[0],
        previous_legal_date=previous[1],
        duplicate=duplicate,
    )
