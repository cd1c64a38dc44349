"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, over any number of leaves.

Hashing (§2.1.1): a leaf is ``SHA-256(0x00 || data)``, an interior node ``SHA-256(0x01 || left ||
right)``, the empty tree ``SHA-256()``. A tree of n leaves splits at k, the largest power of two
below n. ``Tree`` keeps every full level of perfect subtrees, so a root, an inclusion proof
(§2.1.3.1 PATH) or a consistency proof (§2.1.4.1 PROOF) costs O(log n) hashes once it is built;
the two verifiers follow §2.1.3.2 and §2.1.4.2 step by step and only say yes or no.

Written here rather than taken from a library: pymerkle (the maintained Python one) stores its
own leaves and produces proofs in its own format (rule and subset bit lists, the leaf inside the
path), which RFC 9162 verifiers elsewhere cannot read, and its verifier does not bind a proof to a
leaf index and tree size. The algorithms are short; they are tested against the RFC 6962 vectors
of Certificate Transparency (transparency-dev/merkle) and a literal transcription of the RFC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split(n: int) -> int:
    """k: the largest power of two smaller than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """The tree over ``leaves`` (leaf hashes, in order); any prefix of it is a tree too."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        for index, leaf in enumerate(leaves):
            if len(leaf) != HASH_SIZE:
                raise ValueError(f"leaf {index} is not a {HASH_SIZE}-byte hash")
        # levels[h][i]: the perfect subtree of 2**h leaves starting at leaf i * 2**h.
        self._levels: list[list[bytes]] = [list(leaves)]
        while len(self._levels[-1]) > 1:
            below = self._levels[-1]
            self._levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def leaf(self, index: int) -> bytes:
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (all of them by default)."""
        size = self.size if size is None else size
        self._check_size(size)
        return self._hash(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]): the sibling hashes from the leaf up to the root."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
        path: list[bytes] = []
        start = 0
        while size > 1:
            k = split(size)
            if index < k:
                path.append(self._hash(start + k, size - k))
                size = k
            else:
                path.append(self._hash(start, k))
                start, index, size = start + k, index - k, size - k
        path.reverse()  # collected root-down; the proof lists them leaf-up
        return path

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[0:second]): what shows the tree of ``first`` leaves is a prefix."""
        second = self.size if second is None else second
        self._check_size(second)
        if not 0 <= first <= second:
            raise ValueError(f"no consistency proof from {first} to {second} leaves")
        if first in (0, second):
            return []
        proof: list[bytes] = []
        start, m, n, whole = 0, first, second, True
        while m != n:
            k = split(n)
            if m <= k:
                proof.append(self._hash(start + k, n - k))
                n = k
            else:
                proof.append(self._hash(start, k))
                start, m, n, whole = start + k, m - k, n - k, False
        if not whole:
            proof.append(self._hash(start, m))
        proof.reverse()
        return proof

    def _hash(self, start: int, size: int) -> bytes:
        """MTH(D[start:start+size]); perfect aligned subtrees come from the stored levels."""
        height = size.bit_length() - 1
        if size == 1 << height and start % size == 0:
            return self._levels[height][start >> height]
        k = split(size)
        return node_hash(self._hash(start, k), self._hash(start + k, size - k))

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"the tree has {self.size} leaves, not {size}")


def root_of(leaves: Sequence[bytes]) -> bytes:
    return Tree(leaves).root()


def root_from_inclusion_proof(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """§2.1.3.2: the root ``proof`` leads to from ``leaf`` at ``index``; None if it cannot."""
    if not 0 <= index < size or len(leaf) != HASH_SIZE:
        return None
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``leaf`` is leaf ``index`` of the tree of ``size`` leaves whose root is ``root``."""
    return root_from_inclusion_proof(index, size, leaf, proof) == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """§2.1.4.2: whether the tree of ``first`` leaves (``first_root``) is a prefix of the tree of
    ``second`` leaves (``second_root``)."""
    if not 0 <= first <= second or any(len(p) != HASH_SIZE for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root
