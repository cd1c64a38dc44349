"""The audit log's checkpoints and its verification report, as the API returns them."""

from __future__ import annotations

import datetime as dt

from service.audit.integrity import LogReport
from service.audit.proofs import Checkpoint, ConsistencyProof, InclusionProof
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


class InclusionProofOut(Out):
    """RFC 9162 §2.1.3: ``leaf_hash`` = SHA-256(0x00 || ``leaf_data``), and ``path`` leads from it
    at ``leaf_index`` to the root of the tree of ``tree_size`` leaves."""

    format: str
    event_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    path: list[str]
    leaf_data: str

    @classmethod
    def of(cls, proof: InclusionProof) -> InclusionProofOut:
        return cls(**proof.to_json())


class EventProofOut(Out):
    """An event's inclusion proof against the latest signed checkpoint."""

    checkpoint: CheckpointOut
    proof: InclusionProofOut


class ConsistencyProofOut(Out):
    """RFC 9162 §2.1.4: the log of ``first_size`` events is a prefix of the log of
    ``second_size``; verify it against the roots of the two signed checkpoints."""

    format: str
    first_size: int
    second_size: int
    path: list[str]

    @classmethod
    def of(cls, proof: ConsistencyProof) -> ConsistencyProofOut:
        return cls(**proof.to_json())
