"""Issuing many documents for one creditor: ``issue_many`` (contract C5), what batches and
campaigns call.

Each item carries its own idempotency key (``batch:<id>:<line>``), so an item is issued at most
once ever: a replay answers with the document issued before, as ``issued``. A refusal (field
errors, rule violations, an unknown case, a key reused for another request) is an outcome with
its errors and violations as dicts in the API's error shape; anything unexpected is an ``error``
outcome, logged, and the run goes on.

Items are issued in groups, one transaction per group (``GROUP`` items): each item is claimed,
prepared and checked exactly as ``POST /v1/cases/{id}/documents`` does (``service.begin_issue``),
numbered, and gathered into a render batch: up to ``render_batch`` documents of one template
version and issue date (one by default) are handed together to a pool of threads that lays them out
— in one compile where the engine can (Typst: one compile split into one PDF/A per notice) — and
signs each, while the next items are prepared (Typst compiles outside the GIL); the group's
documents are then recorded in order and committed together. The group holds the creditor's number
counter from its first number to its commit, so numbers stay gapless without any reservation: a
crash or a failed commit rolls the whole group back and gives its numbers back. An item whose
document fails after its number was allocated (rendering, signing, archiving) does not stop the
group: its number is voided with the reason (``voided_numbers``) in the same commit, and its key
stays free for a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.events import NumberVoided
from service.creditors.auth import Permission, Principal
from service.decisions import service as decisions
from service.decisions.decision import RuleDecision
from service.documents import layout, repository, service
from service.documents.bulk.outcomes import BulkItem, ItemOutcome, failure, refusal
from service.documents.models import VoidedNumberRow
from service.documents.service import IssueOutcome, Issuing, Numbered, Started
from service.errors import RenderingFailed, TalapError
from service.kit.db import Database
from service.kit.logs import log_event
from service.signing import SigningFailed

log = logging.getLogger("talap.documents.bulk")

GROUP = 32
"""Items per transaction: large enough that a commit and the counter's lock are paid rarely,
small enough that other writers wait at most one group (~0.5 s) and a failed group costs little."""
WORKERS = 2
"""Threads rendering and signing (the machine's cores; Typst leaves the GIL while it compiles)."""
RENDER_BATCH = 1
"""Documents laid out in one compile (``TALAP_RENDER_BATCH``). One: measured on the bundled
2–3-page notices, 8 a compile cost 58–62 ms of CPU a notice against 61–64 alone (71 with the
split) and held 1.1 GB instead of 350 MB (Typst keeps the last compiles' layouts), so batches pay
only for templates whose fixed cost outweighs their pages (``bench/bench_bulk.py
--render-batch``, ``bench.all``'s ``floor8``)."""


Progress = Callable[[ItemOutcome], None]


def issue_many(
    db: Database,
    ports: Issuing,
    caller: Principal,
    items: Sequence[BulkItem],
    *,
    progress: Progress | None = None,
    group: int = GROUP,
    workers: int = WORKERS,
    render_batch: int = RENDER_BATCH,
) -> list[ItemOutcome]:
    """Issue every item for the caller's creditor; one outcome per item, in the items' order.
    ``progress`` hears each outcome once its group has committed."""
    caller.require(Permission.ISSUE)
    outcomes: list[ItemOutcome] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="talap-bulk") as pool:
        for chunk in groups(items, group):
            try:
                with db.transaction() as session:
                    done = issue_group(session, ports, caller, chunk, pool, render_batch)
            except Exception as failed:  # the group rolled back: its numbers are free again
                log.exception("bulk group failed")
                done = [failure(item.idempotency_key, failed) for item in chunk]
            outcomes += done
            if progress is not None:
                for outcome in done:
                    progress(outcome)
    return outcomes


def groups(items: Sequence[BulkItem], size: int) -> Iterator[list[BulkItem]]:
    """Consecutive runs of at most ``size`` items; a run also ends before an item whose case or
    key it already holds, so that item is prepared after the first one committed (its rules
    see the document just issued, its key the claim just made)."""
    chunk: list[BulkItem] = []
    cases: set[str] = set()
    keys: set[str] = set()
    for item in items:
        if len(chunk) >= size or item.case in cases or item.idempotency_key in keys:
            yield chunk
            chunk, cases, keys = [], set(), set()
        chunk.append(item)
        cases.add(item.case)
        keys.add(item.idempotency_key)
    if chunk:
        yield chunk


@dataclass(frozen=True)
class _Signed:
    """One document's place in a render batch's outcome."""

    batch: Future[list[bytes | Exception]]
    index: int

    def result(self) -> bytes:
        outcome = self.batch.result()[self.index]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@dataclass
class _Pending:
    item: BulkItem
    started: Started
    numbered: Numbered
    signed: _Signed | None = None


class _RenderBatches:
    """Numbered documents gathered into batches of one version and issue date, each handed to
    the pool when full, when the next document needs another version or date, or at the end."""

    def __init__(self, ports: Issuing, pool: ThreadPoolExecutor, size: int) -> None:
        self._ports, self._pool, self._size = ports, pool, size
        self._waiting: list[_Pending] = []

    def add(self, job: _Pending) -> None:
        if self._waiting and _batch_key(self._waiting[0]) != _batch_key(job):
            self.flush()
        self._waiting.append(job)
        if len(self._waiting) >= self._size:
            self.flush()

    def flush(self) -> None:
        if not self._waiting:
            return
        jobs, self._waiting = self._waiting, []
        work = [(job.started.prepared, job.numbered) for job in jobs]
        batch = self._pool.submit(layout.render_signed_many, self._ports, work)
        for index, job in enumerate(jobs):
            job.signed = _Signed(batch, index)


