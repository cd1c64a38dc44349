"""PAdES signing and offline verification on a real Typst PDF/A, with a generated PKI.

Keys: the development key (``ensure_development_key``) and a small CA → leaf chain, packed as
PKCS#12 like NCA RK issues them. Tampering is done on the bytes, as an attacker or a bad disk would.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import typst
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    pkcs12,
)
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter

from service.rendering.typst.glyphs import FONTS_DIR
from service.signing import (
    Coverage,
    Pkcs12Signer,
    SignatureReport,
    SigningFailed,
    SigningKeyError,
    ensure_development_key,
    verify_pdf,
)

FONTS = str(FONTS_DIR)  # the bundled fonts: the product never reads system fonts
PASSPHRASE = b"correct horse"
NOTICE = """#set document(title: "Ескерту", author: "Talap")
#set text(font: "DejaVu Serif", lang: "kk")
= Ескерту / Напоминание
Қарыз сомасы: 58 648,00 теңге. Сумма долга: 58 648,00 тенге.
"""


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    source = tmp_path_factory.mktemp("typst") / "notice.typ"
    source.write_text(NOTICE, encoding="utf-8")
    pdf = typst.compile(
        str(source),
        format="pdf",
        pdf_standards=["a-2b"],
        font_paths=[FONTS],
        ignore_system_fonts=True,
    )
    assert isinstance(pdf, bytes)
    return pdf


@pytest.fixture(scope="module")
def dev_signer(tmp_path_factory: pytest.TempPathFactory) -> Pkcs12Signer:
    key = ensure_development_key(tmp_path_factory.mktemp("keys"))
    return Pkcs12Signer.load(key.path, key.passphrase)


@pytest.fixture(scope="module")
def signed(notice: bytes, dev_signer: Pkcs12Signer) -> bytes:
    return dev_signer.sign(notice, reason="reminder № 2026-00001", location="Astana")


@dataclass(frozen=True)
class Pki:
    root_der: bytes
    p12: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test OSI"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )


def _certificate(
    subject: str, key: rsa.RSAPrivateKey, issuer: str, issuer_key: rsa.RSAPrivateKey, ca: bool
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def make_pki(directory: Path) -> Pki:
    """A root CA and a leaf signing certificate; the PKCS#12 holds the leaf key and the chain."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _certificate("Test Root CA", root_key, "Test Root CA", root_key, ca=True)
    leaf = _certificate("Chairman of Test OSI", leaf_key, "Test Root CA", root_key, ca=False)
    p12 = directory / "leaf.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"leaf", leaf_key, leaf, [root], BestAvailableEncryption(PASSPHRASE)
        )
    )
    return Pki(root.public_bytes(Encoding.DER), p12)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def byte_range(pdf: bytes) -> list[int]:
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    return [int(x) for x in found[-1]]


def flipped(pdf: bytes, position: int) -> bytes:
    data = bytearray(pdf)
    data[position] ^= 0x01
    return bytes(data)


def hex_changed(pdf: bytes, position: int) -> bytes:
    """Change one hex digit of /Contents to another valid hex digit."""
    data = bytearray(pdf)
    data[position] = ord("1") if data[position] != ord("1") else ord("2")
    return bytes(data)


def assert_clean(report: SignatureReport) -> None:
    assert report.signed and report.intact and report.valid and report.trusted, report
    assert report.coverage is Coverage.ENTIRE_FILE
    assert not report.modified_after_signing
    assert report.problems == ()
    assert report.ok


# --- development key -----------------------------------------------------------------------


def test_development_key_is_generated_once_private_and_marked(tmp_path: Path) -> None:
    first = ensure_development_key(tmp_path / "keys")
    content = first.path.read_bytes()
    second = ensure_development_key(tmp_path / "keys")
    assert second == first
    assert first.path.read_bytes() == content
    for name in ("dev-signing.p12", "dev-signing.pass"):
        assert stat.S_IMODE(os.stat(tmp_path / "keys" / name).st_mode) == 0o600
    signer = Pkcs12Signer.load(first.path, first.passphrase)
    assert signer.is_development
    assert "DEVELOPMENT KEY - NOT FOR LEGAL USE" in signer.subject
    assert "O=Talap development" in signer.subject
    assert not [p for p in (tmp_path / "keys").iterdir() if p.name.endswith(".tmp")]


