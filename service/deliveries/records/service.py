"""The API's use cases on delivery attempts: a client-reported attempt or event (with proof
files and a raw receipt), a send through the channel's sender, and attempts read back with their
events, proofs and legal outcome under the creditor's policy. Built on the contract in
``service.deliveries.service`` (``start_attempt``, ``append_event``)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from service.creditors.auth import Permission, Principal
from service.deliveries import repository
from service.deliveries.attempts import EventResult, check_day, reported_moment
from service.deliveries.models import DeliveryRow
from service.deliveries.outcome import KZ_TIME, channel_of, fold, outcome_of
from service.deliveries.proofs import ProofFile, check_proofs
from service.deliveries.schemas import (
    REPORTED,
    AppendedOut,
    DeliveryIn,
    DeliveryOut,
    EventIn,
    delivery_out,
)
from service.deliveries.senders import SENDERS
from service.deliveries.service import (
    append_event,
    event_of,
    keep_proofs,
    start_attempt,
    visible_attempt,
)
from service.documents import repository as documents
from service.errors import FieldError, ValidationFailed
from service.kit.logs import log_event
from service.rules import service as rules

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.deliveries")


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
        folded = fold(event_of(e) for e in events[row.id])
        facts = outcome_of(row.channel, folded.state, folded.state_at, policy)
        views.append(delivery_out(row, events[row.id], proofs[row.id], facts, folded.applied))
    return views
