"""Where the handlers live: each owning domain's ``tasks.py``, imported here once."""

from __future__ import annotations

import importlib

MODULES: tuple[str, ...] = (
    "service.mail.tasks",
    "service.sms.tasks",
    "service.webhooks.tasks",
    "service.batches.tasks",
    "service.campaigns.tasks",
)
"""The modules whose ``@handler`` functions run outbox items (add yours here)."""


def load_handlers() -> None:
    """Import every module that registers handlers (idempotent)."""
    for name in MODULES:
        importlib.import_module(name)
