"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and proof verification. Pure: no I/O.

Hashing (RFC 9162 §2.1.1)::

    leaf_hash(d)    = SHA-256(0x00 ‖ d)
    node_hash(l, r) = SHA-256(0x01 ‖ l ‖ r)
    MTH([])         = SHA-256("")
    MTH(D[n])       = node_hash(MTH(D[0:k]), MTH(D[k:n]))   k = largest power of two < n

Two families of functions:

* list based (``root_hash``, ``inclusion_proof``, ``consistency_proof``): follow the RFC
  definitions over a list of entries; the reference, used by tests and small trees;
* range based (``complete_subtrees``, ``inclusion_ranges``, ``consistency_ranges``,
  ``hash_range``, ``extend``): express every proof hash as the hash of a range of leaves, and every
  range as at most log2(n) *complete subtrees* ``(level, index)`` covering leaves
  ``[index·2^level, (index+1)·2^level)``.  A store that keeps complete-subtree hashes answers any
  proof by reading O(log n) of them.

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) and raises
``ProofError`` on any failure.  Consistency from an empty tree (``old_size == 0``) is always
rejected, even 0 → 0 with an empty proof: an empty tree commits to nothing, so there is nothing
to be consistent with (the transparency-dev/merkle rule; its golden probes expect the error).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from homeward.ledger.errors import ProofError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Node",
    "ProofError",
    "complete_subtrees",
    "consistency_proof",
    "consistency_ranges",
    "extend",
    "frontier_root",
    "hash_range",
    "inclusion_proof",
    "inclusion_ranges",
    "leaf_hash",
    "node_hash",
    "nodes_for",
    "proof_from_nodes",
    "root_from_leaf_hashes",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Node = tuple[int, int]
"""A complete subtree ``(level, index)``: leaves ``[index·2^level, (index+1)·2^level)``."""


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 ‖ entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH over leaves given by their leaf hashes.

    Pairs nodes level by level and carries an odd last node up unchanged, which builds the same
    tree as the RFC's split at the largest power of two.
    """
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def root_hash(entries: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of ``entries`` (RFC 9162 §2.1.1); SHA-256("") for no entries."""
    return root_from_leaf_hashes([leaf_hash(e) for e in entries])


