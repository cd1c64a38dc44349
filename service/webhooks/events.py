"""The events a creditor can subscribe to, and the body Talap posts for one. Pure.

Body (JSON, UTF-8)::

    {"id": "<event id: receivers drop a second delivery of the same id>",
     "type": "document.issued", "created_at": "2026-11-24T09:00:00+00:00",
     "creditor_id": "…", "data": {…}}

``data`` holds identifiers, numbers, dates, hashes and states — never a debtor's name, ИИН or
contacts. Headers: ``Talap-Event``, ``Talap-Event-Id``, ``Talap-Timestamp`` and
``Talap-Signature`` (``service.kit.signatures``: HMAC-SHA256 with the endpoint's secret over
``timestamp + "." + body``; a receiver refuses a timestamp more than 5 minutes away).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

DOCUMENT_ISSUED = "document.issued"
DELIVERY_OUTCOME_CHANGED = "delivery.outcome_changed"
AGREEMENT_DEFAULTED = "agreement.defaulted"
EVENT_TYPES = (DOCUMENT_ISSUED, DELIVERY_OUTCOME_CHANGED, AGREEMENT_DEFAULTED)


def body(
    event_id: str, event_type: str, creditor_id: str, at: dt.datetime, data: dict[str, Any]
) -> bytes:
    document = {
        "id": event_id,
        "type": event_type,
        "created_at": at.isoformat(),
        "creditor_id": creditor_id,
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def retryable(status: int | None) -> bool:
    """A failed delivery is tried again after a timeout or a connection error (``None``), a 5xx
    or 429 (too many requests); any other 4xx is final: the same request fails again."""
    return status is None or status >= 500 or status == 429
