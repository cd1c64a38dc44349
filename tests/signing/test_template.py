"""The lean signing path (``signing.template``): the CMS it splices is byte for byte the one
pyHanko builds, and what it signs verifies."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest
import typst
from pyhanko.sign import signers

from service.rendering.typst.glyphs import FONTS_DIR
from service.signing import Pkcs12Signer, ensure_development_key, verify_pdf


@pytest.fixture(scope="module")
def dev_signer(tmp_path_factory: pytest.TempPathFactory) -> Pkcs12Signer:
    key = ensure_development_key(tmp_path_factory.mktemp("keys"))
    return Pkcs12Signer.load(key.path, key.passphrase)


def test_the_template_cms_is_the_cms_pyhanko_builds(dev_signer: Pkcs12Signer) -> None:
    lean = dev_signer._signer  # the cached-key signer with the template path
    for text in (b"one", b"two", b"three"):
        digest = hashlib.sha256(text).digest()
        spliced = asyncio.run(lean.async_sign(digest, "sha256", use_pades=True))
        built = asyncio.run(signers.SimpleSigner.async_sign(lean, digest, "sha256", use_pades=True))
        assert isinstance(spliced, bytes)
        assert spliced == built.dump()


def test_documents_signed_on_the_lean_path_verify(dev_signer: Pkcs12Signer, tmp_path: Path) -> None:
    source = tmp_path / "n.typ"
    for i in range(3):
        source.write_text(f"= Ескерту № {i}\n", encoding="utf-8")
        pdf = typst.compile(
            str(source),
            format="pdf",
            pdf_standards=["a-2b"],
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
        )
        assert isinstance(pdf, bytes)
        signed = dev_signer.sign(pdf, reason=f"reminder № {i}", location="Astana")
        report = verify_pdf(signed, trust_roots=[dev_signer.certificate_der])
        assert report.ok, report.problems
