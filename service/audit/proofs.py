"""Signed checkpoints of a creditor's audit tree, inclusion proofs, and their JSON forms.

A checkpoint says "the log of this creditor had N events and this root at this time", in the
text of a C2SP checkpoint (the signed-note body transparency logs publish: origin, size, base64
root; the time as an extension line), signed with the service's key. Its JSON form carries the
signer certificate, so ``check_checkpoint_json`` verifies it with nothing else at hand; a
verifier who knows whom to trust passes ``trust_roots``.

The evidence pack puts ``Checkpoint.to_json()`` and ``InclusionProof.to_json()`` in its manifest;
anyone can then check an event's bytes → its leaf hash → the inclusion proof → the signed root.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from service.audit import merkle
from service.signing import algorithm_of, is_development_subject, issued_by_any, verify_data

ORIGIN_PREFIX = "talap/audit/"
CHECKPOINT_FORMAT = "talap-checkpoint/1"
INCLUSION_FORMAT = "talap-inclusion/1"
CONSISTENCY_FORMAT = "talap-consistency/1"
GLOBAL_LOG = "global"
"""The log of events that belong to no creditor (unbound admin keys), as ``audit_chain_heads``."""


def origin(chain: str) -> str:
    """The checkpoint's first line: which log it is about."""
    return ORIGIN_PREFIX + chain


