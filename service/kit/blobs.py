"""Archive writes tied to the database transaction, and the sweep of what a crash leaves.

``keep_with(session, archive, data)`` stages the bytes now and promotes them after the commit (or
discards them after a rollback): an archived object always has a record, and a record's object is
durable before the record commits. If the process dies between commit and promotion, the object
stays staged until ``sweep`` at the next start promotes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.archive import Archive, StoredObject
from service.kit.db import after_commit, after_rollback

log = logging.getLogger("talap.archive")

SWEEP_MIN_AGE = dt.timedelta(hours=1)
"""An unrecorded staged object younger than this may belong to a transaction still running (on
another worker or machine): it is left alone."""


def keep_with(session: Session, archive: Archive, data: bytes) -> StoredObject:
    """Stage ``data``; promote it when ``session`` commits, discard it if it rolls back."""
    staged = archive.stage(data)
    after_commit(session, lambda: archive.promote(staged))
    after_rollback(session, lambda: archive.discard(staged))
    return StoredObject(staged.sha256, staged.size, f"staged:{staged.token}")


@dataclass(frozen=True)
class SweepResult:
    promoted: int
    discarded: int
    left: int


def sweep(
    archive: Archive,
    recorded: Callable[[Iterable[str]], set[str]],
    now: dt.datetime,
    min_age: dt.timedelta = SWEEP_MIN_AGE,
) -> SweepResult:
    """Promote staged objects a record refers to; discard unrecorded ones older than ``min_age``.

    ``recorded`` answers which of the given SHA-256 names some record holds.
    """
    staged = archive.staged()
    known = recorded({s.sha256 for s in staged}) if staged else set()
    promoted = discarded = left = 0
    for item in staged:
        try:
            if item.sha256 in known:
                archive.promote(item)
                promoted += 1
            elif now - item.staged_at >= min_age:
                archive.discard(item)
                discarded += 1
            else:
                left += 1
        except Exception:  # one bad object (damaged, raced) must not stop the others
            log.exception(
                "archive sweep could not settle a staged object",
                extra={"event": "archive.sweep_failed", "sha256": item.sha256},
            )
            left += 1
    if promoted or discarded:
        log.info(
            "archive sweep",
            extra={"event": "archive.swept", "promoted": promoted, "discarded": discarded},
        )
    return SweepResult(promoted, discarded, left)
