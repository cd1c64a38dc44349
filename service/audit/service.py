"""Appending events; reading a log back; its signed checkpoints, proofs and verification.

The evidence pack's contract (``latest_checkpoint``, ``inclusion_proof``, ``verify_inclusion``)
is here; the pure parts (checkpoint text and JSON, proofs) are ``audit.proofs``, the tree is
``audit.merkle``, re-checking a log is ``audit.integrity``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.archive import Archive, ArchiveMismatch, read_checked
from service.audit import repository
from service.audit.chain import ChainEntry, chain_problems, leaf_data
from service.audit.events import AuditEvent, DocumentIssued
from service.audit.integrity import LogReport, check_log, first_chain_mismatch, leaves_of
from service.audit.merkle import Tree
from service.audit.models import AuditCheckpointRow
from service.audit.proofs import (
    GLOBAL_LOG,
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    checkpoint_text,
    leaf_hash_hex,
)
from service.audit.proofs import verify_inclusion as verify_inclusion
from service.audit.record_events import ArchiveMismatchFound
from service.creditors.auth import Permission, Principal
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.kit.db import Database, after_rollback
from service.kit.logs import log_event
from service.signing import Signer

log = logging.getLogger("talap.audit")


def record(
    session: Session,
    event: AuditEvent,
    *,
    creditor_id: str | None,
    actor: str,
    at: dt.datetime,
) -> None:
    """Append ``event`` to the creditor's chain in the caller's transaction (its last lock)."""
    repository.append(
        session,
        creditor_id=creditor_id,
        actor=actor,
        action=event.action,
        subject=event.subject,
        payload=event.payload(),
        occurred_at=at,
    )


def record_many(
    session: Session,
    events: Sequence[AuditEvent],
    *,
    creditor_id: str | None,
    actor: str,
    at: dt.datetime,
) -> None:
    """Append several events in order, taking the chain head's lock once (a bulk import)."""
    repository.append_many(
        session,
        creditor_id=creditor_id,
        actor=actor,
        events=[(e.action, e.subject, e.payload()) for e in events],
        occurred_at=at,
    )


def read_archived(
    session: Session,
    archive: Archive,
    sha256: str,
    *,
    creditor_id: str | None,
    about: str,
    read_by: str,
    actor: str,
    at: dt.datetime,
) -> bytes:
    """Archived bytes re-hashed against the record's ``sha256`` before anyone is given them.

    Missing or altered bytes raise ``ArchiveMismatch`` and are recorded as
    ``ArchiveMismatchFound`` on the creditor's chain — in a short transaction of its own once
    the caller's has rolled back (the refusal rolls it back, and a GET's is read-only)."""
    try:
        return read_checked(archive, sha256)
    except ArchiveMismatch as found:
        mismatch_found(
            session,
            found,
            creditor_id=creditor_id,
            about=about,
            read_by=read_by,
            actor=actor,
            at=at,
        )
        raise


def mismatch_found(
    session: Session,
    found: ArchiveMismatch,
    *,
    creditor_id: str | None,
    about: str,
    read_by: str,
    actor: str,
    at: dt.datetime,
) -> None:
    """Record ``found`` as ``ArchiveMismatchFound`` once ``session``'s transaction has rolled
    back (the caller re-raises it, which rolls it back)."""
    event = ArchiveMismatchFound(about, found.sha256, found.problem, read_by)
    log_event(log, "archive.mismatch", sha256=found.sha256, problem=found.problem, about=about)
    bind = session.get_bind()
    if isinstance(bind, Engine):  # (a session on a single connection has no apart)
        after_rollback(session, lambda: _record_apart(bind, event, creditor_id, actor, at))


def _record_apart(
    engine: Engine, event: AuditEvent, creditor_id: str | None, actor: str, at: dt.datetime
) -> None:
    with Database(engine).transaction() as session:
        record(session, event, creditor_id=creditor_id, actor=actor, at=at)


