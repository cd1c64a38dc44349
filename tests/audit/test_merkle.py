"""The RFC 9162 tree: known vectors from Certificate Transparency, a literal transcription of the
RFC's recursive definitions, and every proof of small trees verified (and tampered with)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest

from service.audit.merkle import (
    EMPTY_ROOT,
    Tree,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

# The RFC 6962 test vectors of Certificate Transparency, as transparency-dev/merkle keeps them
# (proof/verify_test.go): eight leaves, the roots of their prefixes, some proofs.
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243",
          "5051525354555657", "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf number counted from 1, tree size, proof)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY = [  # (size1, size2, proof)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")

TREE = Tree([leaf_hash(d) for d in LEAVES])


def _h(values: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


# --- the RFC, transcribed literally (§2.1.1, §2.1.3.1, §2.1.4.1) ----------------------------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: Sequence[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = _k(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


# --- known vectors ---------------------------------------------------------------------------


def test_hashing_is_rfc_9162() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert (
        Tree([]).root()
        == EMPTY_ROOT
        == bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    )


def test_roots_of_every_prefix_match_the_ct_vectors() -> None:
    assert [TREE.root(size).hex() for size in range(1, 9)] == ROOTS


@pytest.mark.parametrize(("leaf", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_the_ct_vectors(leaf: int, size: int, proof: list[str]) -> None:
    assert TREE.inclusion_proof(leaf - 1, size) == _h(proof)
    root = bytes.fromhex(ROOTS[size - 1])
    assert verify_inclusion(leaf - 1, size, TREE.leaf(leaf - 1), _h(proof), root)


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_ct_vectors(size1: int, size2: int, proof: list[str]) -> None:
    assert TREE.consistency_proof(size1, size2) == _h(proof)
    root1, root2 = bytes.fromhex(ROOTS[size1 - 1]), bytes.fromhex(ROOTS[size2 - 1])
    assert verify_consistency(size1, size2, root1, root2, _h(proof))


@pytest.mark.parametrize(("leaf", "size", "proof"), INCLUSION)
def test_a_tampered_inclusion_proof_fails(leaf: int, size: int, proof: list[str]) -> None:
    """The probes of transparency-dev's ``corruptInclusionProof``."""
    index, good, root, hashed = (
        leaf - 1,
        _h(proof),
        bytes.fromhex(ROOTS[size - 1]),
        TREE.leaf(leaf - 1),
    )
    probes = [
        (index - 1, size, root, hashed, good),
        (index + 1, size, root, hashed, good),
        (index ^ 2, size, root, hashed, good),
        (index, size * 2, root, hashed, good),
        (index, size // 2, root, hashed, good),
        (index, size, root, leaf_hash(b"WrongLeaf"), good),
        (index, size, EMPTY_ROOT, hashed, good),
        (index, size, SOME_HASH, hashed, good),
        (index, size, root, hashed, [*good, b""]),
        (index, size, root, hashed, [*good, root]),
        (index, size, root, hashed, [b"", *good]),
        (index, size, root, hashed, [root, *good]),
        (index, size, root, hashed, good[:-1]),
        (index, size, root, hashed, [good[0], SOME_HASH, *good[1:]]),
    ]
    for i in range(len(good)):
        flipped = list(good)
        flipped[i] = bytes([good[i][0] ^ 8]) + good[i][1:]
        probes.append((index, size, root, hashed, flipped))
    accepted = [p for p in probes if verify_inclusion(p[0], p[1], p[3], p[4], p[2])]
    assert accepted == []


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_a_tampered_consistency_proof_fails(size1: int, size2: int, proof: list[str]) -> None:
    """The probes of transparency-dev's ``corruptConsistencyProof``."""
    good = _h(proof)
    root1, root2 = bytes.fromhex(ROOTS[size1 - 1]), bytes.fromhex(ROOTS[size2 - 1])
    probes = [
        (size1 - 1, size2, root1, root2, good),
        (size1 + 1, size2, root1, root2, good),
        (size1 ^ 2, size2, root1, root2, good),
        (size1, size2 * 2, root1, root2, good),
        (size1, size2 // 2, root1, root2, good),
        (size1, size2, SOME_HASH, root2, good),
        (size1, size2, root1, SOME_HASH, good),
        (size1, size2, root2, root1, good),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*good, b""]),
        (size1, size2, root1, root2, [*good, root1]),
        (size1, size2, root1, root2, [*good, root2]),
        (size1, size2, root1, root2, [b"", *good]),
        (size1, size2, root1, root2, [root1, *good]),
        (size1, size2, root1, root2, [root2, *good]),
        (size1, size2, root1, root2, [good[0], *good]),
        (size1, size2, root1, root2, good[:-1]),
    ]
    for i in range(len(good)):
        flipped = list(good)
        flipped[i] = bytes([good[i][0] ^ 16]) + good[i][1:]
        probes.append((size1, size2, root1, root2, flipped))
    assert [p for p in probes if verify_consistency(*p)] == []


def test_edge_cases_of_consistency() -> None:
    """transparency-dev's ``TestVerifyConsistency`` table."""
    r1, r2 = b"1" * 32, b"2" * 32
    assert not verify_consistency(0, 0, r1, r2, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert verify_consistency(0, 0, r1, r1, [])
    assert verify_consistency(0, 1, r1, r2, [])
    assert verify_consistency(1, 1, r2, r2, [])
    assert not verify_consistency(1, 0, r1, r2, [])
    assert not verify_consistency(2, 1, r1, r2, [])
    assert not verify_consistency(1, 2, r1, r2, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])


def test_edge_cases_of_inclusion() -> None:
    single = leaf_hash(b"data")
    assert verify_inclusion(0, 1, single, [], single)
    assert not verify_inclusion(0, 1, single, [], b"")
    assert not verify_inclusion(0, 1, b"", [], single)
    for index, size in ((0, 0), (1, 0), (2, 1)):
        assert root_from_inclusion_proof(index, size, SOME_HASH, []) is None
    with pytest.raises(ValueError, match="not in a tree"):
        TREE.inclusion_proof(8, 8)
    with pytest.raises(ValueError, match="has 8 leaves"):
        TREE.root(9)


# --- every proof of every small tree ---------------------------------------------------------


def _leaves(n: int) -> list[bytes]:
    return [f"event {i}".encode() for i in range(n)]


def test_every_leaf_proves_its_inclusion_in_trees_of_1_to_70_leaves() -> None:
    data = _leaves(70)
    tree = Tree([leaf_hash(d) for d in data])
    for size in range(1, 71):
        root = tree.root(size)
        assert root == mth(data[:size])
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == path(index, data[:size])
            assert verify_inclusion(index, size, tree.leaf(index), proof, root)
            assert not verify_inclusion(index, size, leaf_hash(b"other"), proof, root)
            if size > 1:
                assert not verify_inclusion((index + 1) % size, size, tree.leaf(index), proof, root)


def test_every_prefix_is_consistent_with_every_larger_tree_up_to_40() -> None:
    data = _leaves(40)
    tree = Tree([leaf_hash(d) for d in data])
    for second in range(1, 41):
        for first in range(1, second + 1):
            proof = tree.consistency_proof(first, second)
            assert proof == subproof(first, data[:second], True)
            assert verify_consistency(first, second, tree.root(first), tree.root(second), proof)
            if first < second:
                other = Tree([leaf_hash(d) for d in [*data[: first - 1], b"x", *data[first:]]])
                assert not verify_consistency(
                    first, second, other.root(first), tree.root(second), proof
                )
