"""Which version is live (pure).

The live version of a template at a moment is the version in force then (approved, scheduled no
later than the moment, not yet retired) with the latest ``live_from``. Since the live version can
never be retired (``lifecycle.retire``), from the first ``live_from`` on there is exactly one at
every moment. A creditor's own template of a kind and language overrides the shared one from its
own live version's ``live_from``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from service.templates.lifecycle import State, in_force_at

S = TypeVar("S", bound=State)


def live_at(versions: Iterable[S], moment: dt.datetime) -> S | None:
    candidates = [v for v in versions if in_force_at(v, moment)]
    if not candidates:
        return None
    # Two versions scheduled for the same moment: the one approved last (then the id) decides,
    # so the answer never depends on the order rows came back in.
    return max(
        candidates,
        key=lambda v: (v.live_from, v.approved_at or dt.datetime.min.replace(tzinfo=dt.UTC), v.id),
    )


def pick(own: Iterable[S], shared: Iterable[S], moment: dt.datetime) -> S | None:
    """The creditor's own live version if it has one at ``moment``, else the shared one."""
    return live_at(own, moment) or live_at(shared, moment)
