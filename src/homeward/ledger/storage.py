"""Append entries and read proofs from the database.

One writer at a time: ``append`` runs inside ``transaction.atomic()`` and first locks the
``LedgerHead`` row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the connection uses
``BEGIN IMMEDIATE``, so the transaction already holds the database's write lock).  Indices are
therefore allocated in order, without gaps, and commit or roll back with the caller's change.

Each append reads the frontier of the current tree (at most log2(n) stored subtree hashes),
extends it with the new leaves in memory and inserts every complete subtree created.  Every proof
and root is then a single query for O(log n) ``TreeNode`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from homeward.ledger import merkle
from homeward.ledger.errors import ProofError
from homeward.ledger.models import EntryOpening, LedgerEntry, LedgerHead, TreeNode, node_key


@dataclass(frozen=True)
class PreparedEntry:
    """An entry ready to append: its exact bytes, the columns copied from them, and its opening."""

    data: bytes
    kind: str
    party_code: str
    object_type: str
    object_id: str
    recorded_at: datetime
    salt: bytes
    content: bytes
    meta_salt: bytes = b""  # the metadata opening of a sealed entry (empty for version 1)
    meta: bytes = b""


def lock_head() -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # First append (or after a flush): writers may race to create the row. ON CONFLICT DO NOTHING makes
        # the loser wait for the winner's row instead of failing; then both lock it in turn.
        LedgerHead.objects.bulk_create([LedgerHead(pk=1, size=LedgerEntry.objects.count())], ignore_conflicts=True)
        head = LedgerHead.objects.select_for_update().get(pk=1)
    return head


def current_size() -> int:
    head = LedgerHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return int(head) if head is not None else 0


def read_nodes(nodes: set[merkle.Node] | list[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The stored hashes of ``nodes`` in one query; raises ``ProofError`` if any is missing."""
    keys = {node_key(level, index): (level, index) for level, index in nodes}
    found: dict[merkle.Node, bytes] = {}
    for key, value in TreeNode.objects.filter(key__in=list(keys)).values_list("key", "hash"):
        found[keys[key]] = bytes(value)
    if len(found) != len(keys):
        missing = sorted(set(keys.values()) - set(found))[:3]
        raise ProofError(f"tree nodes missing from storage: {missing}")
    return found


def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - table and column names are ours
        qn(table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def append(items: Sequence[PreparedEntry], head: LedgerHead | None = None) -> tuple[int, list[bytes]]:
    """Append ``items`` in order; returns the index of the first one and their leaf hashes.

    Must run inside ``transaction.atomic()`` (``service.record`` takes care of it). ``head``: the head row the
    caller already locked in this transaction (``lock_head()``), so it is not locked and read a second time.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger appends must run inside transaction.atomic()")
    head = head if head is not None else lock_head()
    start = head.size
    frontier_nodes = merkle.complete_subtrees(0, start)
    stored = read_nodes(frontier_nodes) if frontier_nodes else {}
    frontier = [stored[n] for n in frontier_nodes]
    leaf_hashes = [merkle.leaf_hash(item.data) for item in items]
    size, _, created = merkle.extend(start, frontier, leaf_hashes)

    dt = LedgerEntry._meta.get_field("recorded_at")
    adapted: dict[datetime, Any] = {}
    entry_rows: list[tuple[Any, ...]] = []
    opening_rows: list[tuple[Any, ...]] = []
    for offset, (item, lh) in enumerate(zip(items, leaf_hashes, strict=True)):
        index = start + offset
        entry_rows.append(
            (
                index,
                item.data,
                lh,
                item.kind,
                item.party_code,
                item.object_type,
                item.object_id,
                adapted.get(item.recorded_at)
                or adapted.setdefault(item.recorded_at, dt.get_db_prep_save(item.recorded_at, connection)),
            )
        )
        opening_rows.append((index, item.salt, item.content, item.meta_salt, item.meta))
    _insert(
        LedgerEntry._meta.db_table,
        ["index", "data", "leaf_hash", "kind", "party_code", "object_type", "object_id", "recorded_at"],
        entry_rows,
    )
    _insert(EntryOpening._meta.db_table, ["entry_index", "salt", "content", "meta_salt", "meta"], opening_rows)
    _insert(TreeNode._meta.db_table, ["key", "hash"], [(node_key(lv, ix), h) for (lv, ix), h in created])
    LedgerHead.objects.filter(pk=1).update(size=size)
    return start, leaf_hashes


def _read_for(size: int, needed: set[merkle.Node]) -> dict[merkle.Node, bytes]:
    """Read ``needed`` nodes plus the last leaf of ``size`` in one query.

    The last leaf's node exists only if ``size`` entries were committed, so its presence checks the
    size without a separate query on the head row.
    """
    if size < 0:
        raise ProofError(f"tree size {size} is negative")
    last = (0, size - 1)
    keys = {node_key(level, index): (level, index) for level, index in needed | {last}}
    found: dict[merkle.Node, bytes] = {}
    for key, value in TreeNode.objects.filter(key__in=list(keys)).values_list("key", "hash"):
        found[keys[key]] = bytes(value)
    if last not in found:
        raise ProofError(f"tree size {size} is outside the ledger")
    if len(found) != len(keys):
        missing = sorted(set(keys.values()) - set(found))[:3]
        raise ProofError(f"tree nodes missing from storage: {missing}")
    return found


def root(size: int) -> bytes:
    """The root hash of the first ``size`` entries."""
    if size == 0:
        return merkle.EMPTY_ROOT
    return merkle.hash_range(_read_for(size, set(merkle.complete_subtrees(0, size))), 0, size)


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """The inclusion proof of entry ``index`` in the tree of ``size``: one query, O(log n) rows."""
    ranges = merkle.inclusion_ranges(index, size)
    return merkle.proof_from_nodes(ranges, _read_for(size, merkle.nodes_for(ranges)))


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """The consistency proof from ``old_size`` to ``new_size``: one query, O(log n) rows."""
    ranges = merkle.consistency_ranges(old_size, new_size)
    return merkle.proof_from_nodes(ranges, _read_for(new_size, merkle.nodes_for(ranges)))


def entry_bytes(start: int, end: int) -> list[bytes]:
    """The stored bytes of entries ``[start, end)`` in index order."""
    rows = LedgerEntry.objects.filter(index__gte=start, index__lt=end).order_by("index")
    return [bytes(data) for data in rows.values_list("data", flat=True)]
