"""A batch's state from its items and chunks (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

BatchStatus = Literal["queued", "running", "done", "failed"]


def batch_status(stored: str, *, total: int, done: int, chunk_states: Sequence[str]) -> BatchStatus:
    """``done`` when every item has an outcome; ``failed`` when a chunk was given up (its
    items can no longer be issued by the queue); ``running`` once a chunk started; else
    ``queued``."""
    if done >= total:
        return "done"
    if "dead" in chunk_states:
        return "failed"
    if stored == "running" or done > 0:
        return "running"
    return "queued"
