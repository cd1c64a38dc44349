"""The pure parts of SMS: signatures, segments, the message, phone numbers, report mapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service.errors import ValidationFailed
from service.kit import signatures
from service.sms.message import MAX_SEGMENTS, Notice, compose
from service.sms.phone import e164
from service.sms.reports import read_report
from service.sms.segments import count_segments

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
SECRET = "s3cret-for-the-gateway"


def test_a_signature_verifies_and_any_change_refuses_it() -> None:
    body = b'{"status": "DELIVRD"}'
    headers = signatures.sign(SECRET, body, NOW)
    ts, sig = headers["Talap-Timestamp"], headers["Talap-Signature"]
    verified = signatures.verify((SECRET,), body, ts, sig, NOW)
    assert sig == f"v1={verified.signature}"
    for changed in (
        (("other-secret-0000",), body, ts, sig),
        ((SECRET,), body + b" ", ts, sig),
        ((SECRET,), body, str(int(ts) + 1), sig),
        ((SECRET,), body, ts, None),
        ((SECRET,), body, ts, "v0=" + verified.signature),
        ((SECRET,), body, ts, "v1=é" + verified.signature[2:]),
    ):
        with pytest.raises(signatures.SignatureRefused):
            signatures.verify(*changed, NOW)


def test_a_rotated_secret_and_several_signatures_are_accepted() -> None:
    body = b"{}"
    new = signatures.sign("new-secret-0000000", body, NOW)["Talap-Signature"]
    old = signatures.sign(SECRET, body, NOW)["Talap-Signature"]
    header = f"{new}, {old}"
    ts = str(int(NOW.timestamp()))
    assert signatures.verify((SECRET,), body, ts, header, NOW).signature == old[3:]


@pytest.mark.parametrize("skew", [dt.timedelta(minutes=-5, seconds=-1), dt.timedelta(minutes=6)])
def test_a_timestamp_outside_five_minutes_is_refused(skew: dt.timedelta) -> None:
    headers = signatures.sign(SECRET, b"{}", NOW + skew)
    with pytest.raises(signatures.SignatureRefused, match="300 s"):
        signatures.verify(
            (SECRET,), b"{}", headers["Talap-Timestamp"], headers["Talap-Signature"], NOW
        )
    inside = signatures.sign(SECRET, b"{}", NOW + dt.timedelta(minutes=4, seconds=59))
    signatures.verify((SECRET,), b"{}", inside["Talap-Timestamp"], inside["Talap-Signature"], NOW)


def test_segments_gsm7_and_ucs2() -> None:
    assert count_segments("a" * 160).count == 1
    assert count_segments("a" * 161).count == 2
    assert count_segments("a" * 306).count == 2
    assert count_segments("a" * 307).count == 3
    assert count_segments("[" * 80).units == 160  # extension characters count twice
    kazakh = count_segments("қ" * 70)
    assert (kazakh.encoding, kazakh.count) == ("UCS-2", 1)
    assert count_segments("қ" * 71).count == 2
    assert count_segments("қ" * 134).count == 2
    assert count_segments("қ" * 135).count == 3
    assert count_segments("Привет").encoding == "UCS-2"


def _notice(language: str, debtor_language: str = "kk") -> Notice:
    return Notice(
        kind="reminder",
        number="2026-00007",
        language=language,
        debtor_language=debtor_language,
        amount=Decimal("74256.00"),
        issue_date=dt.date(2026, 11, 24),
        deadline=dt.date(2026, 12, 4),
        verify_url="https://talap.example.kz/verify/" + "A" * 32,
        creditor={
            "kk": "«Көктем-3» мүлік иелерінің бірлестігі",
            "ru": "Объединение собственников имущества «Көктем-3»",
        },
    )


def test_the_kazakh_message_says_amount_term_and_link_within_the_segment_budget() -> None:
    sms = compose(_notice("kk"))
    assert sms.language == "kk"
    assert sms.segments.encoding == "UCS-2"
    assert sms.segments.count <= MAX_SEGMENTS
    assert "Еске салу хат № 2026-00007" in sms.text
    assert "74 256 тг" in sms.text
    assert "10 күнтізбелік күн ішінде төлеңіз" in sms.text
    assert sms.text.endswith("https://talap.example.kz/verify/" + "A" * 32)


def test_the_russian_message_and_a_bilingual_document_for_a_russian_speaker() -> None:
    sms = compose(_notice("ru", debtor_language="ru"))
    assert sms.language == "ru"
    assert "Напоминание № 2026-00007: задолженность 74 256 тг" in sms.text
    assert "в течение 10 календарных дней со дня получения" in sms.text
    bilingual = compose(_notice("bilingual", debtor_language="ru"))
    # both languages would take 4 segments: the debtor's language is sent alone
    assert bilingual.language == "ru"
    assert bilingual.segments.count <= MAX_SEGMENTS


def test_a_russian_document_for_a_kazakh_speaker_gets_a_kazakh_sms() -> None:
    assert compose(_notice("ru", debtor_language="kk")).language == "kk"


def test_a_short_bilingual_message_puts_kazakh_first() -> None:
    notice = _notice("bilingual")
    short = Notice(**{**notice.__dict__, "verify_url": "https://t.kz/v/x", "deadline": None})
    sms = compose(short)
    assert sms.language == "bilingual"
    kk, ru = sms.text.split("\n")
    assert kk.startswith("Еске салу хат") and ru.startswith("Напоминание")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("+7 701 555 12 34", "+77015551234"),
        ("8 (701) 555-12-34", "+77015551234"),
        ("+996 555 123 456", "+996555123456"),
        ("+7 701 555", None),
        ("call me", None),
        ("", None),
    ],
)
def test_phone_numbers(given: str, expected: str | None) -> None:
    assert e164(given) == expected


def test_reports_map_the_gateway_vocabulary() -> None:
    assert read_report(b'{"message_id": "m1", "status": "DELIVRD"}').status == "delivered"
    assert read_report(b'{"message_id": "m1", "status": "UNDELIV"}').status == ("permanent_failure")
    assert read_report(b'{"reference": "r", "status": "ACCEPTD"}').status == "sent"
    assert read_report(b'{"message_id": 7, "status": "delivered"}').message_id == "7"
    report = read_report(b'{"message_id": "m", "status": "EXPIRED", "at": "2026-11-24T10:00Z"}')
    assert report.at == dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def test_a_report_with_every_problem_names_every_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        read_report(b'{"status": "LOST", "at": "yesterday"}')
    assert {e.path for e in refused.value.errors} == {"message_id", "status", "at"}
    with pytest.raises(ValidationFailed):
        read_report(b"not json")
