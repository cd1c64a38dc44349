"""A post list as a client asks for it, and as returned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from service.kit.fields import In, LineText, NoteText, Out

DocumentId = Annotated[str, Field(min_length=1, max_length=36)]
MAX_LINES = 500


class PostListIn(In):
    """The documents to send, in the list's order; ``hand`` is ``hand_delivery``.

    ``tracking_numbers`` maps a document id to its letter's number: for ``registered_post`` the
    UPU S10 number Kazpost prints (``RR123456785KZ``, check digit verified), for ``courier`` the
    courier's own; a hand delivery has none."""

    document_ids: Annotated[list[DocumentId], Field(min_length=1, max_length=MAX_LINES)]
    channel: Literal["registered_post", "courier", "hand_delivery", "hand"]
    tracking_numbers: dict[str, Annotated[LineText, Field(max_length=100)]] = Field(
        default_factory=dict
    )


class PostListLineOut(Out):
    position: int
    document_id: str
    document_number: str
    delivery_id: str
    """The delivery attempt started for this letter (``queued``)."""
    tracking_number: str | None


class PostListOut(Out):
    id: str
    number: str
    date: dt.date
    channel: str
    created_at: dt.datetime
    lines: list[PostListLineOut]
    pdf_url: str
    xlsx_url: str


class ReturnReceiptIn(In):
    """The return receipt's facts, as multipart form fields beside the ``proof`` file(s)."""

    status: Literal["delivered", "refused", "returned"]
    """What the receipt says: handed over, refused by the addressee, or came back unclaimed."""
    date: dt.date
    """The date on the receipt (of delivery, refusal or return); waiting periods count from it."""
    note: NoteText | None = None
