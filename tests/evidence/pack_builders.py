"""A case with the ladder walked through the API: reminder and warning delivered with proof
files (a scanned receipt as PDF, a photo as PNG), then a pre-court letter."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfWriter

from service.clock import FixedClock
from tests.api import CASE, Tenant, fixture, issued


def receipt() -> bytes:
    """A real one-page PDF (a scanned postal receipt, for the tests)."""
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=200)
    writer.add_metadata({"/Title": "Receipt RR123456789KZ"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def photo() -> bytes:
    """A small real PNG (a photo of the delivery notice, for the tests)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Ladder:
    reminder: dict[str, Any]
    warning: dict[str, Any]
    pretrial: dict[str, Any]
    proofs: dict[str, bytes]
    """The proof files as uploaded, by their file name."""


def deliver_with_proof(
    client: TestClient,
    tenant: Tenant,
    document_id: str,
    on: str,
    name: str,
    data: bytes,
    content_type: str,
) -> dict[str, Any]:
    delivery = {**fixture("delivery.json"), "delivered_at": on}
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        data={"delivery": json.dumps(delivery)},
        files=[("proof", (name, data, content_type))],
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def walk_ladder(client: TestClient, tenant: Tenant, clock: FixedClock) -> Ladder:
    """Reminder (24 Nov 2026, delivered that day with a receipt), warning (8 Dec, delivered
    with a photo of the notice), pre-court letter by the notary route (5 Jan 2027)."""
    case = fixture("case.json")
    response = client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers())
    assert response.status_code == 201, response.text
    reminder = issued(client, tenant, fixture("issue-reminder.json"), CASE)
    scan = receipt()
    deliver_with_proof(
        client, tenant, reminder["id"], "2026-11-24", "квитанция.pdf", scan, "application/pdf"
    )
    clock.move_to(dt.date(2026, 12, 8))
    warning = issued(client, tenant, fixture("issue-warning.json"), CASE)
    png = photo()
    deliver_with_proof(client, tenant, warning["id"], "2026-12-08", "notice.png", png, "image/png")
    clock.move_to(dt.date(2027, 1, 5))
    pretrial = issued(client, tenant, fixture("issue-pretrial.json"), CASE)
    return Ladder(reminder, warning, pretrial, {"квитанция.pdf": scan, "notice.png": png})
