"""An in-memory ``Mailer`` for unit tests: keeps what it was asked to send, or fails as told.
The SMTP adapter itself is tested against a real server on loopback (tests/channels)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from service.channels.email import Accepted, SendFailed


@dataclass(frozen=True)
class Sent:
    message: EmailMessage
    envelope_from: str
    recipient: str
    envelope_id: str


@dataclass
class MemoryMailer:
    sender: str = "notices@osi.example.kz"
    sent: list[Sent] = field(default_factory=list)
    fail_with: SendFailed | None = None

    def send(
        self, message: EmailMessage, *, envelope_from: str, recipient: str, envelope_id: str
    ) -> Accepted:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(Sent(message, envelope_from, recipient, envelope_id))
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        return Accepted(250, f"2.0.0 Ok: queued as M{len(self.sent)}", False, data)
