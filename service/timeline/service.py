"""A case's timeline: every charge, payment, document, delivery (with its proofs), agreement
step, acknowledgment, hardship flag, case-log entry and rule decision, in order, filtered by
day and kind; and the audit events about the case in the same window.

Each source reads only the case's own rows (one query per table), and the audit events by
subject through their index: a call never re-reads the creditor's whole chain.

Case-log entries (``service.caselog``: calls, visits, promises with their kept/broken state,
hardship notes, debtor requests and answers) are entries of kind ``log``, with their dates,
amounts and content hash — their free texts stay in the case log, as in its audit events.
Another domain can add entries through ``SOURCES`` (``register``) without this module knowing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.agreements import repository as agreements_repository
from service.agreements import service as agreements
from service.agreements.restructuring import assess
from service.audit.models import AuditEventRow
from service.caselog import repository as caselog
from service.caselog.promises import promise_status
from service.caselog.service import content_hash, promises
from service.cases import repository as cases
from service.cases.debt import statutory_due_date
from service.cases.models import CaseRow
from service.creditors.auth import Permission, Principal
from service.decisions import repository as decisions
from service.deliveries import repository as deliveries
from service.documents import repository as documents_repository
from service.documents.models import IssuedDocumentRow
from service.kernel.calendar import WorkCalendar
from service.kernel.money import from_tiyn_count, money_str
from service.kernel.period import Period
from service.timeline import repository
from service.timeline.entry import Entry, EntryKind, Window, day_of, ordered

Source = Callable[[Session, CaseRow, Window], list[Entry]]
"""Reads one kind of entry for a case (it may use the window to narrow its query)."""

SOURCES: dict[EntryKind, list[Source]] = {}
"""Entry sources other domains register (``register``)."""


def register(kind: EntryKind, source: Source) -> None:
    """Add ``source`` for ``kind``: its entries join the timeline like the built-in ones."""
    SOURCES.setdefault(kind, []).append(source)


@dataclass(frozen=True)
class Timeline:
    case: CaseRow
    entries: list[Entry]
    documents: list[IssuedDocumentRow]
    """The case's documents in the window (every one when ``document`` is not filtered out)."""
    events: list[AuditEventRow]


def case_timeline(
    session: Session,
    caller: Principal,
    calendar: WorkCalendar,
    today: dt.date,
    external_id: str,
    window: Window,
) -> Timeline:
    caller.require(Permission.READ)
    case = cases.get_row(session, caller.creditor(), external_id)
    documents = documents_repository.of_case(session, case.id)
    numbers = {d.id: d.number for d in documents}
    entries: list[Entry] = []
    if window.wants(EntryKind.CHARGE):
        entries += _charges(session, case)
    if window.wants(EntryKind.PAYMENT):
        entries += _payments(session, case)
    if window.wants(EntryKind.DOCUMENT):
        entries += [_document(d) for d in documents]
    if window.wants(EntryKind.DELIVERY):
        entries += _deliveries(session, numbers)
    if window.wants(EntryKind.AGREEMENT):
        entries += _agreements(session, case, numbers, calendar, today)
    if window.wants(EntryKind.ACKNOWLEDGMENT):
        entries += _acknowledgments(session, case)
    if window.wants(EntryKind.HARDSHIP):
        entries += _hardships(session, case)
    if window.wants(EntryKind.LOG):
        entries += _log(session, case, today)
    if window.wants(EntryKind.DECISION):
        entries += _decisions(session, case, window)
    for kind, sources in SOURCES.items():
        if window.wants(kind):
            for source in sources:
                entries += source(session, case, window)
    shown = [
        d for d in documents if window.wants(EntryKind.DOCUMENT) and window.covers(d.issue_date)
    ]
    events: list[AuditEventRow] = []
    if window.wants(EntryKind.AUDIT):
        subjects = {f"case:{case.external_id}", *(f"document:{d.id}" for d in documents)}
        since, until = window.moments()
        events = repository.audit_events(session, case.creditor_id, subjects, since, until)
    return Timeline(case, ordered(entries, window), shown, events)


def _money(tiyn: int) -> str:
    return money_str(from_tiyn_count(tiyn))


def _charges(session: Session, case: CaseRow) -> list[Entry]:
    return [
        Entry(
            EntryKind.CHARGE,
            row.due_date or statutory_due_date(Period.parse(row.period)),
            "charged",
            f"charge:{row.id}",
            {
                "period": row.period,
                "contribution": row.contribution,
                "amount": _money(row.amount_tiyn),
                "due_date": (
                    row.due_date or statutory_due_date(Period.parse(row.period))
                ).isoformat(),
            },
            sequence=row.id,
        )
        for row in repository.charges(session, case.id)
    ]


def _payments(session: Session, case: CaseRow) -> list[Entry]:
    return [
        Entry(
            EntryKind.PAYMENT,
            row.date,
            "paid",
            f"payment:{row.id}",
            {"amount": _money(row.amount_tiyn), "reference": row.reference},
            sequence=row.id,
        )
        for row in repository.payments(session, case.id)
    ]


def _document(row: IssuedDocumentRow) -> Entry:
    # The provisions the PDF cites, as issued: the snapshot is what it was rendered from.
    cited = [p["id"] for p in row.snapshot.get("provisions", []) if "id" in p]
    return Entry(
        EntryKind.DOCUMENT,
        row.issue_date,
        "issued",
        row.id,
        {
            "document_id": row.id,
            "number": row.number,
            "kind": row.kind,
            "language": row.language,
            "route": row.route,
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "template_version": row.template_version,
            "provisions": cited,
            "sha256": row.sha256,
            "size": row.size,
        },
        at=row.created_at,
    )


