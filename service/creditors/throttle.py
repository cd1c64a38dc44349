"""Repeated failed authentications from one client are slowed down: after ``limit`` answers of
``401`` within ``window``, the client's requests are refused with ``429`` until the oldest of
those failures leaves the window (review D17: 2,000 wrong keys were answered in 6.7 s).

In-process and in memory: each server process counts its own clients, which bounds guessing per
process without a shared store. A blocked client is refused whatever key it sends (otherwise the
answer would still tell a right guess from a wrong one). The table of clients is bounded: the
least recently failing are forgotten first.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict, deque


class FailedAuthThrottle:
    def __init__(self, limit: int, window: dt.timedelta, max_clients: int = 10_000) -> None:
        """``limit`` 0 turns the throttle off."""
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._failures: OrderedDict[str, deque[dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: dt.datetime) -> int | None:
        """Whole seconds until ``client`` may try again, or None when it may now."""
        if self.limit <= 0:
            return None
        with self._lock:
            failures = self._failures.get(client)
            if failures is None:
                return None
            self._forget_before(failures, now)
            if len(failures) < self.limit:
                return None
            wait = (failures[0] + self.window - now).total_seconds()
            return max(1, math.ceil(wait))

    def failed(self, client: str, now: dt.datetime) -> None:
        """Count one ``401`` answered to ``client`` at ``now``."""
        if self.limit <= 0:
            return
        with self._lock:
            failures = self._failures.pop(client, None) or deque(maxlen=self.limit)
            self._forget_before(failures, now)
            failures.append(now)
            self._failures[client] = failures  # now the most recent
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)

    def _forget_before(self, failures: deque[dt.datetime], now: dt.datetime) -> None:
        while failures and failures[0] <= now - self.window:
            failures.popleft()
