"""A debtor's phone number as a gateway takes it (E.164). Pure."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().\u00a0]")


def e164(value: str) -> str | None:
    """``+7 701 555 12 34`` / ``8 (701) 555-12-34`` → ``+77015551234``; ``None`` if it is no
    phone number. A Kazakh number written with the trunk prefix 8 is read as +7."""
    digits = _SEPARATORS.sub("", value.strip())
    if digits.startswith("+"):
        number = digits[1:]
    elif digits.startswith("8") and len(digits) == 11:
        number = "7" + digits[1:]
    else:
        number = digits
    if not number.isdigit() or not 8 <= len(number) <= 15:
        return None
    if number.startswith("7") and len(number) != 11:
        return None  # +7 (Kazakhstan, Russia): always ten digits after the country code
    return f"+{number}"
