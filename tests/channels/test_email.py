"""The SMTP adapter against a real SMTP server on loopback (aiosmtpd): plain, STARTTLS with a
login, implicit TLS; what the server answered comes back; refusals are sorted into temporary
(4xx, no connection) and permanent (5xx)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from service.channels.email import SendFailed, SmtpConfig, SmtpMailer, is_address
from tests.mail.smtp import Mailbox, client_context, smtp_server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder / "cert.pem", folder / "key.pem", pem


def _server_context(certificate: tuple[Path, Path, bytes]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate[0], certificate[1])
    return context


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "notices@osi.example.kz"
    message["To"] = "debtor@example.kz"
    message["Subject"] = "Еске салу хат / Напоминание № 2026-00001"
    message["Message-ID"] = "<delivery.1@osi.example.kz>"
    message.set_content("Құрметті меншік иесі!")
    return message


def _send(config: SmtpConfig) -> Any:
    return SmtpMailer(config).send(
        _message(),
        envelope_from="bounces+1@osi.example.kz",
        recipient="debtor@example.kz",
        envelope_id="1",
    )


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield Mailbox()


def test_plain_smtp_delivers_the_bytes_and_returns_the_servers_answer(mailbox: Mailbox) -> None:
    with smtp_server(mailbox) as server:
        config = SmtpConfig("127.0.0.1", server.port, "notices@osi.example.kz", security="none")
        accepted = _send(config)
    assert (accepted.code, accepted.reply) == (250, "2.0.0 Ok: queued as Q1")
    assert accepted.dsn_requested is False  # aiosmtpd offers no DSN extension
    [received] = mailbox.received
    assert received.mail_from == "bounces+1@osi.example.kz"
    assert received.rcpt_tos == ("debtor@example.kz",)
    assert received.data == _message().as_bytes().replace(b"\n", b"\r\n")
    assert message_from_bytes(received.data)["Message-ID"] == "<delivery.1@osi.example.kz>"


def test_starttls_and_login(mailbox: Mailbox, certificate: tuple[Path, Path, bytes]) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret", handled=False)

    smtp: dict[str, Any] = {
        "tls_context": _server_context(certificate),
        "require_starttls": True,
        "authenticator": authenticator,
        "auth_require_tls": True,
    }
    with smtp_server(mailbox, **smtp) as server:
        good = SmtpConfig(
            "127.0.0.1",
            server.port,
            "notices@osi.example.kz",
            security="starttls",
            user="talap",
            password="s3cret",
            ssl_context=client_context(certificate[2]),
            timeout=10,
        )
        assert _send(good).code == 250
        bad = SmtpConfig(**{**good.__dict__, "password": "wrong"})
        with pytest.raises(SendFailed) as refused:
            _send(bad)
        untrusted = SmtpConfig(**{**good.__dict__, "ssl_context": ssl.create_default_context()})
        with pytest.raises(SendFailed) as unverified:
            _send(untrusted)
    # smtplib tries each mechanism the server offers before it gives up
    assert logins[0] == (b"talap", b"s3cret") and set(logins[1:]) == {(b"talap", b"wrong")}
    assert len(mailbox.received) == 1
    # a login refused is our configuration, not the debtor's mailbox: try again later
    assert refused.value.temporary and "login refused" in str(refused.value)
    assert unverified.value.temporary and unverified.value.code is None
    assert "s3cret" not in repr(good) and "s3cret" not in str(refused.value)


def test_implicit_tls(mailbox: Mailbox, certificate: tuple[Path, Path, bytes]) -> None:
    with smtp_server(mailbox, ssl_context=_server_context(certificate)) as server:
        config = SmtpConfig(
            "127.0.0.1",
            server.port,
            "notices@osi.example.kz",
            security="tls",
            ssl_context=client_context(certificate[2]),
        )
        assert _send(config).code == 250
    assert len(mailbox.received) == 1


@pytest.mark.parametrize(
    ("answer", "temporary", "code"),
    [("550 5.1.1 <debtor@example.kz>: no such user", False, 550), ("451 4.3.0 later", True, 451)],
)
def test_a_refused_recipient_says_whether_to_try_again(
    mailbox: Mailbox, answer: str, temporary: bool, code: int
) -> None:
    mailbox.refuse_rcpt = answer
    with smtp_server(mailbox) as server:
        config = SmtpConfig("127.0.0.1", server.port, "notices@osi.example.kz", security="none")
        with pytest.raises(SendFailed) as failed:
            _send(config)
    assert (failed.value.temporary, failed.value.code) == (temporary, code)
    assert str(failed.value) == answer
    assert mailbox.received == []


def test_no_server_is_a_temporary_failure() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = SmtpConfig("127.0.0.1", port, "notices@osi.example.kz", security="none", timeout=5)
    with pytest.raises(SendFailed) as failed:
        _send(config)
    assert failed.value.temporary and failed.value.code is None


def test_addresses() -> None:
    assert is_address("debtor@example.kz")
    for bad in (
        "debtor",
        "a b@example.kz",
        "Debtor <d@example.kz>",
        "d@localhost",
        "d@x.kz, e@y.kz",
    ):
        assert not is_address(bad), bad


def test_settings_build_the_mailer_and_fail_fast(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from service.bootstrap import build_mailer
    from service.settings import Settings

    assert build_mailer(Settings(data_dir=tmp_path)) is None
    with pytest.raises(ValidationError, match="TALAP_SMTP_FROM"):
        Settings(data_dir=tmp_path, smtp_host="mail.example.kz")
    settings = Settings(
        data_dir=tmp_path,
        smtp_host="mail.example.kz",
        smtp_from="notices@osi.example.kz",
        smtp_user="talap",
        smtp_password="s3cret",  # type: ignore[arg-type]
        smtp_security="tls",
    )
    mailer = build_mailer(settings)
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.config.port, mailer.config.password) == (465, "s3cret")
    assert "s3cret" not in repr(settings) and "s3cret" not in repr(mailer.config)
