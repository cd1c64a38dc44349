"""When a temporarily failed item is tried again: exponential back-off with a cap (pure)."""

from __future__ import annotations

import datetime as dt

BASE = dt.timedelta(seconds=30)
CAP = dt.timedelta(hours=6)
MAX_ATTEMPTS = 12
"""With these figures an item is tried for about a day and a half before it is given up."""


def retry_delay(
    attempts: int, *, base: dt.timedelta = BASE, cap: dt.timedelta = CAP
) -> dt.timedelta:
    """The pause after the ``attempts``-th failed attempt (1, 2, …): base · 2^(attempts-1),
    never more than ``cap``."""
    if attempts < 1:
        raise ValueError("attempts count from 1")
    exponent = min(attempts - 1, 30)  # beyond this the cap applies anyway
    delay: dt.timedelta = min(base * (2**exponent), cap)
    return delay


def gives_up(attempts: int, *, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether an item that failed its ``attempts``-th attempt is dead."""
    return attempts >= max_attempts
