"""What ``POST /v1/deliveries/bounces`` answers."""

from __future__ import annotations

import datetime as dt

from service.kit.fields import Out


class BounceOut(Out):
    delivery_id: str
    action: str
    """The report's ``Action`` (failed, delayed, delivered, relayed, expanded)."""
    dsn_status: str
    """The report's status code (``5.1.1``)."""
    recorded: str | None
    """The delivery event recorded (``permanent_failure`` …), ``None`` when nothing final."""
    occurred_at: dt.datetime | None
    applied: bool
    """The event set the attempt's state (not after a terminal one)."""
    outcome: str | None
    """The attempt's legal outcome afterwards."""
