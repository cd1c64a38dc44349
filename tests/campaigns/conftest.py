"""Campaign tests mail through a real SMTP server on loopback, as the e-mail tests do."""

from __future__ import annotations

from tests.mail.conftest import mailbox, mx, wiring

__all__ = ["mailbox", "mx", "wiring"]
