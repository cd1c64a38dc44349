"""Reading a delivery status notification (RFC 3464, ``multipart/report;
report-type=delivery-status``) with the standard library's ``email`` package (pure).

What a DSN says about our message becomes one delivery event:

- ``Action: failed`` with a ``5.x.x`` status → ``permanent_failure``;
- ``Action: failed`` with ``4.x.x``, or ``Action: delayed`` → ``temporary_failure``;
- ``Action: delivered`` → ``delivered``, at the recipient's ``Last-Attempt-Date``, else the
  report's ``Arrival-Date``, else when we received the report;
- ``relayed``/``expanded`` say nothing about the debtor's mailbox: no event.

Which attempt it is about: the VERP address it was sent to (envelope recipient, or the report's
``To``/``Delivered-To``/``X-Original-To``), else the ``Original-Envelope-Id`` we sent as ENVID,
else the ``Message-ID`` in the returned headers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from service.mail.message import attempt_of_address, attempt_of_message_id

_STATUS = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})")
ADDRESS_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To")


class NotADsn(ValueError):
    """The message is no delivery status notification (or one we cannot read)."""


@dataclass(frozen=True)
class Notice:
    action: str
    status: str
    diagnostic: str | None
    arrival: dt.datetime | None
    last_attempt: dt.datetime | None
    envelope_id: str | None
    original_message_id: str | None
    addressed_to: tuple[str, ...]
    reporting_mta: str | None

    def event_status(self) -> str | None:
        """The delivery event this notice is, or ``None`` when it says nothing final."""
        if self.action == "delivered":
            return "delivered"
        if self.action == "delayed":
            return "temporary_failure"
        if self.action == "failed":
            return "permanent_failure" if self.status.startswith("5") else "temporary_failure"
        return None

    def moment(self, received_at: dt.datetime) -> dt.datetime:
        """When it happened: the last attempt, else arrival at the reporting MTA, else receipt."""
        return self.last_attempt or self.arrival or received_at

    def attempt_id(self, envelope_recipients: Iterable[str] = ()) -> str | None:
        for address in (*envelope_recipients, *self.addressed_to):
            found = attempt_of_address(address)
            if found:
                return found
        if self.envelope_id and re.fullmatch(r"[0-9a-fA-F-]{36}", self.envelope_id):
            return self.envelope_id.lower()
        if self.original_message_id:
            return attempt_of_message_id(self.original_message_id)
        return None


def read_dsn(raw: bytes) -> Notice:
    message = message_from_bytes(raw, policy=policy.compat32)
    if message.get_content_type() != "multipart/report":
        raise NotADsn(f"a {message.get_content_type()} message, not multipart/report")
    if str(message.get_param("report-type") or "").lower() != "delivery-status":
        raise NotADsn("a report that is not a delivery-status report")
    status_part = _part(message, ("message/delivery-status", "message/global-delivery-status"))
    if status_part is None:
        raise NotADsn("no message/delivery-status part")
    blocks = status_part.get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        raise NotADsn("a delivery-status part without a recipient block")
    per_message, recipient = blocks[0], blocks[1]
    if not isinstance(per_message, Message) or not isinstance(recipient, Message):
        raise NotADsn("a delivery-status part that is not header blocks")
    action = (recipient.get("Action") or "").strip().lower()
    status_field = recipient.get("Status") or ""
    matched = _STATUS.match(status_field)
    if not action or not matched:
        raise NotADsn("the recipient block has no Action or Status")
    return Notice(
        action=action,
        status=".".join(matched.groups()),
        diagnostic=_clean(recipient.get("Diagnostic-Code")),
        arrival=_date(per_message.get("Arrival-Date")),
        last_attempt=_date(recipient.get("Last-Attempt-Date")),
        envelope_id=_clean(per_message.get("Original-Envelope-Id")),
        original_message_id=_returned_message_id(message),
        addressed_to=tuple(
            address
            for header in ADDRESS_HEADERS
            for _, address in getaddresses(message.get_all(header, []))
            if address
        ),
        reporting_mta=_clean(per_message.get("Reporting-MTA")),
    )


def _part(message: Message, types: tuple[str, ...]) -> Message | None:
    for part in message.walk():
        if part.get_content_type() in types:
            return part
    return None


def _returned_message_id(message: Message) -> str | None:
    part = _part(message, ("text/rfc822-headers", "message/rfc822", "message/global"))
    if part is None:
        return None
    if part.get_content_type() == "text/rfc822-headers":
        text = part.get_payload(decode=True)
        headers = HeaderParser().parsestr(
            text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        )
    else:
        inner = part.get_payload()
        if not isinstance(inner, list) or not inner or not isinstance(inner[0], Message):
            return None
        return _clean(inner[0].get("Message-ID"))
    return _clean(headers.get("Message-ID"))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _date(value: object) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, origin unknown (RFC 5322 3.3)
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