def document_chain_problems(
    session: Session, creditor_id: str, document_id: str, sha256: str
) -> list[str]:
    """What is wrong with the creditor's chain as far as one document is concerned, reading
    only what that needs (review D16): the events after the latest checkpoint that kept its
    last event (re-hashed from that event, which must still hold the hash it had when the chain
    was last re-hashed whole), and the document's ``DocumentIssued`` event with its successor
    (altering it would break the link to the next one). Without such a checkpoint, the whole
    chain, as before. The full re-hash stays with ``GET /v1/audit/verify`` and the checkpoint
    round, which signs no log that does not verify."""
    subject = f"document:{document_id}"
    point = repository.latest_verified_point(session, repository.chain_key(creditor_id))
    if point is None:
        entries, problems = chain_of(session, creditor_id)
        issued = [e for e in entries if e.action == DocumentIssued.action and e.subject == subject]
    else:
        problems = _suffix_problems(session, creditor_id, *point)
        issued = repository.entries(
            r
            for r in repository.events_about(session, creditor_id, [subject])
            if r.action == DocumentIssued.action
        )
        for entry in issued:
            problems += _event_problems(session, creditor_id, entry)
    if not any(e.payload.get("sha256") == sha256 for e in issued):
        problems.append("no DocumentIssued event records this document's hash")
    return problems


def _suffix_problems(
    session: Session, creditor_id: str, last_event_id: int, last_hash: str
) -> list[str]:
    # the head first, then the events up to it: events appended meanwhile are not a break
    head = repository.head(session, creditor_id)
    last = head.last_event_id if head is not None else last_event_id
    rows = [r for r in repository.events_from(session, creditor_id, last_event_id) if r.id <= last]
    if not rows or rows[0].id != last_event_id or rows[0].hash != last_hash:
        return [f"audit event {last_event_id}, the last one checkpointed, was changed or removed"]
    start, *after = repository.entries(rows)
    problems = chain_problems([start], start=start.prev_hash)
    head_hash = head.last_hash if head is not None else None
    return problems + chain_problems(after, head_hash, start=start.hash)


def _event_problems(session: Session, creditor_id: str, entry: ChainEntry) -> list[str]:
    problems = chain_problems([entry], start=entry.prev_hash)
    following = repository.event_after(session, creditor_id, entry.id)
    if following is not None and following.prev_hash != entry.hash:
        problems.append(f"audit event {following.id} does not follow the previous event")
    return problems


def chain_of(session: Session, creditor_id: str | None) -> tuple[list[ChainEntry], list[str]]:
    """The creditor's whole chain, and every problem re-hashing it finds."""
    entries = repository.entries(repository.events_for(session, creditor_id))
    return entries, chain_problems(entries, repository.head_hash(session, creditor_id))


# --- checkpoints -----------------------------------------------------------------------------


def _creditor(chain: str) -> str | None:
    return None if chain == GLOBAL_LOG else chain


def _checkpoint(row: AuditCheckpointRow) -> Checkpoint:
    return Checkpoint(
        chain=row.chain,
        tree_size=row.tree_size,
        root=row.root_hash,
        at=row.created_at,
        signature=row.signature,
        certificate=row.signer_certificate,
        id=row.id,
    )


def latest_checkpoint(session: Session, creditor_id: str | None) -> Checkpoint | None:
    """The creditor's most recent signed checkpoint (the largest tree), if any."""
    row = repository.latest_checkpoint(session, repository.chain_key(creditor_id))
    return _checkpoint(row) if row else None


def checkpoints_of(session: Session, creditor_id: str | None) -> list[Checkpoint]:
    rows = repository.checkpoints(session, repository.chain_key(creditor_id))
    return [_checkpoint(r) for r in rows]


@dataclass(frozen=True)
class Prepared:
    """A checkpoint signed but not yet stored (see ``prepare_checkpoint``)."""

    chain: str
    tree_size: int
    root: str
    at: dt.datetime
    signature: bytes
    certificate: bytes
    last_event_id: int | None = None
    """The last event the tree covers and its hash (the chain re-hashed cleanly up to it)."""
    last_hash: str | None = None