def test_development_key_generated_by_racing_threads_is_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: ensure_development_key(tmp_path), range(8)))
    assert len(set(keys)) == 1


def test_development_key_without_its_passphrase_file_is_refused(tmp_path: Path) -> None:
    key = ensure_development_key(tmp_path)
    (tmp_path / "dev-signing.pass").unlink()
    with pytest.raises(SigningKeyError, match="passphrase"):
        ensure_development_key(tmp_path)
    assert key.path.exists()  # never silently replaced


# --- signing ---------------------------------------------------------------------------------


def test_signed_notice_verifies_and_says_it_is_development_signed(
    notice: bytes, signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    report = verify_pdf(signed, trust_roots=[dev_signer.certificate_der])
    assert_clean(report)
    assert report.development_key
    assert report.signer_subject == dev_signer.subject
    assert report.signing_time is not None and report.signing_time.tzinfo is not None


def test_signature_is_an_incremental_pades_update_that_keeps_the_pdfa_claim(
    notice: bytes, signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    assert signed.startswith(notice)  # the rendered bytes are untouched
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "reminder № 2026-00001"
    assert signature.sig_object["/Location"] == "Astana"
    assert signature.md_algorithm == "sha256"
    reader = PdfReader(io.BytesIO(signed))
    xmp = reader.xmp_metadata  # pyHanko writes a new XMP stream but keeps the PDF/A claim
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    assert "/StructTreeRoot" in reader.root_object  # tags kept
    # The reserved size was used as given: no dummy signature to estimate it.
    start, length, resume, _ = byte_range(signed)
    assert resume - (start + length) == dev_signer.bytes_reserved + 2  # "<" hex ">"


def test_leaf_from_a_ca_chains_to_the_root_and_only_to_it(
    notice: bytes, pki: Pki, tmp_path: Path
) -> None:
    signer = Pkcs12Signer.load(pki.p12, PASSPHRASE)
    assert not signer.is_development
    assert "CN=Chairman of Test OSI" in signer.subject
    pdf = signer.sign(notice, reason="pretrial № 2026-00007", location="Almaty")

    assert_clean(verify_pdf(pdf, trust_roots=[pki.root_der]))

    stranger = make_pki(tmp_path)
    report = verify_pdf(pdf, trust_roots=[stranger.root_der])
    assert report.intact and report.valid and not report.trusted
    assert not report.ok
    assert any("does not chain to a trusted root" in p for p in report.problems)


def test_reserved_size_grows_with_the_certificate_chain_and_fits(
    notice: bytes, pki: Pki, dev_signer: Pkcs12Signer, tmp_path: Path
) -> None:
    """NCA chains are longer than our test chain: the reservation is computed from the chain."""
    assert dev_signer.bytes_reserved == 8192  # the floor: one self-signed certificate
    short = Pkcs12Signer.load(pki.p12, PASSPHRASE)
    assert short.bytes_reserved > dev_signer.bytes_reserved  # leaf + root
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _certificate("Chairman", key, "Intermediate 0", key, ca=False)
    chain = [_certificate(f"Intermediate {i}", key, "Root", key, ca=True) for i in range(8)]
    p12 = tmp_path / "long-chain.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"x", key, leaf, chain, NoEncryption()))
    long = Pkcs12Signer.load(p12, None)
    assert long.bytes_reserved > short.bytes_reserved
    pdf = long.sign(notice, reason="r", location="l")  # pyHanko raises if the CMS does not fit
    report = verify_pdf(pdf, trust_roots=[])
    assert report.intact and report.valid and not report.trusted


def test_concurrent_signatures_from_worker_threads_all_verify(
    notice: bytes, dev_signer: Pkcs12Signer
) -> None:
    barrier = threading.Barrier(8)

    def sign(index: int) -> bytes:
        barrier.wait()
        return dev_signer.sign(notice, reason=f"reminder № {index}", location="Astana")

    with ThreadPoolExecutor(8) as pool:
        outputs = list(pool.map(sign, range(16)))
    for index, pdf in enumerate(outputs):
        report = verify_pdf(pdf, trust_roots=[dev_signer.certificate_der])
        assert report.ok, (index, report.problems)


def test_wrong_passphrase_or_not_pkcs12_is_a_clear_key_error(pki: Pki, tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match="wrong passphrase"):
        Pkcs12Signer.load(pki.p12, b"wrong")
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a pkcs12")
    with pytest.raises(SigningKeyError, match=r"junk\.p12"):
        Pkcs12Signer.load(junk, PASSPHRASE)
    with pytest.raises(SigningKeyError, match="cannot read"):
        Pkcs12Signer.load(tmp_path / "missing.p12", PASSPHRASE)


def test_signing_something_that_is_not_a_pdf_fails_cleanly(dev_signer: Pkcs12Signer) -> None:
    with pytest.raises(SigningFailed):
        dev_signer.sign(b"not a pdf", reason="x", location="y")


# --- tampering -------------------------------------------------------------------------------


def test_one_byte_changed_inside_the_signed_range_breaks_the_digest(
    notice: bytes, signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    report = verify_pdf(flipped(signed, len(notice) // 3), trust_roots=[dev_signer.certificate_der])
    assert report.signed and not report.intact and not report.ok
    assert any(
        "the signed bytes were changed after signing: the document digest does not match" in p
        for p in report.problems
    ), report.problems


def test_one_hex_digit_changed_in_the_signature_value_is_a_broken_signature(
    signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    _, length, resume, _ = byte_range(signed)
    cms_hex = signed[length + 1 : resume - 1].rstrip(b"0")
    position = length + 1 + len(cms_hex) - 10  # the RSA signature value closes the CMS
    report = verify_pdf(hex_changed(signed, position), trust_roots=[dev_signer.certificate_der])
    assert report.signed and report.intact and not report.valid and not report.ok
    assert any("is broken" in p for p in report.problems), report.problems


def test_damaged_signature_container_is_reported_not_raised(
    signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    _, length, _, _ = byte_range(signed)
    for offset in (100, 1000):  # inside the CMS structure (certificate, attributes)
        report = verify_pdf(
            hex_changed(signed, length + 1 + offset), trust_roots=[dev_signer.certificate_der]
        )
        assert not report.ok and not report.valid
        assert report.problems


@pytest.mark.parametrize("how", ["garbage", "pypdf incremental update"])
def test_bytes_after_the_signature_mean_modified_after_signing(
    signed: bytes, dev_signer: Pkcs12Signer, how: str
) -> None:
    if how == "garbage":
        pdf = signed + b"\n% appended later\n"
    else:
        writer = PdfWriter(io.BytesIO(signed), incremental=True)
        writer.add_metadata({"/Subject": "delivered"})
        output = io.BytesIO()
        writer.write(output)
        pdf = output.getvalue()
    report = verify_pdf(pdf, trust_roots=[dev_signer.certificate_der])
    assert report.intact and report.valid  # the signed bytes themselves are fine …
    assert report.coverage is Coverage.ENTIRE_REVISION  # … but they are not the whole file
    assert report.modified_after_signing and not report.ok
    (problem,) = report.problems
    assert problem.startswith("bytes were appended after the signature (incremental update)")
    assert f"first {len(signed)} of {len(pdf)} bytes" in problem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a PDF: it is empty"),
        (b"PK\x03\x04 a zip file", "not a PDF: it does not start with %PDF-"),
        (b"%PDF-1.7\n1 0 obj garbage", "the PDF cannot be parsed"),
    ],
)
def test_non_pdfs_are_reported_not_raised(data: bytes, message: str) -> None:
    report = verify_pdf(data, trust_roots=[])
    assert not report.signed and not report.ok
    assert any(message in p for p in report.problems), report.problems


def test_truncated_and_unsigned_pdfs_are_reported(notice: bytes, signed: bytes) -> None:
    for cut in (len(signed) // 2, len(signed) - 30):
        report = verify_pdf(signed[:cut], trust_roots=[])
        assert not report.ok and report.problems
    report = verify_pdf(notice, trust_roots=[])
    assert report.problems == ("the PDF has no signature",)
    assert not report.signed and report.coverage is None


def test_a_byte_flipped_anywhere_is_reported_never_raised(
    signed: bytes, dev_signer: Pkcs12Signer
) -> None:
    _, length, resume, _ = byte_range(signed)
    step = max(1, len(signed) // 80)
    for position in range(0, len(signed), step):
        report = verify_pdf(flipped(signed, position), trust_roots=[dev_signer.certificate_der])
        assert isinstance(report, SignatureReport)
        if position < length or position >= resume:  # inside the signed byte range
            assert not report.ok and report.problems, position
