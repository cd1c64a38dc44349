"""Logging calls, visits, promises, hardship notes and requests on a case, and reading the log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.record_events import CaseLogEntryAdded
from service.caselog import repository
from service.caselog.entries import FIELDS, EntryKind, entry_problems
from service.caselog.models import CaseLogEntryRow
from service.caselog.promises import (
    HardshipNote,
    Promise,
    open_hardship,
    promise_status,
)
from service.caselog.schemas import CaseLogOut, LogEntryIn, LogEntryOut, PromiseOut
from service.cases import repository as cases
from service.cases.debt import Payment
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.errors import ValidationFailed
from service.kernel.money import from_tiyn_count, money_str, tiyn_count
from service.kit.logs import log_event

log = logging.getLogger("talap.caselog")


def add_entry(
    session: Session, clock: Clock, caller: Principal, external_id: str, entry: LogEntryIn
) -> LogEntryOut:
    caller.require(Permission.WRITE_CASES)
    today = clock.today()
    kind = EntryKind(entry.kind)
    problems = entry_problems(kind, {name: getattr(entry, name) for name in FIELDS}, today)
    if problems:
        raise ValidationFailed(problems)
    case = cases.get_row(session, caller.creditor(), external_id)
    now = clock.now()
    row = CaseLogEntryRow(
        creditor_id=case.creditor_id,
        case_id=case.id,
        kind=kind.value,
        recorded_at=now,
        recorded_on=today,
        actor=caller.actor,
        author=entry.author,
        note=entry.note,
        promised_date=entry.promised_date,
        amount_tiyn=tiyn_count(entry.amount) if entry.amount is not None else None,
        until=entry.until,
        request=entry.request,
        answer=entry.answer,
        answered_on=entry.answered_on,
    )
    repository.add(session, row)
    event = CaseLogEntryAdded(
        external_id=external_id,
        entry_id=row.id,
        kind=row.kind,
        content_sha256=content_hash(row),
        promised_date=row.promised_date,
        amount=money_str(entry.amount) if entry.amount is not None else None,
        until=row.until,
        answered_on=row.answered_on,
    )
    audit.record(session, event, creditor_id=case.creditor_id, actor=caller.actor, at=now)
    log_event(log, "caselog.entry_added", case=external_id, entry=row.id, kind=row.kind)
    payments = cases.payments_of(session, case.id) if kind is EntryKind.PROMISE else ()
    notes = hardship_notes(repository.of_case(session, case.id, (EntryKind.HARDSHIP.value,)))
    return _out(row, external_id, payments, notes, today)


def get_log(session: Session, clock: Clock, caller: Principal, external_id: str) -> CaseLogOut:
    caller.require(Permission.READ)
    today = clock.today()
    case = cases.get_row(session, caller.creditor(), external_id)
    rows = repository.of_case(session, case.id)
    payments = cases.payments_of(session, case.id)
    notes = hardship_notes(rows)
    return CaseLogOut(
        case=external_id,
        as_of=today,
        entries=[_out(row, external_id, payments, notes, today) for row in rows],
    )


def promises(rows: Sequence[CaseLogEntryRow]) -> tuple[Promise, ...]:
    """The promises among the log's rows, as the pure checks read them."""
    return tuple(
        Promise(str(r.id), r.recorded_on, r.promised_date, from_tiyn_count(r.amount_tiyn))
        for r in rows
        if r.kind == EntryKind.PROMISE and r.promised_date is not None and r.amount_tiyn is not None
    )


def hardship_notes(rows: Sequence[CaseLogEntryRow]) -> tuple[HardshipNote, ...]:
    return tuple(
        HardshipNote(str(r.id), r.recorded_on, r.until)
        for r in rows
        if r.kind == EntryKind.HARDSHIP
    )


def case_log_facts(
    session: Session, case_id: str
) -> tuple[tuple[Promise, ...], tuple[HardshipNote, ...]]:
    """What segmentation reads from the log: promises and hardship notes."""
    rows = repository.of_case(session, case_id, (EntryKind.PROMISE.value, EntryKind.HARDSHIP.value))
    return promises(rows), hardship_notes(rows)


def content_hash(row: CaseLogEntryRow) -> str:
    """SHA-256 of the entry as stored (canonical JSON): the audit event proves the texts
    without holding them."""
    content = {
        "kind": row.kind,
        "recorded_at": row.recorded_at.isoformat(),
        "author": row.author,
        "actor": row.actor,
        "note": row.note,
        "promised_date": _iso(row.promised_date),
        "amount_tiyn": row.amount_tiyn,
        "until": _iso(row.until),
        "request": row.request,
        "answer": row.answer,
        "answered_on": _iso(row.answered_on),
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _out(
    row: CaseLogEntryRow,
    external_id: str,
    payments: Sequence[Payment],
    notes: tuple[HardshipNote, ...],
    today: dt.date,
) -> LogEntryOut:
    promise = None
    if row.kind == EntryKind.PROMISE:
        (found,) = promises([row])
        status = promise_status(found, payments, today)
        promise = PromiseOut(
            state=status.state.value, paid=money_str(status.paid), kept_on=status.kept_on
        )
    hardship_open = None
    if row.kind == EntryKind.HARDSHIP:
        current = open_hardship(notes, today)
        hardship_open = current is not None and current.entry_id == str(row.id)
    return LogEntryOut(
        id=row.id,
        case=external_id,
        kind=row.kind,
        recorded_at=row.recorded_at,
        author=row.author or row.actor,
        actor=row.actor,
        note=row.note,
        promised_date=row.promised_date,
        amount=money_str(from_tiyn_count(row.amount_tiyn)) if row.amount_tiyn is not None else None,
        until=row.until,
        request=row.request,
        answer=row.answer,
        answered_on=row.answered_on,
        promise=promise,
        hardship_open=hardship_open,
    )