def prepare_checkpoint(
    session: Session, now: dt.datetime, signer: Signer, creditor_id: str | None
) -> Prepared | Checkpoint | None:
    """Sign a checkpoint of the creditor's log as it stands, without writing: the latest
    checkpoint instead when the log has not grown since, None when it has no events.

    Reading and hashing the log needs no write lock: a checkpoint is of a prefix, still true
    when events are appended meanwhile. A log whose chain no longer verifies is not signed (a
    checkpoint would vouch for an altered log): ``Conflict`` names the event.
    """
    chain = repository.chain_key(creditor_id)
    head = repository.head(session, creditor_id)
    if head is None:
        return None
    latest = repository.latest_checkpoint(session, chain)
    rows = repository.events_through(session, creditor_id, head.last_event_id)
    if latest is not None and latest.tree_size >= len(rows):
        return _checkpoint(latest)
    entries = repository.entries(rows)
    mismatch = first_chain_mismatch(entries, head.last_hash)
    if mismatch is not None:
        log_event(log, "audit.checkpoint_refused", chain=chain, event_id=mismatch.event_id)
        raise Conflict(f"the audit log does not verify, so it is not signed: {mismatch.problem}")
    root = Tree(leaves_of(entries)).root()
    text = checkpoint_text(chain, len(entries), root, now)
    return Prepared(
        chain,
        len(entries),
        root.hex(),
        now,
        signer.sign_data(text.encode()),
        signer.certificate_der,
        entries[-1].id,
        entries[-1].hash,
    )


def store_checkpoint(session: Session, prepared: Prepared) -> Checkpoint:
    """Write a prepared checkpoint (or find the one a racing round wrote for the same size)."""
    row = repository.add_checkpoint(
        session,
        chain=prepared.chain,
        tree_size=prepared.tree_size,
        root_hash=prepared.root,
        created_at=prepared.at,
        signature=prepared.signature,
        signer_certificate=prepared.certificate,
        last_event_id=prepared.last_event_id,
        last_hash=prepared.last_hash,
    )
    log_event(log, "audit.checkpoint", chain=row.chain, tree_size=row.tree_size, root=row.root_hash)
    return _checkpoint(row)


def create_checkpoint(
    session: Session, now: dt.datetime, signer: Signer, creditor_id: str | None
) -> tuple[Checkpoint | None, bool]:
    """Sign and store a checkpoint of the creditor's log: (the checkpoint, True when new).

    Nothing new when the log has not grown since its latest checkpoint (that one is returned),
    or has no events (None); ``Conflict`` when its chain does not verify.
    """
    found = prepare_checkpoint(session, now, signer, creditor_id)
    if not isinstance(found, Prepared):
        return found, False
    return store_checkpoint(session, found), True


def logs(session: Session) -> list[str | None]:
    """Every log with events: creditor ids, and None for the log of events of no creditor."""
    return [_creditor(chain) for chain in repository.chains(session)]


# --- proofs ----------------------------------------------------------------------------------


def inclusion_proof(
    session: Session, creditor_id: str | None, event_id: int, checkpoint: Checkpoint
) -> InclusionProof:
    """That event ``event_id`` is in the creditor's log as ``checkpoint`` signed it."""
    return inclusion_proofs(session, creditor_id, [event_id], checkpoint)[event_id]


def inclusion_proofs(
    session: Session, creditor_id: str | None, event_ids: Iterable[int], checkpoint: Checkpoint
) -> dict[int, InclusionProof]:
    """Proofs for several events against one checkpoint, reading the log once.

    ``NotFound`` for an event of another log; ``Conflict`` for one newer than the checkpoint."""
    if checkpoint.chain != repository.chain_key(creditor_id):
        raise NotFound("the checkpoint is of another creditor's audit log")
    rows = repository.first_events(session, creditor_id, checkpoint.tree_size)
    position = {row.id: index for index, row in enumerate(rows)}
    entries = repository.entries(rows)
    tree = Tree(leaves_of(entries))
    proofs = {}
    for event_id in event_ids:
        index = position.get(event_id)
        if index is None:
            if repository.event_in(session, creditor_id, event_id) is None:
                raise NotFound(f"no audit event {event_id} in this creditor's log")
            raise Conflict(
                f"audit event {event_id} is newer than checkpoint {checkpoint.id} "
                f"({checkpoint.tree_size} events): it is covered by the next checkpoint"
            )
        proofs[event_id] = InclusionProof(
            event_id=event_id,
            leaf_index=index,
            tree_size=checkpoint.tree_size,
            leaf_hash=tree.leaf(index).hex(),
            path=tuple(p.hex() for p in tree.inclusion_proof(index, checkpoint.tree_size)),
            leaf_data=leaf_data(entries[index]),
        )
    return proofs