def _batch_key(job: _Pending) -> tuple[str, object]:
    version = job.started.prepared.version
    return (version.id if version else "", job.numbered.issued.issue_date)


def issue_group(
    session: Session,
    ports: Issuing,
    caller: Principal,
    items: Sequence[BulkItem],
    pool: ThreadPoolExecutor,
    render_batch: int = RENDER_BATCH,
) -> list[ItemOutcome]:
    """The group's items in ``session``: prepared one by one while the pool renders and signs
    those already numbered, then recorded in order (or their numbers voided)."""
    outcomes: dict[int, ItemOutcome] = {}
    pending: dict[int, _Pending] = {}
    batches = _RenderBatches(ports, pool, render_batch)
    for index, item in enumerate(items):
        begun = _begin(session, ports, caller, item)
        if isinstance(begun, ItemOutcome):
            outcomes[index] = begun
            continue
        numbered = service.number_document(session, ports, caller.creditor(), begun.facts)
        pending[index] = _Pending(item, begun, numbered)
        batches.add(pending[index])
    batches.flush()
    for index, job in pending.items():
        outcomes[index] = _finish(session, ports, caller, job)
    for decision in session.info.pop(_REFUSALS, []):
        decisions.record(session, decision)
    return [outcomes[index] for index in range(len(items))]


def _begin(
    session: Session, ports: Issuing, caller: Principal, item: BulkItem
) -> Started | ItemOutcome:
    key = item.idempotency_key
    try:
        with session.begin_nested():  # a refusal leaves nothing behind (its claim included)
            begun = service.begin_issue(
                session, ports, caller, item.case, item.request, key, refused=_record_refusal
            )
    except TalapError as refused:
        return refusal(key, refused)
    if isinstance(begun, IssueOutcome):
        return _issued(key, begun)
    return begun


def _record_refusal(session: Session, decision: RuleDecision) -> None:
    """A refused item's rule decision, kept: it is written after the item's savepoint rolled
    back, in the group's transaction (``after_rollback`` would wait for the whole group)."""
    pending: list[RuleDecision] = session.info.setdefault(_REFUSALS, [])
    pending.append(decision)


_REFUSALS = "talap_bulk_refusals"


def _finish(session: Session, ports: Issuing, caller: Principal, job: _Pending) -> ItemOutcome:
    """Record the item's signed document; if rendering, signing or archiving it failed, void its
    number instead (anything else is not the item's failure: it rolls the group back)."""
    try:
        assert job.signed is not None  # every pending job was handed to a batch
        signed = job.signed.result()
    except Exception as failed:  # whatever broke in the worker broke this item only
        return _voided(session, ports, caller, job, failed)
    try:
        with session.begin_nested():
            issued = service.finish_issue(session, ports, caller, job.started, job.numbered, signed)
    except (TalapError, OSError) as failed:
        return _voided(session, ports, caller, job, failed)
    return _issued(job.item.idempotency_key, issued)


def _voided(
    session: Session, ports: Issuing, caller: Principal, job: _Pending, failed: Exception
) -> ItemOutcome:
    if not isinstance(failed, TalapError | OSError):
        log.error("bulk item failed", exc_info=failed)
    reason_code = _reason_code(failed)
    _void(session, ports, caller, job, reason_code, failed)
    message = f"{failed or type(failed).__name__} (number {job.numbered.number} voided)"
    error = {"path": "", "code": reason_code, "message": message}
    return ItemOutcome(job.item.idempotency_key, "error", errors=[error])


def _reason_code(failed: BaseException) -> str:
    if isinstance(failed, RenderingFailed):
        return "rendering_failed"
    if isinstance(failed, SigningFailed):
        return "signing_failed"
    if isinstance(failed, OSError):
        return "archiving_failed"
    return "failed"


def _void(
    session: Session,
    ports: Issuing,
    caller: Principal,
    job: _Pending,
    reason_code: str,
    failed: BaseException,
) -> None:
    numbered, prepared = job.numbered, job.started.prepared
    claim = job.started.claim
    if claim is not None:  # the key stays free for a corrected retry
        session.delete(claim)
    now = ports.clock.now()
    repository.void(
        session,
        VoidedNumberRow(
            creditor_id=caller.creditor(),
            register=numbered.register.value,
            year=numbered.year,
            sequence=numbered.sequence,
            number=numbered.number,
            issue_date=numbered.issued.issue_date,
            kind=numbered.issued.kind,
            case_id=prepared.case.id,
            reason_code=reason_code,
            reason=str(failed)[:1000] or type(failed).__name__,
            voided_at=now,
            actor=caller.actor,
        ),
    )
    event = NumberVoided(
        number=numbered.number,
        register=numbered.register.value,
        kind=numbered.issued.kind,
        case=prepared.case.external_id,
        reason_code=reason_code,
    )
    audit.record(session, event, creditor_id=caller.creditor(), actor=caller.actor, at=now)
    log_event(
        log, "number.voided", number=numbered.number, reason_code=reason_code, item=job.item.case
    )


def _issued(key: str, issued: IssueOutcome) -> ItemOutcome:
    document = issued.document
    return ItemOutcome(key, "issued", document.id, document.number)
