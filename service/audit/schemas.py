"""The audit log's checkpoints and its verification report, as the API returns them."""

from __future__ import annotations

import datetime as dt

from service.audit.integrity import LogReport
from service.audit.proofs import Checkpoint
from service.kit.fields import Out


class CheckpointOut(Out):
    """A signed checkpoint; ``note`` is the signed text, ``certificate`` the signer's (base64
    DER): with them the signature verifies without Talap."""

    id: int | None
    format: str
    origin: str
    creditor_id: str | None
    tree_size: int
    root_hash: str
    created_at: dt.datetime
    note: str
    signature: str
    signature_algorithm: str
    certificate: str
    development_key: bool

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> CheckpointOut:
        return cls(id=checkpoint.id, **checkpoint.to_json())


class CheckpointsOut(Out):
    checkpoints: list[CheckpointOut]


class EventMismatchOut(Out):
    event_id: int | None
    sequence: int
    """The event's place in its creditor's log, from 1 (its Merkle leaf index + 1)."""
    problem: str


class CheckpointProblemOut(Out):
    checkpoint_id: int | None
    tree_size: int
    problem: str


class AuditVerifyOut(Out):
    """The creditor's audit log recomputed from its rows: ``ok``, or the first event that does
    not match and every checkpoint whose signature, root or consistency is wrong."""

    ok: bool
    creditor_id: str | None
    events: int
    root_hash: str
    checkpoints: int
    first_mismatch: EventMismatchOut | None
    checkpoint_problems: list[CheckpointProblemOut]

    @classmethod
    def of(cls, report: LogReport) -> AuditVerifyOut:
        mismatch = report.first_mismatch
        return cls(
            ok=report.ok,
            creditor_id=report.creditor_id,
            events=report.events,
            root_hash=report.root,
            checkpoints=report.checkpoints,
            first_mismatch=(
                EventMismatchOut(
                    event_id=mismatch.event_id, sequence=mismatch.sequence, problem=mismatch.problem
                )
                if mismatch
                else None
            ),
            checkpoint_problems=[
                CheckpointProblemOut(
                    checkpoint_id=p.checkpoint_id, tree_size=p.tree_size, problem=p.problem
                )
                for p in report.checkpoint_problems
            ],
        )
