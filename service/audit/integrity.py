"""Re-checking a whole audit log: its hash chain, its Merkle tree, its signed checkpoints.

``check_log`` walks the events as the rows hold them now: each must follow the previous one and
still hash to its recorded hash; the first that does not is named (id, sequence, what differs).
The tree is rebuilt from the same rows; every checkpoint must carry a valid, trusted signature
over its text, its root must be the root of the rebuilt tree at its size, and a consistency proof
built from the rows must link it to the next checkpoint. A log whose hashes were all recomputed
after an edit passes the chain check but not its checkpoints: the report then names the span of
events between the last checkpoint that still matches and the first that does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.audit import merkle
from service.audit.chain import GENESIS, ChainEntry, body_of, event_hash, leaf_data
from service.audit.proofs import GLOBAL_LOG, Checkpoint


@dataclass(frozen=True)
class EventMismatch:
    """The first event that does not match; ``event_id`` None when events are missing at the end."""

    event_id: int | None
    sequence: int
    """Its place in the log, counted from 1 (its Merkle leaf index is ``sequence - 1``)."""
    problem: str


@dataclass(frozen=True)
class CheckpointProblem:
    checkpoint_id: int | None
    tree_size: int
    problem: str


@dataclass(frozen=True)
class LogReport:
    chain: str
    events: int
    root: str
    """The root of the tree rebuilt from the rows, hex."""
    first_mismatch: EventMismatch | None
    checkpoints: int
    checkpoint_problems: tuple[CheckpointProblem, ...]

    @property
    def ok(self) -> bool:
        return self.first_mismatch is None and not self.checkpoint_problems

    @property
    def creditor_id(self) -> str | None:
        return None if self.chain == GLOBAL_LOG else self.chain


def leaves_of(entries: Sequence[ChainEntry]) -> list[bytes]:
    return [merkle.leaf_hash(leaf_data(e)) for e in entries]


def _link_problem(entry: ChainEntry, prev: str, sequence: int) -> EventMismatch | None:
    about = f"{entry.action} about {entry.subject}"
    if entry.prev_hash != prev:
        return EventMismatch(
            entry.id,
            sequence,
            f"event {entry.id} ({about}) does not follow the event before it: it records "
            f"the previous hash {entry.prev_hash[:16]}…, the previous event hashes to "
            f"{prev[:16]}… (an event was removed, inserted or reordered)",
        )
    recomputed = event_hash(entry.prev_hash, body_of(entry))
    if recomputed != entry.hash:
        return EventMismatch(
            entry.id,
            sequence,
            f"event {entry.id} ({about}) was changed after it was written: its content "
            f"hashes to {recomputed[:16]}…, its recorded hash is {entry.hash[:16]}…",
        )
    return None


def first_chain_mismatch(
    entries: Sequence[ChainEntry], head_hash: str | None, after: Sequence[ChainEntry] = ()
) -> EventMismatch | None:
    """The first event that does not follow the one before it or no longer hashes to its
    recorded hash; ``entries`` must end at the recorded head. ``after``: events past the head
    (appended while this ran) — they must continue the chain from the head too."""
    prev = GENESIS
    for sequence, entry in enumerate(entries, start=1):
        found = _link_problem(entry, prev, sequence)
        if found:
            return found
        prev = entry.hash
    if head_hash is not None and head_hash != prev:
        return EventMismatch(
            None,
            len(entries) + 1,
            f"the log ends after {len(entries)} events, before its recorded head "
            f"{head_hash[:16]}…: events at the end were removed",
        )
    for sequence, entry in enumerate(after, start=len(entries) + 1):
        found = _link_problem(entry, prev, sequence)
        if found:
            return found
        prev = entry.hash
    return None


def check_log(
    chain: str,
    entries: Sequence[ChainEntry],
    head_hash: str | None,
    checkpoints: Sequence[Checkpoint],
    trust_roots: Sequence[bytes] | None,
    after: Sequence[ChainEntry] = (),
) -> LogReport:
    """Everything about one log, from its rows (``entries`` up to the recorded head, ``after``
    the events past it): see the module's docstring."""
    mismatch = first_chain_mismatch(entries, head_hash, after)
    tree = merkle.Tree(leaves_of(entries))
    problems: list[CheckpointProblem] = []
    ordered = sorted(checkpoints, key=lambda c: (c.tree_size, c.id or 0))
    matched = 0  # the size of the last checkpoint whose root the rows still give
    for index, checkpoint in enumerate(ordered):
        found = _checkpoint_problems(chain, checkpoint, tree, trust_roots)
        problems.extend(found)
        root_ok = checkpoint.tree_size <= tree.size and tree.root(
            checkpoint.tree_size
        ) == bytes.fromhex(checkpoint.root)
        if not root_ok and mismatch is None and matched < checkpoint.tree_size <= tree.size:
            mismatch = _span(entries, matched, checkpoint)
        if root_ok:
            matched = checkpoint.tree_size
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if not _consistent(tree, checkpoint, following):
                problems.append(
                    CheckpointProblem(
                        checkpoint.id,
                        checkpoint.tree_size,
                        f"checkpoint {checkpoint.id} ({checkpoint.tree_size} events) is not "
                        f"consistent with checkpoint {following.id} ({following.tree_size} "
                        "events): the consistency proof built from the rows does not link "
                        "their signed roots",
                    )
                )
    return LogReport(
        chain=chain,
        events=len(entries),
        root=tree.root().hex(),
        first_mismatch=mismatch,
        checkpoints=len(ordered),
        checkpoint_problems=tuple(problems),
    )


def _checkpoint_problems(
    chain: str, checkpoint: Checkpoint, tree: merkle.Tree, trust_roots: Sequence[bytes] | None
) -> list[CheckpointProblem]:
    found = []

    def say(problem: str) -> None:
        found.append(CheckpointProblem(checkpoint.id, checkpoint.tree_size, problem))

    name = f"checkpoint {checkpoint.id} ({checkpoint.tree_size} events)"
    if checkpoint.chain != chain:
        say(f"{name} is about another log ({checkpoint.chain})")
    signature = checkpoint.signature_problem(trust_roots)
    if signature:
        say(f"{name}: {signature}")
    if checkpoint.tree_size > tree.size:
        say(f"{name} covers more events than the log holds ({tree.size}): events were removed")
    elif tree.root(checkpoint.tree_size) != bytes.fromhex(checkpoint.root):
        say(
            f"{name}: its signed root {checkpoint.root[:16]}… is not the root of the events "
            f"as stored ({tree.root(checkpoint.tree_size).hex()[:16]}…)"
        )
    return found


def _consistent(tree: merkle.Tree, first: Checkpoint, second: Checkpoint) -> bool:
    if second.tree_size > tree.size:
        return True  # reported already: the log holds fewer events than the later checkpoint
    proof = tree.consistency_proof(first.tree_size, second.tree_size)
    return merkle.verify_consistency(
        first.tree_size,
        second.tree_size,
        bytes.fromhex(first.root),
        bytes.fromhex(second.root),
        proof,
    )


def _span(entries: Sequence[ChainEntry], matched: int, checkpoint: Checkpoint) -> EventMismatch:
    first, last = entries[matched], entries[checkpoint.tree_size - 1]
    return EventMismatch(
        first.id,
        matched + 1,
        f"the events as stored no longer give the root signed in checkpoint {checkpoint.id}, "
        f"although each still hashes to its recorded hash (the hashes were recomputed after "
        f"an edit): an event from {first.id} (sequence {matched + 1}) to {last.id} "
        f"(sequence {checkpoint.tree_size}) was changed",
    )
