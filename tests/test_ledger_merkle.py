"""RFC 6962 / 9162 Merkle hashing and proofs, checked against the shared conformance vectors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from homeward.ledger import merkle
from homeward.ledger.merkle import ProofError

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "rfc6962_merkle_vectors.json"


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    if not VECTORS.exists():
        pytest.skip(f"shared conformance vectors not present at {VECTORS}")
    return json.loads(VECTORS.read_text())


def _h(hexes: list[str] | None) -> list[bytes]:
    return [bytes.fromhex(x) for x in hexes or []]


def _leaves(vectors: dict[str, Any]) -> list[bytes]:
    return _h(vectors["tree_8_leaves"]["leaf_inputs_hex"])


def _load(section: str, kind: str) -> list[dict[str, Any]]:
    if not VECTORS.exists():
        return []
    return json.loads(VECTORS.read_text())[section][kind]


def _probe_id(probe: dict[str, Any]) -> str:
    return str(probe["file"]).removeprefix("testdata/")


# --- hashing -----------------------------------------------------------------------------------


def test_hasher_known_answers_match_trillian(vectors: dict[str, Any]) -> None:
    want = {c["desc"]: bytes.fromhex(c["want"]) for c in vectors["hasher_kats"]["cases"]}
    assert merkle.root_hash([]) == want["RFC6962 Empty"]
    assert merkle.leaf_hash(b"") == want["RFC6962 Empty Leaf"]
    assert merkle.leaf_hash(b"L123456") == want["RFC6962 Leaf"]
    assert merkle.node_hash(b"N123", b"N456") == want["RFC6962 Node"]


def test_roots_of_every_prefix_of_the_eight_leaf_tree_match_upstream(vectors: dict[str, Any]) -> None:
    leaves = _leaves(vectors)
    roots = vectors["tree_8_leaves"]["roots_by_tree_size_hex"]
    assert len(roots) == 9
    for size, want in roots.items():
        assert merkle.root_hash(leaves[: int(size)]).hex() == want, size


def test_stored_node_hashes_of_the_eight_leaf_tree_match_upstream(vectors: dict[str, Any]) -> None:
    leaves = _leaves(vectors)
    _, _, created = merkle.extend(0, [], [merkle.leaf_hash(x) for x in leaves])
    nodes = dict(created)
    table = vectors["tree_8_leaves"]["node_hashes_by_level_hex"]
    for name, hashes in table.items():
        level = 0 if name.startswith("level0") else int(name.removeprefix("level"))
        for index, want in enumerate(hashes):
            assert nodes[(level, index)].hex() == want, (level, index)


# --- upstream known-good proofs (mind the 1-based leaf numbers of the old tables) ---------------


def test_known_good_inclusion_proofs_use_zero_based_index_and_verify(vectors: dict[str, Any]) -> None:
    leaves = _leaves(vectors)
    cases = [c for c in vectors["inclusion_proofs_known_good"]["cases"] if "leaf_index" in c]
    assert len(cases) == 5
    for case in cases:
        index, size = case["leaf_index"], case["tree_size"]
        assert index == case["leaf_index_1based_as_in_source"] - 1
        proof = _h(case["proof"])
        assert merkle.inclusion_proof(leaves[:size], index) == proof
        merkle.verify_inclusion(bytes.fromhex(case["leaf_hash"]), index, size, proof, bytes.fromhex(case["root"]))
        # Using the source's 1-based number as the index must fail (the trap).
        one_based = case["leaf_index_1based_as_in_source"]
        if one_based < size:
            with pytest.raises(ProofError):
                merkle.verify_inclusion(
                    bytes.fromhex(case["leaf_hash"]), one_based, size, proof, bytes.fromhex(case["root"])
                )


def test_known_good_consistency_proofs_are_generated_and_verify(vectors: dict[str, Any]) -> None:
    leaves = _leaves(vectors)
    for case in vectors["consistency_proofs_known_good"]["cases"]:
        old, new = case["size1"], case["size2"]
        proof = _h(case["proof"])
        assert merkle.consistency_proof(leaves[:new], old) == proof
        merkle.verify_consistency(old, new, proof, bytes.fromhex(case["root1"]), bytes.fromhex(case["root2"]))


def test_derived_full_tables_for_sizes_one_to_eight_agree(vectors: dict[str, Any]) -> None:
    leaves = _leaves(vectors)
    roots = {int(k): bytes.fromhex(v) for k, v in vectors["tree_8_leaves"]["roots_by_tree_size_hex"].items()}
    block = vectors["derived_full_tables_sizes_1_to_8"]
    for case in block["inclusion"]:
        index, size = case["leaf_index"], case["tree_size"]
        proof = _h(case["proof"])
        assert merkle.inclusion_proof(leaves[:size], index) == proof
        merkle.verify_inclusion(merkle.leaf_hash(leaves[index]), index, size, proof, roots[size])
    for case in block["consistency"]:
        old, new = case["size1"], case["size2"]
        proof = _h(case["proof"])
        assert merkle.consistency_proof(leaves[:new], old) == proof
        merkle.verify_consistency(old, new, proof, roots[old], roots[new])


# --- the 196 golden probes of transparency-dev/merkle --------------------------------------------


@pytest.mark.parametrize("probe", _load("golden_probes_transparency_dev", "inclusion"), ids=_probe_id)
def test_golden_inclusion_probe_gives_the_expected_verdict(probe: dict[str, Any]) -> None:
    args = (
        bytes.fromhex(probe["leafHash"]),
        probe["leafIdx"],
        probe["treeSize"],
        _h(probe["proof"]),
        bytes.fromhex(probe["root"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("probe", _load("golden_probes_transparency_dev", "consistency"), ids=_probe_id)
def test_golden_consistency_probe_gives_the_expected_verdict(probe: dict[str, Any]) -> None:
    args = (
        probe["size1"],
        probe["size2"],
        _h(probe["proof"]),
        bytes.fromhex(probe["root1"]),
        bytes.fromhex(probe["root2"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_all_196_golden_probes_are_present(vectors: dict[str, Any]) -> None:
    probes = vectors["golden_probes_transparency_dev"]
    assert len(probes["inclusion"]) == 98
    assert len(probes["consistency"]) == 98


# --- edge rules we chose ---------------------------------------------------------------------


def test_consistency_from_empty_tree_is_rejected_even_zero_to_zero() -> None:
    with pytest.raises(ProofError, match="empty tree"):
        merkle.verify_consistency(0, 0, [], merkle.EMPTY_ROOT, merkle.EMPTY_ROOT)
    with pytest.raises(ProofError):
        merkle.consistency_proof([b"a"], 0)


def test_inclusion_index_equal_to_size_is_rejected() -> None:
    entries = [b"a", b"b", b"c"]
    root = merkle.root_hash(entries)
    with pytest.raises(ProofError, match="outside"):
        merkle.verify_inclusion(merkle.leaf_hash(b"c"), 3, 3, merkle.inclusion_proof(entries, 2), root)
    with pytest.raises(ProofError):
        merkle.inclusion_proof(entries, 3)


def test_short_hashes_are_rejected_before_hashing() -> None:
    entries = [b"a", b"b"]
    root = merkle.root_hash(entries)
    proof = merkle.inclusion_proof(entries, 0)
    with pytest.raises(ProofError, match="bytes"):
        merkle.verify_inclusion(merkle.leaf_hash(b"a")[:31], 0, 2, proof, root)
    with pytest.raises(ProofError, match="bytes"):
        merkle.verify_inclusion(merkle.leaf_hash(b"a"), 0, 2, [proof[0][:16]], root)


# --- range-based proofs equal the list-based reference ----------------------------------------


def test_range_based_proofs_equal_rfc_proofs_for_every_size_up_to_70() -> None:
    entries = [os.urandom(5) + bytes([i]) for i in range(70)]
    _, _, created = merkle.extend(0, [], [merkle.leaf_hash(e) for e in entries])
    nodes = dict(created)
    for size in range(1, 71):
        prefix = entries[:size]
        root = merkle.root_hash(prefix)
        assert merkle.hash_range(nodes, 0, size) == root
        for index in range(size):
            ranges = merkle.inclusion_ranges(index, size)
            assert merkle.proof_from_nodes(ranges, nodes) == merkle.inclusion_proof(prefix, index)
        for old in range(1, size + 1):
            ranges = merkle.consistency_ranges(old, size)
            proof = merkle.proof_from_nodes(ranges, nodes)
            assert proof == merkle.consistency_proof(prefix, old)
            merkle.verify_consistency(old, size, proof, merkle.root_hash(entries[:old]), root)


def test_extending_a_frontier_in_batches_gives_the_same_root_as_all_at_once() -> None:
    entries = [bytes([i]) * 3 for i in range(37)]
    size, frontier = 0, []
    for chunk in (entries[:5], entries[5:6], entries[6:32], entries[32:]):
        size, frontier, _ = merkle.extend(size, frontier, [merkle.leaf_hash(e) for e in chunk])
        assert merkle.frontier_root(frontier) == merkle.root_hash(entries[:size])
    assert size == 37


def test_complete_subtrees_cover_a_range_with_at_most_log_n_nodes() -> None:
    assert merkle.complete_subtrees(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.complete_subtrees(8, 13) == [(2, 2), (0, 12)]
    assert len(merkle.complete_subtrees(0, 1_000_000)) == bin(1_000_000).count("1")


def test_a_null_proof_is_read_as_an_empty_proof() -> None:
    root = merkle.root_hash([b"a"])
    merkle.verify_inclusion(merkle.leaf_hash(b"a"), 0, 1, None, root)
    merkle.verify_consistency(1, 1, None, root, root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(merkle.leaf_hash(b"a"), 0, 2, None, root)
