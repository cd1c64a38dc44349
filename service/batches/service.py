"""Batches: accepting one (its items stored with it, its chunks queued, one transaction), the
cases of an export upserted in groups, and its state and summary read back."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.batch_events import BatchAccepted, BatchFinished
from service.batches import repository
from service.batches.exports import ValidCase, check_export
from service.batches.loader import load_mapping, parse_mapping
from service.batches.models import BatchItemRow, BatchRow
from service.batches.progress import BatchStatus, batch_status
from service.batches.schemas import BatchAcceptedOut, BatchIn, BatchOut, ItemOut
from service.batches.sheets import UnreadableFile
from service.batches.summary import SummaryLine, workbook
from service.cases import service as cases
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.documents.schemas import IssueIn
from service.errors import FieldError, ValidationFailed
from service.kernel.calendar import WorkCalendar
from service.kit.links import Links
from service.outbox import service as outbox

CHUNK_TOPIC = "batches.chunk"


@dataclass(frozen=True)
class ExportUpload:
    """A 1C-style export sent to ``POST /v1/batches`` as a file."""

    filename: str
    data: bytes
    kind: str
    language: str | None
    mapping: bytes | None
    """The column mapping's YAML; ``None``: the bundled 1C one."""


@dataclass(frozen=True)
class Entry:
    line: int
    case: str
    request: IssueIn


def item_key(batch_id: str, line: int) -> str:
    return f"batch:{batch_id}:{line}"


def chunk_subject(batch_id: str, index: int) -> str:
    return f"batch:{batch_id}:chunk:{index:06d}"


def accept(
    session: Session,
    clock: Clock,
    caller: Principal,
    entries: Sequence[Entry],
    *,
    chunk_size: int,
    source: str,
    filename: str | None = None,
    sha256: str | None = None,
) -> BatchRow:
    """Store the batch with every item and queue its chunks (any worker may take each), all in
    the caller's transaction: a batch is accepted whole or not at all."""
    caller.require(Permission.ISSUE)
    creditor_id = caller.creditor()
    now = clock.now()
    batch = BatchRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        key_id=caller.key_id,
        role=caller.role.value,
        source=source,
        filename=filename,
        source_sha256=sha256,
        status="queued",
        total=len(entries),
        chunk_size=chunk_size,
        created_at=now,
        finished_at=None,
    )
    rows = [
        BatchItemRow(
            batch_id=batch.id,
            line=entry.line,
            case_external_id=entry.case,
            request=entry.request.model_dump(mode="json", exclude_none=True),
            idempotency_key=item_key(batch.id, entry.line),
            status=repository.PENDING,
        )
        for entry in entries
    ]
    repository.add(session, batch, rows)
    lines = sorted(entry.line for entry in entries)
    for index, start in enumerate(range(0, len(lines), chunk_size)):
        part = lines[start : start + chunk_size]
        outbox.enqueue(
            session,
            topic=CHUNK_TOPIC,
            payload={"batch_id": batch.id, "first": part[0], "last": part[-1]},
            creditor_id=creditor_id,
            subject=chunk_subject(batch.id, index),
            at=now,
        )
    event = BatchAccepted(batch.id, source, len(entries), sha256)
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    return batch


def submit(
    session: Session, clock: Clock, links: Links, caller: Principal, body: BatchIn, chunk_size: int
) -> BatchAcceptedOut:
    """``POST /v1/batches``: the items of a JSON body, lines numbered from 1."""
    entries = [
        Entry(line, item.case, item.issue_request()) for line, item in enumerate(body.items, 1)
    ]
    batch = accept(session, clock, caller, entries, chunk_size=chunk_size, source="api")
    return BatchAcceptedOut(
        id=batch.id, status="queued", total=batch.total, url=_url(links, batch.id)
    )


def submit_export(
    session: Session,
    clock: Clock,
    calendar: WorkCalendar,
    links: Links,
    caller: Principal,
    upload: ExportUpload,
    chunk_size: int,
) -> BatchAcceptedOut:
    """``POST /v1/batches`` with a file: every row checked (a 422 names each bad one by line and
    column, nothing stored), the cases upserted, one notice per case, in the request's one
    transaction. The same file again (its SHA-256) answers with the batch it made."""
    caller.require(Permission.ISSUE)
    sha256 = hashlib.sha256(upload.data).hexdigest()
    earlier = repository.of_file(session, caller.creditor(), sha256)
    if earlier is not None:
        return BatchAcceptedOut(
            id=earlier.id, status=_stored_status(earlier), total=earlier.total,
            url=_url(links, earlier.id),
        )  # fmt: skip
    mapping = (
        parse_mapping(upload.mapping.decode("utf-8", errors="replace"), "mapping")
        if upload.mapping is not None
        else load_mapping()
    )
    try:
        checked = check_export(upload.filename, upload.data, mapping)
    except UnreadableFile as exc:
        raise ValidationFailed([FieldError("file", "unreadable", str(exc))]) from None
    if checked.problems:
        raise ValidationFailed(
            [
                FieldError(f"file.line_{p.line}.{p.field}", p.code,
                           f"line {p.line}, column «{p.column}»: {p.message}")
                for p in checked.problems
            ]
        )  # fmt: skip
    upsert_cases(session, clock, calendar, caller, checked.cases)
    entries = entries_of(checked.cases, kind=upload.kind, language=upload.language)
    batch = accept(session, clock, caller, entries, chunk_size=chunk_size, source="file",
                   filename=upload.filename, sha256=sha256)  # fmt: skip
    return BatchAcceptedOut(
        id=batch.id, status="queued", total=batch.total, url=_url(links, batch.id)
    )


