"""Detached CMS (CAdES-BES) signatures over bytes: what an ASiC-E container's signature.p7s is."""

from __future__ import annotations

from asn1crypto import cms

from service.signing import Pkcs12Signer, in_memory_signer
from service.signing.cms import verify_detached


def test_a_detached_signature_verifies_over_its_data_only(signer: Pkcs12Signer) -> None:
    signature = signer.sign_detached(b"<manifest/>")
    info = cms.ContentInfo.load(signature)
    signed = info["content"]
    assert info["content_type"].native == "signed_data"
    assert signed["encap_content_info"]["content"].native is None  # detached
    attributes = {a["type"].native for a in signed["signer_infos"][0]["signed_attrs"]}
    assert "signing_certificate_v2" in attributes  # CAdES-BES
    roots = [signer.certificate_der]
    assert verify_detached(b"<manifest/>", signature, trust_roots=roots).ok
    changed = verify_detached(b"<manifest />", signature, trust_roots=roots)
    assert not changed.ok and not changed.intact
    assert "digest does not match" in changed.problems[0]


def test_an_unknown_signer_or_a_damaged_signature_is_reported_not_raised(
    signer: Pkcs12Signer,
) -> None:
    signature = signer.sign_detached(b"data")
    stranger = verify_detached(b"data", signature, trust_roots=[in_memory_signer().certificate_der])
    assert stranger.intact and stranger.valid and not stranger.trusted and not stranger.ok
    damaged = verify_detached(b"data", signature[:-40], trust_roots=[signer.certificate_der])
    assert not damaged.ok and damaged.problems[0].startswith("cannot validate")