def _stamp(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("a naive time: checkpoints are stamped in UTC")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_stamp(value: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError("created_at has no time zone")
    return at.astimezone(dt.UTC)


def checkpoint_text(chain: str, tree_size: int, root: bytes, at: dt.datetime) -> str:
    """The signed text: origin, tree size, base64 root hash, then ``time <UTC>``; each line
    ends with a newline (C2SP tlog-checkpoint, one extension line)."""
    return "".join(
        f"{line}\n"
        for line in (
            origin(chain),
            str(tree_size),
            base64.b64encode(root).decode(),
            f"time {_stamp(at)}",
        )
    )


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of one log's size and root at a moment."""

    chain: str
    """The creditor id, or ``GLOBAL_LOG``."""
    tree_size: int
    root: str
    """The tree's root hash, hex."""
    at: dt.datetime
    signature: bytes
    certificate: bytes
    """The signer's certificate, DER."""
    id: int | None = None

    @property
    def creditor_id(self) -> str | None:
        return None if self.chain == GLOBAL_LOG else self.chain

    @property
    def root_bytes(self) -> bytes:
        return bytes.fromhex(self.root)

    def note(self) -> str:
        return checkpoint_text(self.chain, self.tree_size, self.root_bytes, self.at)

    def signature_problem(self, trust_roots: Sequence[bytes] | None = None) -> str | None:
        """None if the signature over ``note()`` verifies with the certificate (and, given
        ``trust_roots``, the certificate is one of them or issued by one)."""
        problem = verify_data(self.certificate, self.note().encode(), self.signature)
        if problem:
            return problem
        if trust_roots is not None and not issued_by_any(self.certificate, list(trust_roots)):
            return (
                "the signer certificate is not trusted (neither the service's key nor issued "
                "by a configured trust root)"
            )
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "origin": origin(self.chain),
            "creditor_id": self.creditor_id,
            "tree_size": self.tree_size,
            "root_hash": self.root,
            "created_at": _stamp(self.at),
            "note": self.note(),
            "signature": base64.b64encode(self.signature).decode(),
            "signature_algorithm": algorithm_of(self.certificate),
            "certificate": base64.b64encode(self.certificate).decode(),
            "development_key": _development(self.certificate),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Read a checkpoint's JSON form back; ``ValueError`` says what is malformed."""
        try:
            if data.get("format") != CHECKPOINT_FORMAT:
                raise ValueError(f"not a {CHECKPOINT_FORMAT} checkpoint")
            found = str(data["origin"])
            if not found.startswith(ORIGIN_PREFIX):
                raise ValueError(f"origin {found!r} is not a Talap audit log")
            root = str(data["root_hash"])
            if len(bytes.fromhex(root)) != merkle.HASH_SIZE:
                raise ValueError("root_hash is not a SHA-256 hash")
            size = data["tree_size"]
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise ValueError("tree_size is not a count")
            return cls(
                chain=found.removeprefix(ORIGIN_PREFIX),
                tree_size=size,
                root=root.lower(),
                at=_parse_stamp(str(data["created_at"])),
                signature=base64.b64decode(str(data["signature"]), validate=True),
                certificate=base64.b64decode(str(data["certificate"]), validate=True),
            )
        except KeyError as missing:
            raise ValueError(f"the checkpoint has no {missing.args[0]}") from None
        except (binascii.Error, TypeError) as error:
            raise ValueError(f"the checkpoint is malformed: {error}") from None


def _development(certificate: bytes) -> bool:
    try:
        subject = x509.load_der_x509_certificate(certificate).subject.rfc4514_string()
    except ValueError:
        return False
    return is_development_subject(subject)


@dataclass(frozen=True)
class CheckpointCheck:
    ok: bool
    problems: tuple[str, ...]
    checkpoint: Checkpoint | None


def check_checkpoint_json(
    data: Mapping[str, Any], trust_roots: Sequence[bytes] | None = None
) -> CheckpointCheck:
    """Verify a checkpoint from its JSON form alone: well formed, its ``text`` the one its fields
    make, and signed by the certificate it carries (trusted, when ``trust_roots`` are given)."""
    try:
        checkpoint = Checkpoint.from_json(data)
    except ValueError as error:
        return CheckpointCheck(False, (str(error),), None)
    problems = []
    if "note" in data and data["note"] != checkpoint.note():
        problems.append("the checkpoint's note is not the one its fields make")
    signature = checkpoint.signature_problem(trust_roots)
    if signature:
        problems.append(signature)
    return CheckpointCheck(not problems, tuple(problems), checkpoint)


@dataclass(frozen=True)
class InclusionProof:
    """That one event is leaf ``leaf_index`` of the tree of ``tree_size`` leaves (§2.1.3)."""

    event_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    """Hex: SHA-256(0x00 || ``leaf_data``)."""
    path: tuple[str, ...]
    """Hex sibling hashes, leaf up."""
    leaf_data: bytes = b""
    """The event's canonical bytes (what its chain hash covers): ids, numbers, hashes, dates."""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": INCLUSION_FORMAT,
            "event_id": self.event_id,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash,
            "path": list(self.path),
            "leaf_data": self.leaf_data.decode(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InclusionProof:
        try:
            if data.get("format") != INCLUSION_FORMAT:
                raise ValueError(f"not a {INCLUSION_FORMAT} proof")
            path = data["path"]
            if not isinstance(path, list):
                raise ValueError("path is not a list")
            return cls(
                event_id=int(data["event_id"]),
                leaf_index=int(data["leaf_index"]),
                tree_size=int(data["tree_size"]),
                leaf_hash=str(data["leaf_hash"]).lower(),
                path=tuple(str(p).lower() for p in path),
                leaf_data=str(data.get("leaf_data", "")).encode(),
            )
        except KeyError as missing:
            raise ValueError(f"the proof has no {missing.args[0]}") from None


def _hash(value: str | bytes) -> bytes | None:
    if isinstance(value, bytes):
        return value
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def verify_inclusion(proof: InclusionProof, leaf_hash: str | bytes, root: str | bytes) -> bool:
    """Whether ``proof`` leads from ``leaf_hash`` to ``root`` (hex or bytes) at its index and
    size. The leaf hash is the caller's (recomputed from the event), not the proof's."""
    leaf, top = _hash(leaf_hash), _hash(root)
    path = [_hash(p) for p in proof.path]
    if leaf is None or top is None or any(p is None for p in path):
        return False
    return merkle.verify_inclusion(
        proof.leaf_index, proof.tree_size, leaf, [p for p in path if p is not None], top
    )


def leaf_hash_hex(leaf_data: bytes) -> str:
    return merkle.leaf_hash(leaf_data).hex()


@dataclass(frozen=True)
class ConsistencyProof:
    """That the tree of ``first_size`` leaves is a prefix of the tree of ``second_size`` (§2.1.4):
    checked against the roots of two signed checkpoints, it shows nothing signed was rewritten."""

    first_size: int
    second_size: int
    path: tuple[str, ...]
    """Hex hashes, as RFC 9162 PROOF lists them."""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CONSISTENCY_FORMAT,
            "first_size": self.first_size,
            "second_size": self.second_size,
            "path": list(self.path),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConsistencyProof:
        try:
            if data.get("format") != CONSISTENCY_FORMAT:
                raise ValueError(f"not a {CONSISTENCY_FORMAT} proof")
            path = data["path"]
            if not isinstance(path, list):
                raise ValueError("path is not a list")
            return cls(
                int(data["first_size"]),
                int(data["second_size"]),
                tuple(str(p).lower() for p in path),
            )
        except KeyError as missing:
            raise ValueError(f"the proof has no {missing.args[0]}") from None


def verify_consistency(
    proof: ConsistencyProof, first_root: str | bytes, second_root: str | bytes
) -> bool:
    """Whether ``proof`` links the two roots (hex or bytes) at its two sizes."""
    first, second = _hash(first_root), _hash(second_root)
    path = [_hash(p) for p in proof.path]
    if first is None or second is None or any(p is None for p in path):
        return False
    return merkle.verify_consistency(
        proof.first_size, proof.second_size, first, second, [p for p in path if p is not None]
    )
