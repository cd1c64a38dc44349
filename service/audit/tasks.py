"""The periodic checkpoint round: while serving, every ``TALAP_CHECKPOINT_SECONDS`` (and on
``talap audit checkpoint``), each log that grew since its latest checkpoint gets a new one."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from service.audit import service
from service.audit.proofs import Checkpoint
from service.clock import Clock
from service.errors import Conflict
from service.kit.db import Database
from service.signing import Signer

log = logging.getLogger("talap.audit")


@dataclass(frozen=True)
class Round:
    made: list[Checkpoint]
    refused: list[tuple[str | None, str]]
    """(creditor id, why) of each log left unsigned because it does not verify."""


def checkpoint_round(
    db: Database, clock: Clock, signer: Signer, only: Sequence[str | None] | None = None
) -> Round:
    """New checkpoints of the logs that grew: every log, or only these creditors' (None stands
    for the log of events of no creditor).

    Each log is read, hashed and signed in a read-only transaction and written in a short one
    of its own, so the round never holds the writers back. A log that does not verify is left
    unsigned (logged as ``audit.checkpoint_refused``) and the round goes on.
    """
    with db.transaction(read_only=True) as session:
        logs = service.logs(session) if only is None else list(only)
    made, refused = [], []
    for one in logs:
        try:
            with db.transaction(read_only=True) as session:
                prepared = service.prepare_checkpoint(session, clock.now(), signer, one)
        except Conflict as refusal:
            refused.append((one, refusal.message))
            continue
        if isinstance(prepared, service.Prepared):
            with db.transaction() as session:
                made.append(service.store_checkpoint(session, prepared))
    return Round(made, refused)
