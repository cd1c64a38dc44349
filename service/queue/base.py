"""The job queue: what the service asks of it, whatever runs it.

The outbox (``service.outbox``) holds the work durably; the queue only says *when* to run it: a
kick after a commit, a delayed kick for a retry, and a periodic sweep that finds every due item a
lost kick, a crash or a dead worker left behind. A job may therefore run twice, or find its item
done: the outbox's claim makes the second run a no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from service.bootstrap import Wiring


class Consumer(Protocol):
    """A consumer running in the background of this process (``talap serve``)."""

    def stop(self) -> None: ...


class Queue(Protocol):
    name: str
    """What backs it (``sqlite:<file>``, ``postgresql``, ``memory``), for the start-up line."""

    def kick(self, item_id: str) -> None:
        """Run the outbox item soon (after its transaction committed)."""

    def kick_later(self, item_id: str, delay_seconds: float) -> None:
        """Run the outbox item after ``delay_seconds`` (a retry)."""

    def start(self, wiring: Wiring, *, workers: int = 1) -> Consumer:
        """Start consuming in background threads of this process; returns a handle to stop."""

    def run(self, wiring: Wiring, *, workers: int = 1) -> None:
        """Consume in the foreground until SIGINT/SIGTERM (``talap worker``)."""

    def prepare(self) -> None:
        """Create what the queue stores in the service's database (with the migrations)."""

    def close(self) -> None: ...
