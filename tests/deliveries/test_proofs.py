"""Proof files: type read from the bytes (not the declared type), a safe base name."""

from __future__ import annotations

import pytest

from service.deliveries.proofs import safe_name, sniff

MAIL = (
    b"Return-Path: <>\r\nReceived: from mx.example.kz\r\nFrom: MAILER-DAEMON@example.kz\r\n"
    b"Subject: Delivery Status Notification\r\n  (Success)\r\nDate: Wed, 25 Nov 2026 10:00:00 "
    b"+0500\r\n\r\nYour message was delivered.\r\n"
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"II*\x00\x08\x00", "image/tiff"),
        (b"MM\x00*\x00\x00", "image/tiff"),
        (MAIL, "message/rfc822"),
    ],
)
def test_accepted_kinds_are_read_from_the_content(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 a Windows program",
        b"<html><script>alert(1)</script></html>",
        b"GIF89a",
        b"Subject: only one header\r\n\r\nbody",
        b"not a header line\r\nFrom: x\r\n\r\n",
        b"",
    ],
)
def test_anything_else_is_not_accepted(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("receipt.pdf", "receipt.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\скан квитанции.jpg", "скан квитанции.jpg"),
        ("..hidden", "hidden"),
        ("a\x00b<c>|d.png", "ab_c_d.png"),
        ("", "proof"),
        ("/", "proof"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_names_are_reduced_to_a_safe_base_name(given: str, kept: str) -> None:
    assert safe_name(given) == kept
