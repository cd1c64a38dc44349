"""Delivery attempts and their events: the contract other domains call, and the API's use cases.

``start_attempt`` opens an attempt (state ``queued``, outcome ``unknown``); ``append_event``
records one provider event, keeps its raw receipt write-once in the archive under its SHA-256,
folds the attempt's events again (``outcome.fold``: a terminal state is never overwritten) and
says whether the legal outcome changed. Senders (e-mail, SMS) and callbacks call these two;
the HTTP use cases below build on them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from service.archive import Archive
from service.audit import service as audit
from service.audit.events import (
    DeliveryAttemptStarted,
    DeliveryEventAppended,
    DeliveryOutcomeChanged,
)
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.deliveries import repository
from service.deliveries.attempts import EventResult, System, check_day, reported_moment
from service.deliveries.models import DeliveryEventRow, DeliveryProofRow, DeliveryRow
from service.deliveries.outcome import (
    KZ_TIME,
    DeliveryPolicy,
    Event,
    EventStatus,
    LegalState,
    channel_of,
    fold,
    outcome_of,
)
from service.deliveries.proofs import ProofFile, check_proofs, safe_name, sniff
from service.deliveries.schemas import (
    REPORTED,
    AppendedOut,
    DeliveryIn,
    DeliveryOut,
    EventIn,
    delivery_out,
)
from service.deliveries.senders import SENDERS
from service.documents import repository as documents
from service.documents.models import IssuedDocumentRow
from service.errors import FieldError, NotFound, ValidationFailed
from service.kit.blobs import keep_with
from service.kit.logs import log_event
from service.rules import service as rules
from service.webhooks import service as webhooks

if TYPE_CHECKING:
    from service.bootstrap import Wiring

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
    folded = fold(_event(e) for e in events)
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


def _event(row: DeliveryEventRow) -> Event:
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


# --- the HTTP use cases ----------------------------------------------------------------------


def record_delivery(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    document_id: str,
    delivery: DeliveryIn,
    proofs: list[ProofFile],
) -> DeliveryOut:
    """``POST /v1/documents/{id}/deliveries``: with ``status``, a client-reported attempt with
    one event (and its proof files); without, the attempt is sent by the channel's sender."""
    caller.require(Permission.ISSUE)
    check_proofs(proofs)
    clock = wiring.clock
    document = documents.visible(session, caller, document_id)
    channel = channel_of(delivery.channel).value
    sender = SENDERS.get(channel) if delivery.status is None else None
    if delivery.status is None:
        _can_send(channel, sender is not None, bool(proofs))
    check_day(document.issue_date, delivery.delivered_at, clock.today(), "delivered_at")
    attempt = start_attempt(
        session,
        clock,
        caller,
        document_id=document.id,
        channel=channel,
        recipient=delivery.recipient,
        tracking_number=delivery.tracking_number,
        note=delivery.note,
    )
    if sender is not None:
        sender(session, clock, wiring, attempt)
    elif delivery.status is not None:
        moment = reported_moment(delivery.delivered_at, clock.now())
        date_only = delivery.delivered_at is not None
        _reported(session, wiring, caller, attempt, delivery.status, moment, {}, proofs, date_only)
    return _view(session, wiring, attempt)


def _can_send(channel: str, has_sender: bool, has_proofs: bool) -> None:
    errors = []
    if not has_sender:
        errors.append(
            FieldError(
                "channel",
                "no_sender",
                f"Talap has no sender for {channel}: give status and delivered_at to record an "
                f"outcome, or configure a {channel} sender",
            )
        )
    if has_proofs:
        errors.append(
            FieldError("proof", "outcome_required", "proof files go with an outcome (status)")
        )
    if errors:
        raise ValidationFailed(errors)


def record_event(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    delivery_id: str,
    event: EventIn,
    proofs: list[ProofFile],
    receipt: ProofFile | None,
) -> AppendedOut:
    """``POST /v1/deliveries/{id}/events``: one event, with proof files and a raw receipt."""
    caller.require(Permission.ISSUE)
    check_proofs(proofs)
    if receipt is not None:
        check_proofs([receipt], field="receipt")
    attempt = visible_attempt(session, caller, delivery_id)
    document = documents.visible(session, caller, attempt.document_id)
    clock = wiring.clock
    day = event.occurred_on or (
        event.occurred_at.astimezone(KZ_TIME).date() if event.occurred_at else None
    )
    check_day(document.issue_date, day, clock.today(), "occurred_at")
    moment = event.occurred_at or reported_moment(event.occurred_on, clock.now())
    details = dict(event.details or {})
    if event.note:
        details["note"] = event.note
    result = _reported(
        session,
        wiring,
        caller,
        attempt,
        event.status,
        moment,
        details,
        proofs,
        event.occurred_on is not None,
        receipt.data if receipt is not None else None,
    )
    view = _view(session, wiring, attempt)
    shown = next(e for e in view.events if e.id == result.event_id)
    return AppendedOut(
        event=shown, outcome_changed=result.changed, duplicate=result.duplicate, delivery=view
    )


def list_deliveries(
    session: Session, wiring: Wiring, caller: Principal, document_id: str
) -> list[DeliveryOut]:
    caller.require(Permission.READ)
    document = documents.visible(session, caller, document_id)
    rows = repository.of_documents(session, [document.id])
    return _views(session, wiring, document.creditor_id, rows)


def get_delivery(
    session: Session, wiring: Wiring, caller: Principal, delivery_id: str
) -> DeliveryOut:
    caller.require(Permission.READ)
    return _view(session, wiring, visible_attempt(session, caller, delivery_id))


def _reported(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    attempt: DeliveryRow,
    status: str,
    moment: dt.datetime,
    details: dict[str, Any],
    proofs: list[ProofFile],
    date_only: bool,
    raw: bytes | None = None,
) -> EventResult:
    kept = keep_proofs(session, wiring.archive, attempt, None, proofs)
    result = append_event(
        session,
        wiring.clock,
        wiring.archive,
        delivery_id=attempt.id,
        status=REPORTED.get(status, status),
        occurred_at=moment,
        source="client",
        raw=raw,
        details={**details, "reported_status": status, "date_only": date_only},
        actor=caller.actor,
        proofs=tuple(p.sha256 for p in kept),
    )
    for proof in kept:
        proof.event_id = result.event_id
    session.flush()
    log_event(
        log,
        "delivery.recorded",
        document_id=attempt.document_id,
        delivery_id=attempt.id,
        channel=attempt.channel,
        status=status,
        proofs=len(kept),
    )
    return result


def _view(session: Session, wiring: Wiring, attempt: DeliveryRow) -> DeliveryOut:
    (view,) = _views(session, wiring, attempt.creditor_id, [attempt])
    return view


def _views(
    session: Session, wiring: Wiring, creditor_id: str, rows: list[DeliveryRow]
) -> list[DeliveryOut]:
    ids = [row.id for row in rows]
    events = repository.events_of(session, ids)
    proofs = repository.proofs_of(session, ids)
    policy = rules.delivery_policy(session, wiring.law.rulebook, creditor_id, wiring.clock.today())
    views = []
    for row in rows:
        folded = fold(_event(e) for e in events[row.id])
        facts = outcome_of(row.channel, folded.state, folded.state_at, policy)
        views.append(delivery_out(row, events[row.id], proofs[row.id], facts, folded.applied))
    return views
