"""The e-mail that carries a signed document, and the addresses that tie replies to an attempt
(pure: the standard library's ``email`` and the documents' names).

- The return path is per message (VERP): ``bounces+<attempt id>@<domain>``; a bounce sent to it
  names the attempt without reading its content.
- The Message-ID is made from the attempt when the sending is queued, and the message is built
  from stored facts only (date, boundary, bytes of the PDF), so a retry after a crash sends the
  very same message, with the same Message-ID, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from service.documents.wording import DOCUMENT_KINDS

VERP_LOCAL = "bounces"
_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_VERP = re.compile(rf"^{VERP_LOCAL}\+({_ID})@", re.IGNORECASE)
_MESSAGE_ID = re.compile(rf"^<?delivery\.({_ID})@[^>]+>?$", re.IGNORECASE)


def return_path(attempt_id: str, domain: str) -> str:
    return f"{VERP_LOCAL}+{attempt_id}@{domain}"


def message_id(attempt_id: str, domain: str) -> str:
    return f"<delivery.{attempt_id}@{domain}>"


def attempt_of_address(address: str) -> str | None:
    """The attempt a VERP return path names (``bounces+<id>@…``), or ``None``."""
    found = _VERP.match(address.strip().strip("<>"))
    return found.group(1).lower() if found else None


def attempt_of_message_id(value: str) -> str | None:
    found = _MESSAGE_ID.match(value.strip())
    return found.group(1).lower() if found else None


KINDS: dict[str, tuple[str, str]] = {
    kind: (name.kk, name.ru) for kind, name in DOCUMENT_KINDS.items()
}
"""Kazakh and Russian names of a document kind, as the documents and the SMS name them."""


@dataclass(frozen=True)
class Letter:
    """Everything the e-mail says; nothing is looked up while it is built."""

    attempt_id: str
    message_id: str
    date: dt.datetime
    sender: str
    recipient: str
    kind: str
    number: str
    issue_date: dt.date
    creditor_kk: str
    creditor_ru: str
    verify_url: str
    pdf: bytes


def subject(letter: Letter) -> str:
    kk, ru = KINDS.get(letter.kind, (letter.kind, letter.kind))
    return f"{kk} / {ru} № {letter.number}"


def body(letter: Letter) -> str:
    """Kazakh first, then Russian: who sends what, that it is attached, where to check it."""
    kk, ru = KINDS.get(letter.kind, (letter.kind, letter.kind))
    day = letter.issue_date.strftime("%d.%m.%Y")
    return (
        "Құрметті меншік иесі!\n"
        "\n"
        f"{letter.creditor_kk} Сізге {day} ж. № {letter.number} «{kk}» құжатын жолдайды. "
        "Электрондық цифрлық қолтаңбамен қол қойылған құжат осы хатқа PDF файл ретінде "
        "тіркелген.\n"
        f"Құжаттың түпнұсқалығын мына сілтеме бойынша тексеруге болады: {letter.verify_url}\n"
        "\n"
        "———\n"
        "\n"
        "Уважаемый собственник!\n"
        "\n"
        f"{letter.creditor_ru} направляет Вам документ «{ru}» № {letter.number} от {day}. "
        "Документ, подписанный электронной цифровой подписью, приложен к этому письму в "
        "формате PDF.\n"
        f"Проверить подлинность документа можно по ссылке: {letter.verify_url}\n"
    )


def attachment_name(letter: Letter) -> str:
    return f"{letter.kind}-{letter.number}.pdf"


def compose(letter: Letter) -> EmailMessage:
    """The message: text in both languages, the signed PDF attached unchanged."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = letter.sender
    message["To"] = Address(addr_spec=letter.recipient)
    message["Subject"] = subject(letter)
    message["Date"] = format_datetime(letter.date.astimezone(dt.UTC))
    message["Message-ID"] = letter.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it, please
    message.set_content(body(letter), subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_attachment(
        letter.pdf, maintype="application", subtype="pdf", filename=attachment_name(letter)
    )
    message.set_boundary(f"talap-{letter.attempt_id}")
    # Last: ``set_content`` drops every Content-* header, and turning the message multipart
    # moves them into the first part.
    message["Content-Language"] = "kk, ru"
    return message