def _stored_status(batch: BatchRow) -> BatchStatus:
    return (
        "done" if batch.status == "done" else "running" if batch.status == "running" else "queued"
    )


def entries_of(valid: Sequence[ValidCase], *, kind: str, language: str | None) -> list[Entry]:
    """One notice per case of an export: the kind and language its row names, else the
    command's; ``language=None`` writes to each debtor in the debtor's language."""
    return [
        Entry(
            item.draft.first_line,
            item.draft.external_id,
            IssueIn(
                kind=item.draft.issue.get("kind", kind),
                language=item.draft.issue.get("notice_language")
                or language
                or item.case.debtor.language,
            ),
        )
        for item in valid
    ]


def upsert_cases(
    session: Session,
    clock: Clock,
    calendar: WorkCalendar,
    caller: Principal,
    valid: Sequence[ValidCase],
) -> int:
    """Store each case as ``PUT /v1/cases`` does (the ledger replaced, an audit event each), in
    the caller's one transaction, through the cases' bulk path; how many were created."""
    caller.require(Permission.WRITE_CASES)
    return cases.upsert_many(
        session,
        clock,
        creditor_id=caller.creditor(),
        cases=[(item.draft.external_id, item.case) for item in valid],
        actor=caller.actor,
        calendar=calendar,
    )


def finish_if_done(session: Session, clock: Clock, batch: BatchRow) -> bool:
    """Mark the batch done when no item waits (once; its audit event with the counts)."""
    counts = repository.counts(session, batch.id)
    if counts.get(repository.PENDING, 0) or batch.status == "done":
        return False
    now = clock.now()
    repository.set_status(session, batch.id, "done", finished_at=now)
    event = BatchFinished(
        batch.id, counts.get("issued", 0), counts.get("refused", 0), counts.get("error", 0)
    )
    audit.record(
        session, event, creditor_id=batch.creditor_id, actor=f"api_key:{batch.key_id}", at=now
    )
    return True


def status(session: Session, links: Links, caller: Principal, batch_id: str) -> BatchOut:
    caller.require(Permission.READ)
    batch = repository.get(session, caller.creditor(), batch_id)
    items = repository.items(session, batch.id)
    outs = [_item_out(links, row) for row in items]
    states = repository.chunk_states(session, batch.id)
    done = sum(1 for o in outs if o.status != "pending")
    return BatchOut(
        id=batch.id,
        status=batch_status(batch.status, total=batch.total, done=done, chunk_states=states),
        source=batch.source,
        filename=batch.filename,
        total=batch.total,
        done=done,
        issued=sum(1 for o in outs if o.status == "issued"),
        refused=[o for o in outs if o.status == "refused"],
        errors=[o for o in outs if o.status == "error"],
        documents=[o for o in outs if o.status == "issued"],
        summary_url=f"{_url(links, batch.id)}/summary.xlsx",
        created_at=batch.created_at,
        finished_at=batch.finished_at,
    )


def summary(session: Session, links: Links, caller: Principal, batch_id: str) -> bytes:
    """The batch as an XLSX: one row per item with its outcome and reasons."""
    caller.require(Permission.READ)
    batch = repository.get(session, caller.creditor(), batch_id)
    return summary_of(session, links, batch)


def summary_of(session: Session, links: Links, batch: BatchRow) -> bytes:
    lines = [
        SummaryLine(
            line=row.line,
            case=row.case_external_id,
            kind=str(row.request.get("kind", "")),
            language=str(row.request.get("language", "")),
            status=row.status,
            number=row.number,
            document_url=links.document(row.document_id) if row.document_id else None,
            reasons=_reasons(row),
        )
        for row in repository.items(session, batch.id)
    ]
    return workbook(batch.id, batch.filename, batch.created_at, lines)


def _reasons(row: BatchItemRow) -> list[str]:
    found = [f"{e.get('path') or '—'}: {e.get('message')}" for e in row.errors or []]
    for v in row.violations or []:
        provision = f" ({v['provision']})" if v.get("provision") else ""
        found.append(f"{v.get('rule')}{provision}: {v.get('message')}")
    return found


def _item_out(links: Links, row: BatchItemRow) -> ItemOut:
    return ItemOut(
        line=row.line,
        case=row.case_external_id,
        kind=str(row.request.get("kind", "")),
        language=str(row.request.get("language", "")),
        status=row.status,
        document_id=row.document_id,
        number=row.number,
        url=links.document(row.document_id) if row.document_id else None,
        errors=list(row.errors or []),
        violations=list(row.violations or []),
    )


def _url(links: Links, batch_id: str) -> str:
    return f"{links.public_url.rstrip('/')}/v1/batches/{batch_id}"


def of_file(session: Session, creditor_id: str, sha256: str) -> BatchRow | None:
    """The creditor's batch made from the file with this SHA-256 (a rerun finds it)."""
    return repository.of_file(session, creditor_id, sha256)


def counts(session: Session, batch_id: str) -> dict[str, int]:
    return repository.counts(session, batch_id)