def consistency_proof(
    session: Session, creditor_id: str | None, first_size: int, second_size: int
) -> ConsistencyProof:
    """That the creditor's log of ``first_size`` events is a prefix of its log of
    ``second_size``, built from the rows (check it against two signed checkpoints' roots)."""
    if not 0 <= first_size <= second_size:
        raise ValidationFailed(
            [FieldError("from_size", "invalid", "from_size must be between 0 and to_size")]
        )
    rows = repository.first_events(session, creditor_id, second_size)
    if len(rows) < second_size:
        raise NotFound(f"the audit log holds {len(rows)} events, not {second_size}")
    tree = Tree(leaves_of(repository.entries(rows)))
    path = tree.consistency_proof(first_size, second_size)
    return ConsistencyProof(first_size, second_size, tuple(p.hex() for p in path))


def event_leaf_hash(entry: ChainEntry) -> str:
    """An event's Merkle leaf hash (hex), from its row as stored."""
    return leaf_hash_hex(leaf_data(entry))


# --- verification ----------------------------------------------------------------------------


def verify_log(
    session: Session, creditor_id: str | None, trust_roots: Sequence[bytes]
) -> LogReport:
    """Recompute the creditor's chain and tree from the rows and check every checkpoint.

    Read in this order — the checkpoints, the chain's head, the events — so that events appended
    meanwhile (a read-committed database sees them) are not taken for a broken chain: the
    events up to the head are the log; those past it must continue the chain from the head."""
    checkpoints = checkpoints_of(session, creditor_id)
    head = repository.head(session, creditor_id)
    rows = repository.events_for(session, creditor_id)
    last = head.last_event_id if head else None
    return check_log(
        repository.chain_key(creditor_id),
        repository.entries(r for r in rows if last is None or r.id <= last),
        head.last_hash if head else None,
        checkpoints,
        trust_roots,
        after=repository.entries(r for r in rows if last is not None and r.id > last),
    )


# --- for callers with a key ------------------------------------------------------------------


def _acting(session: Session, caller: Principal, creditor: str | None) -> str:
    # imported here: the creditors domain records its own events through this module
    from service.creditors.service import acting_creditor

    return acting_creditor(session, caller, creditor)


def verify_for(
    session: Session, caller: Principal, creditor: str | None, trust_roots: Sequence[bytes]
) -> LogReport:
    """``GET /v1/audit/verify``: the caller's creditor's log (an admin names it)."""
    caller.require(Permission.READ)
    return verify_log(session, _acting(session, caller, creditor), trust_roots)


def checkpoints_for(session: Session, caller: Principal, creditor: str | None) -> list[Checkpoint]:
    caller.require(Permission.READ)
    return checkpoints_of(session, _acting(session, caller, creditor))


def checkpoint_for(
    session: Session, now: dt.datetime, signer: Signer, caller: Principal, creditor: str | None
) -> tuple[Checkpoint, bool]:
    """``POST /v1/audit/checkpoints``: sign the log now (system and admin keys; the service's
    key signs, as it signs documents)."""
    caller.require(Permission.ISSUE)
    creditor_id = _acting(session, caller, creditor)
    checkpoint, created = create_checkpoint(session, now, signer, creditor_id)
    if checkpoint is None:
        raise NotFound("this creditor's audit log has no events yet")
    return checkpoint, created


def consistency_for(
    session: Session, caller: Principal, creditor: str | None, first_size: int, second_size: int
) -> ConsistencyProof:
    caller.require(Permission.READ)
    return consistency_proof(session, _acting(session, caller, creditor), first_size, second_size)


def event_proof_for(
    session: Session, caller: Principal, creditor: str | None, event_id: int
) -> tuple[Checkpoint, InclusionProof]:
    """The latest checkpoint and the event's inclusion proof against it."""
    caller.require(Permission.READ)
    creditor_id = _acting(session, caller, creditor)
    checkpoint = latest_checkpoint(session, creditor_id)
    if checkpoint is None:
        if repository.event_in(session, creditor_id, event_id) is None:
            raise NotFound(f"no audit event {event_id} in this creditor's log")
        raise Conflict("this creditor's audit log has no signed checkpoint yet")
    return checkpoint, inclusion_proof(session, creditor_id, event_id, checkpoint)
