"""E-mail tests run against a real SMTP server on loopback: the wiring's mailer points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.bootstrap import Wiring, build_wiring
from service.channels.email import SmtpConfig, SmtpMailer
from service.clock import FixedClock
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer
from tests.mail.smtp import LoopbackController, Mailbox, smtp_server

SENDER = "ОСИ «Самал» <notices@osi.example.kz>"


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def mx(mailbox: Mailbox) -> Iterator[LoopbackController]:
    with smtp_server(mailbox) as server:
        yield server


@pytest.fixture
def wiring(
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    renderer: TypstRenderer,
    signer: Pkcs12Signer,
    mx: LoopbackController,
) -> Iterator[Wiring]:
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", mx.port, SENDER, security="none", timeout=10))
    built = build_wiring(
        settings, clock=clock, law=law, renderer=renderer, signer=signer, mailer=mailer
    )
    yield built
    built.close()
