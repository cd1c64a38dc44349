"""A PAdES CMS from a template: the lean signing path.

For our PAdES B-B signatures (no timestamp, no revocation attribute, no signing-time attribute:
PAdES puts the time in the signature dictionary's ``/M``) the CMS that pyHanko builds differs
from one document to the next in exactly two places: the document digest inside the
``messageDigest`` signed attribute, and the signature value. Everything else — the certificates,
the ``signingCertificateV2`` attribute, the algorithm identifiers — is the same bytes every time,
yet pyHanko re-encodes it with asn1crypto for each signature, which cost ≈ 85 % of a signature
(profiled: ``bench/all.py --profile``).

``CmsTemplate`` is made once from a CMS pyHanko built for a random digest: it finds the digest
and the signature value in that DER (each exactly once) and keeps the bytes around them. A new
signature is then the signed attributes with the new digest spliced in, signed with the key, and
spliced into the CMS. Only a fixed-length signature value keeps every DER length unchanged, so the
template serves RSA PKCS#1 v1.5 keys (deterministic: the template's CMS is byte for byte what
pyHanko would have made, which the tests check) and every other key keeps pyHanko's path.

Written here rather than taken from a library: no library offers a CMS template, and the splice
is 40 lines that the byte-equality test holds to pyHanko's own output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import cms

EXPECTED_ATTRIBUTES = ("content_type", "message_digest", "signing_certificate_v2")


@dataclass(frozen=True)
class CmsTemplate:
    attrs_head: bytes
    attrs_tail: bytes
    """The signed attributes (as the SET that is signed) around the document digest."""
    cms_head: bytes
    cms_middle: bytes
    cms_tail: bytes
    """The whole ``ContentInfo`` around the digest (head…middle) and the signature (…tail)."""
    digest_size: int
    signature_size: int

    def signed_attributes(self, digest: bytes) -> bytes:
        if len(digest) != self.digest_size:
            raise ValueError("a digest of another length than the template's")
        return self.attrs_head + digest + self.attrs_tail

    def content_info(self, digest: bytes, signature: bytes) -> bytes:
        if len(signature) != self.signature_size:
            raise ValueError("a signature of another length than the template's")
        return self.cms_head + digest + self.cms_middle + signature + self.cms_tail

    def sign(self, digest: bytes, sign_raw: Callable[[bytes], bytes]) -> bytes:
        """The DER ``ContentInfo`` for ``digest``; ``sign_raw`` signs the attributes."""
        return self.content_info(digest, sign_raw(self.signed_attributes(digest)))


def template_of(reference: cms.ContentInfo, digest: bytes) -> CmsTemplate | None:
    """The template of ``reference`` (a PAdES CMS made for ``digest``), or ``None`` when it is
    not the plain shape the template reproduces (other attributes, unsigned attributes, several
    signers): then pyHanko signs every time."""
    signed_data = reference["content"]
    if len(signed_data["signer_infos"]) != 1:
        return None
    signer_info = signed_data["signer_infos"][0]
    attributes = signer_info["signed_attrs"]
    names = tuple(a["type"].native for a in attributes)
    if names != EXPECTED_ATTRIBUTES or signer_info["unsigned_attrs"].native is not None:
        return None
    signature = signer_info["signature"].native
    tagged = attributes.dump()  # [0] IMPLICIT in the SignerInfo; what is signed is the SET
    attrs_set = b"\x31" + tagged[1:]
    whole = reference.dump()
    if attrs_set.count(digest) != 1 or whole.count(digest) != 1 or whole.count(signature) != 1:
        return None
    at = attrs_set.index(digest)
    digest_at, signature_at = whole.index(digest), whole.index(signature)
    if signature_at < digest_at:
        return None
    end = signature_at + len(signature)
    return CmsTemplate(
        attrs_head=attrs_set[:at],
        attrs_tail=attrs_set[at + len(digest) :],
        cms_head=whole[:digest_at],
        cms_middle=whole[digest_at + len(digest) : signature_at],
        cms_tail=whole[end:],
        digest_size=len(digest),
        signature_size=len(signature),
    )