def _deliveries(session: Session, numbers: dict[str, str]) -> list[Entry]:
    """Each attempt (its start, with the legal outcome its events give) and each of its
    events (status, source, the archived raw receipt's hash, the proofs that came with it)."""
    rows = deliveries.of_documents(session, list(numbers))
    ids = [row.id for row in rows]
    events, proofs = deliveries.events_of(session, ids), deliveries.proofs_of(session, ids)
    entries = []
    for row in rows:
        attempt: dict[str, Any] = {
            "delivery_id": row.id,
            "document_id": row.document_id,
            "number": numbers[row.document_id],
            "channel": row.channel,
            "tracking_number": row.tracking_number,
            "state": row.state,
            "outcome": row.outcome,
            "legal_date": row.legal_date.isoformat() if row.legal_date else None,
        }
        files: dict[int | None, list[dict[str, Any]]] = {}
        for proof in proofs[row.id]:
            files.setdefault(proof.event_id, []).append(
                {
                    "filename": proof.filename,
                    "content_type": proof.content_type,
                    "sha256": proof.sha256,
                    "size": proof.size,
                }
            )
        entries.append(
            Entry(
                EntryKind.DELIVERY,
                day_of(row.recorded_at),
                "attempt",
                row.id,
                {
                    **attempt,
                    "recorded_at": row.recorded_at.isoformat(),
                    "proofs": files.get(None, []),
                },
                at=row.recorded_at,
            )
        )
        entries += [
            Entry(
                EntryKind.DELIVERY,
                day_of(event.occurred_at),
                event.status,
                f"delivery-event:{event.id}",
                {
                    **attempt,
                    "event_id": event.id,
                    "source": event.source,
                    "occurred_at": event.occurred_at.isoformat(),
                    "recorded_at": event.recorded_at.isoformat(),
                    "receipt_sha256": event.receipt_sha256,
                    "proofs": files.get(event.id, []),
                },
                at=event.occurred_at,
                sequence=event.id,
            )
            for event in events[row.id]
        ]
    return entries


def _agreements(
    session: Session,
    case: CaseRow,
    numbers: dict[str, str],
    calendar: WorkCalendar,
    today: dt.date,
) -> list[Entry]:
    entries = []
    for row, agreement in agreements.case_agreements(session, case.id):
        status = assess(agreement, today, calendar)
        base: dict[str, Any] = {
            "agreement_id": row.id,
            "document_id": row.document_id,
            "number": numbers.get(row.document_id, ""),
            "state": status.state.value,
            "recorded_state": row.state,
        }
        steps: list[tuple[dt.date | None, str, dt.datetime | None]] = [
            (row.issued_on, "offered", row.created_at),
            (row.signed_on, "signed", row.signed_recorded_at),
            (status.defaulted_on, "defaulted", None),
        ]
        entries += [
            Entry(EntryKind.AGREEMENT, day, event, row.id, base, at=at)
            for day, event, at in steps
            if day is not None
        ]
    return entries


def _acknowledgments(session: Session, case: CaseRow) -> list[Entry]:
    return [
        Entry(
            EntryKind.ACKNOWLEDGMENT,
            row.date,
            "acknowledged",
            row.id,
            {"source": row.source, "notarised": row.notarised, "document_id": row.document_id},
            at=row.recorded_at,
        )
        for row in agreements_repository.acknowledgments_of_case(session, case.id)
    ]


def _hardships(session: Session, case: CaseRow) -> list[Entry]:
    return [
        Entry(
            EntryKind.HARDSHIP,
            row.date,
            "hardship_recorded" if row.active else "hardship_ended",
            f"hardship:{row.id}",
            {"active": row.active, "note": row.note},
            at=row.recorded_at,
            sequence=row.id,
        )
        for row in repository.hardships(session, case.id)
    ]


def _log(session: Session, case: CaseRow, today: dt.date) -> list[Entry]:
    rows = caselog.of_case(session, case.id)
    payments = cases.payments_of(session, case.id) if any(r.kind == "promise" for r in rows) else ()
    entries = []
    for row in rows:
        # The texts (note, request, answer, author) stay in the case log (``GET …/log``): the
        # timeline, like the audit event, carries their SHA-256 and the dates and amounts.
        details: dict[str, Any] = {
            "entry_id": row.id,
            "kind": row.kind,
            "promised_date": row.promised_date.isoformat() if row.promised_date else None,
            "amount": _money(row.amount_tiyn) if row.amount_tiyn is not None else None,
            "until": row.until.isoformat() if row.until else None,
            "answered_on": row.answered_on.isoformat() if row.answered_on else None,
            "content_sha256": content_hash(row),
        }
        found = promises([row])
        if found:
            details["promise"] = promise_status(found[0], payments, today).state.value
        entries.append(
            Entry(
                EntryKind.LOG,
                row.recorded_on,
                row.kind,
                f"log:{row.id}",
                details,
                at=row.recorded_at,
                sequence=row.id,
            )
        )
    return entries


def _decisions(session: Session, case: CaseRow, window: Window) -> list[Entry]:
    since, until = window.moments()
    return [
        Entry(
            EntryKind.DECISION,
            day_of(row.requested_at),
            row.outcome,
            f"decision:{row.id}",
            {
                "decision_id": row.id,
                "kind": row.kind,
                "language": row.language,
                "route": row.route,
                "outcome": row.outcome,
                "failed": [r for r in row.rules if r.get("outcome") == "fail"],
                "rules": row.rules,
                "passes_on": row.passes_on.isoformat() if row.passes_on else None,
                "document_id": row.document_id,
            },
            at=row.requested_at,
            sequence=row.id,
        )
        for row in decisions.of_case(session, case.id, since, until)
    ]