def _path(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    n = len(hashes)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return _path(m, hashes[:k]) + [root_from_leaf_hashes(hashes[k:])]
    return _path(m - k, hashes[k:]) + [root_from_leaf_hashes(hashes[:k])]


def inclusion_proof(entries: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of entry ``index`` in the tree of all ``entries`` (RFC 6962 §2.1.1 PATH).

    Ordered bottom-up: the first hash is the leaf's sibling.
    """
    if not 0 <= index < len(entries):
        raise ProofError(f"index {index} is outside a tree of size {len(entries)}")
    return _path(index, [leaf_hash(e) for e in entries])


def _subproof(m: int, hashes: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [root_from_leaf_hashes(hashes)]
    k = _split(n)
    if m <= k:
        return _subproof(m, hashes[:k], whole) + [root_from_leaf_hashes(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [root_from_leaf_hashes(hashes[:k])]


def consistency_proof(entries: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof that the tree of the first ``old_size`` entries is a prefix of all ``entries``.

    RFC 6962 §2.1.2 PROOF(m, D[n]).  ``old_size`` must satisfy 0 < old_size ≤ len(entries).
    """
    if not 0 < old_size <= len(entries):
        raise ProofError(f"no consistency proof from size {old_size} to size {len(entries)}")
    return _subproof(old_size, [leaf_hash(e) for e in entries], True)


# ---------------------------------------------------------------------------------------------
# Range based: proofs in terms of complete subtrees, for stores that keep subtree hashes.


def complete_subtrees(start: int, end: int) -> list[Node]:
    """The maximal aligned complete subtrees covering leaves ``[start, end)``, left to right."""
    if not 0 <= start <= end:
        raise ProofError(f"invalid leaf range [{start}, {end})")
    nodes: list[Node] = []
    while start < end:
        # Largest aligned power of two that starts at ``start`` and fits before ``end``.
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while (1 << level) > end - start:
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def hash_range(nodes: Mapping[Node, bytes], start: int, end: int) -> bytes:
    """MTH of leaves ``[start, end)`` from stored complete-subtree hashes.

    Valid for the ranges the RFC recursion produces (``inclusion_ranges``, ``consistency_ranges``
    and ``[0, n)``), where the left part of every split is a complete subtree.
    """
    parts = complete_subtrees(start, end)
    if not parts:
        return EMPTY_ROOT
    acc = nodes[parts[-1]]
    for part in reversed(parts[:-1]):
        acc = node_hash(nodes[part], acc)
    return acc


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form the inclusion proof of ``index`` in a tree of ``size``."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is outside a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo = lo + k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form the consistency proof from ``old_size`` to ``new_size``."""
    if not 0 < old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    ranges: list[tuple[int, int]] = []
    lo, hi, m, whole = 0, new_size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not whole:
                ranges.append((lo, hi))
            break
        k = _split(n)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    ranges.reverse()
    return ranges


def nodes_for(ranges: Iterable[tuple[int, int]]) -> set[Node]:
    """Every complete subtree needed to hash ``ranges``."""
    needed: set[Node] = set()
    for start, end in ranges:
        needed.update(complete_subtrees(start, end))
    return needed


def proof_from_nodes(ranges: Sequence[tuple[int, int]], nodes: Mapping[Node, bytes]) -> list[bytes]:
    """Hash each range of a proof from stored complete-subtree hashes."""
    return [hash_range(nodes, start, end) for start, end in ranges]


def extend(
    size: int, frontier: Sequence[bytes], leaf_hashes: Iterable[bytes]
) -> tuple[int, list[bytes], list[tuple[Node, bytes]]]:
    """Append leaves to a compact range.

    ``frontier`` holds the hashes of ``complete_subtrees(0, size)`` (left to right).  Returns the
    new size, the new frontier and every complete subtree created on the way (leaves included),
    so a store can save them and a witness can recompute a root from a few hashes.
    """
    shape = complete_subtrees(0, size)
    if len(shape) != len(frontier):
        raise ProofError(f"a frontier for size {size} has {len(shape)} hashes, not {len(frontier)}")
    stack: list[tuple[int, bytes]] = [(level, h) for (level, _), h in zip(shape, frontier, strict=True)]
    created: list[tuple[Node, bytes]] = []
    for h in leaf_hashes:
        created.append(((0, size), h))
        level = 0
        size += 1
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
            created.append(((level, (size >> level) - 1), h))
        stack.append((level, h))
    return size, [h for _, h in stack], created


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The root of a tree from its frontier (the hashes of ``complete_subtrees(0, size)``)."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for h in reversed(frontier[:-1]):
        acc = node_hash(h, acc)
    return acc


# ---------------------------------------------------------------------------------------------
# Verification (RFC 9162 §2.1.3.2 and §2.1.4.2).


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, not {HASH_SIZE}")


def verify_inclusion(leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes] | None, root: bytes) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``tree_size`` with ``root``.

    Raises ``ProofError`` unless the proof verifies.  ``None`` is read as an empty proof (the
    golden probes' JSON ``null``).
    """
    proof = [] if proof is None else list(proof)
    if index < 0 or tree_size < 0:
        raise ProofError("index and tree size must not be negative")
    if index >= tree_size:
        raise ProofError(f"index {index} is outside a tree of size {tree_size}")
    _check_hash(leaf_hash, "leaf hash")
    _check_hash(root, "root")
    for p in proof:
        _check_hash(p, "proof hash")
    fn, sn, r = index, tree_size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof is too long ({len(proof)} hashes)")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof is too short ({len(proof)} hashes)")
    if r != root:
        raise ProofError(f"inclusion proof for index {index} does not lead to the root of size {tree_size}")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes] | None, old_root: bytes, new_root: bytes
) -> None:
    """Check that the tree of ``old_size`` with ``old_root`` is a prefix of the one of ``new_size``.

    Raises ``ProofError`` unless the proof verifies.  ``old_size == 0`` is always an error.
    ``None`` is read as an empty proof.
    """
    proof = [] if proof is None else list(proof)
    if old_size < 0 or new_size < 0:
        raise ProofError("sizes must not be negative")
    if old_size == 0:
        raise ProofError("consistency from an empty tree is meaningless")
    if old_size > new_size:
        raise ProofError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == new_size:
        # Equal sizes: consistent iff the roots are identical (byte comparison, whatever their
        # length, as transparency-dev/merkle does; its golden probe accepts two equal 12-byte roots).
        if proof:
            raise ProofError("a consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(f"two different roots for size {old_size}")
        return
    _check_hash(old_root, "old root")
    _check_hash(new_root, "new root")
    for p in proof:
        _check_hash(p, "proof hash")
    if not proof:
        raise ProofError("consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof is too long ({len(proof)} hashes)")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof is too short ({len(proof)} hashes)")
    if fr != old_root:
        raise ProofError(f"consistency proof does not lead to the root of old size {old_size}")
    if sr != new_root:
        raise ProofError(f"consistency proof does not lead to the root of new size {new_size}")
