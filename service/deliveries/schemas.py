"""A delivery outcome as clients record it (``shared/contract/delivery.json``), and as returned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from service.kit.fields import In, Note, Out

DeliveryChannel = Literal[
    "registered_post", "courier", "hand_delivery", "email", "sms", "portal", "post"
]
DeliveryStatusName = Literal["delivered", "returned", "refused", "failed", "pending"]


class DeliveryIn(In):
    """A delivery outcome. ``delivered_at`` is the legal delivery (or return/refusal) date."""

    channel: DeliveryChannel
    status: DeliveryStatusName
    delivered_at: dt.date | None = None
    tracking_number: Annotated[str, Field(max_length=100)] | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _outcome_needs_date(self) -> DeliveryIn:
        if self.status in ("delivered", "returned", "refused") and self.delivered_at is None:
            raise PydanticCustomError(
                "delivered_at_required",
                "a {status} outcome needs delivered_at: waiting periods count from that date",
                {"status": self.status},
            )
        return self


class ProofOut(Out):
    filename: str
    sha256: str
    size: int


class DeliveryOut(Out):
    id: str
    document_id: str
    channel: str
    status: str
    delivered_at: dt.date | None
    tracking_number: str | None
    note: str | None
    recorded_at: dt.datetime
    proofs: list[ProofOut]
