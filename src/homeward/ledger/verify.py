"""Full verification of the stored ledger: what ``homeward ledger verify`` runs.

Everything is recomputed from the stored entry bytes; nothing stored is taken on trust except the
log's public key (from the key file, plus retired keys listed next to it).  Checks, in order, and
the first failure is raised as ``VerificationError`` naming the entry or checkpoint:

1. every checkpoint carries a valid log signature and its body matches its columns;
2. entries are numbered 0, 1, 2… without gaps; each is canonical, hashes to the leaf hash
   recorded when it was appended, its metadata opening (sealed entries) opens its commitment and
   agrees with the kind, party, object and time columns that scope who sees it, and its time is
   not earlier than the entry before it;
3. at each checkpoint's size, the root recomputed from the entries equals the signed root;
4. consecutive checkpoints never shrink and are consistent (RFC 9162 proof from stored nodes);
5. the stored subtree hashes give the same root as the entries; the head size matches;
6. every stored cosignature verifies with the cosigning party's key;
7. every party key is the one its registration entry commits to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeward.ledger import entry as codec
from homeward.ledger import merkle, service, storage
from homeward.ledger.errors import LedgerError, NoteError, ProofError
from homeward.ledger.models import Checkpoint, Cosignature, EntryOpening, LedgerEntry, PartyKey, TreeNode, node_key
from homeward.ledger.note import Verifier, open_note, parse_checkpoint, parse_note, verify_cosignatures


class VerificationError(LedgerError):
    """The stored ledger fails verification; the message names the first bad entry or checkpoint."""


@dataclass(frozen=True)
class Report:
    size: int
    root: bytes
    checkpoints: int
    cosignatures: int
    keys: int


def _cp(cp: Checkpoint) -> str:
    return f"checkpoint #{cp.pk} (size {cp.size})"


def _verify_entries(
    checkpoints: list[Checkpoint], progress: Callable[[int, int], None] | None, chunk: int
) -> tuple[int, bytes]:
    """Steps 2, 3 and 5: every entry's bytes, the roots at every checkpoint, the stored nodes."""
    by_size: dict[int, list[Checkpoint]] = {}
    for cp in checkpoints:
        by_size.setdefault(cp.size, []).append(cp)
    total = storage.current_size()
    size, last_checked = 0, 0
    frontier: list[bytes] = []

    def check_roots_at(size: int) -> None:
        nonlocal last_checked
        root = merkle.frontier_root(frontier)
        for cp in by_size.get(size, []):
            if bytes(cp.root) != root:
                raise VerificationError(
                    f"{_cp(cp)}: root does not match the stored entries; an entry in "
                    f"{last_checked}..{size - 1} was changed, removed or reordered"
                )
        if size in by_size:
            last_checked = size

    check_roots_at(0)
    rows = LedgerEntry.objects.order_by("index").values_list(
        "index", "data", "leaf_hash", "kind", "party_code", "object_type", "object_id", "recorded_at",
        "opening__meta", "opening__meta_salt",
    )
    pending: list[bytes] = []
    last_time = ""

    def flush() -> None:
        nonlocal size, frontier
        size, frontier, _ = merkle.extend(size, frontier, pending)
        pending.clear()

    for index, data, stored_leaf, *columns, meta, meta_salt in rows.iterator(chunk_size=chunk):
        expected = size + len(pending)
        if index != expected:
            raise VerificationError(f"entry {expected} is missing (next stored entry is {index})")
        data = bytes(data)
        try:
            fields = codec.open_entry(data, bytes(meta or b"") or None, bytes(meta_salt or b"") or None)
        except LedgerError as exc:
            raise VerificationError(f"entry {index}: not a valid ledger entry ({exc})") from None
        kind, party, object_type, object_id, recorded_at = columns
        if not isinstance(recorded_at, datetime):
            raise VerificationError(f"entry {index}: its stored time is not a time")
        if (fields.kind, fields.party, fields.object_type, fields.object_id) != (kind, party, object_type, object_id) \
                or fields.time != codec.format_time(recorded_at):
            raise VerificationError(f"entry {index}: its stored kind, party, object or time differ from its entry")
        if fields.time < last_time:  # fixed-width UTC timestamps compare as text
            raise VerificationError(f"entry {index}: its time is earlier than the entry before it")
        last_time = fields.time
        leaf = merkle.leaf_hash(data)
        if leaf != bytes(stored_leaf):
            raise VerificationError(f"entry {index}: bytes do not match the leaf hash recorded at append")
        pending.append(leaf)
        if index + 1 in by_size or len(pending) >= chunk:
            flush()
            check_roots_at(size)
            if progress:
                progress(size, total)
    flush()
    check_roots_at(size)
    if progress:
        progress(size, total)
    beyond = [cp for cp in checkpoints if cp.size > size]
    if beyond:
        raise VerificationError(f"{_cp(beyond[0])}: covers more than the {size} stored entries; entries were removed")
    if total != size:
        raise VerificationError(f"the ledger head says {total} entries but {size} are stored")

    root = merkle.frontier_root(frontier)
    try:
        stored_root = storage.root(size)
    except ProofError as exc:
        raise VerificationError(f"stored tree nodes are incomplete ({exc})") from None
    if stored_root != root:
        raise VerificationError("stored tree nodes do not give the root of the stored entries")
    return size, root


def _verify_stored_tree(checkpoints: list[Checkpoint], recent: int) -> tuple[int, bytes]:
    """Quick check: checkpoint roots against stored nodes, recent entries against stored leaves."""
    size = storage.current_size()
    for cp in checkpoints:
        try:
            stored = storage.root(cp.size)
        except ProofError as exc:
            raise VerificationError(f"{_cp(cp)}: the stored tree cannot give its root ({exc})") from None
        if stored != bytes(cp.root):
            raise VerificationError(f"{_cp(cp)}: root does not match the stored tree")
    start = max(0, size - recent)
    leaf_nodes = TreeNode.objects.filter(key__gte=node_key(0, start), key__lt=node_key(0, size))
    leaves = dict(leaf_nodes.values_list("key", "hash"))
    rows = LedgerEntry.objects.filter(index__gte=start).order_by("index").values_list("index", "data", "leaf_hash")
    expected = start
    for index, data, stored_leaf in rows:
        if index != expected:
            raise VerificationError(f"entry {expected} is missing (next stored entry is {index})")
        leaf = merkle.leaf_hash(bytes(data))
        if leaf != bytes(stored_leaf) or leaf != bytes(leaves.get(node_key(0, index), b"")):
            raise VerificationError(f"entry {index}: bytes do not match the leaf hash recorded at append")
        expected += 1
    if expected != size:
        raise VerificationError(f"the ledger head says {size} entries but they end at {expected}")
    return size, storage.root(size)


def verify_ledger(
    *,
    log_verifiers: list[Verifier] | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 20_000,
    full: bool = True,
    recent: int = 1000,
) -> Report:
    """Verify the stored ledger; raise ``VerificationError`` naming the first problem.

    ``full=False`` (the web page's quick check) skips step 2-3's pass over every entry: it checks
    each checkpoint's root against the stored subtree hashes instead, and the bytes of the
    ``recent`` latest entries against their stored leaf hashes.  O(checkpoints · log n + recent).
    """
    verifiers = log_verifiers if log_verifiers is not None else service.trusted_log_verifiers()
    origin = service.origin()
    checkpoints = list(Checkpoint.objects.order_by("id"))

    # 1. Log signatures.
    for cp in checkpoints:
        try:
            note, _ = open_note(cp.note, verifiers)
            body = parse_checkpoint(note.text)
        except NoteError as exc:
            raise VerificationError(f"{_cp(cp)}: log signature does not verify ({exc})") from None
        if body.origin != origin or body.size != cp.size or body.root != bytes(cp.root):
            raise VerificationError(f"{_cp(cp)}: signed body does not match the stored size and root")

    if full:
        size, root = _verify_entries(checkpoints, progress, chunk)
    else:
        size, root = _verify_stored_tree(checkpoints, recent)

    # 4. Consecutive checkpoints.
    for prev, cp in zip(checkpoints, checkpoints[1:], strict=False):
        if cp.size < prev.size:
            raise VerificationError(f"{_cp(cp)}: smaller than {_cp(prev)} (roll-back)")
        if prev.size == 0:
            continue
        try:
            proof = storage.consistency_proof(prev.size, cp.size) if prev.size < cp.size else []
            merkle.verify_consistency(prev.size, cp.size, proof, bytes(prev.root), bytes(cp.root))
        except ProofError as exc:
            raise VerificationError(f"{_cp(cp)}: not consistent with {_cp(prev)} ({exc})") from None

    # 6. Cosignatures.
    keys = list(PartyKey.objects.all())
    cosigners = [k.verifier.as_cosigner() for k in keys]
    cosignatures = list(Cosignature.objects.select_related("checkpoint").order_by("id"))
    for cos in cosignatures:
        text = parse_note(cos.checkpoint.note).text
        try:
            found = verify_cosignatures(parse_note(text + "\n" + cos.line), cosigners)
        except NoteError as exc:
            raise VerificationError(
                f"cosignature #{cos.pk} by {cos.key_name} on {_cp(cos.checkpoint)} does not verify ({exc})"
            ) from None
        if not found:
            raise VerificationError(f"cosignature #{cos.pk} on {_cp(cos.checkpoint)} is by no registered key")

    # 7. Party keys are bound to their registration entries.
    for key in keys:
        entry = LedgerEntry.objects.filter(index=key.registered_index).first()
        opening = EntryOpening.objects.filter(entry_id=key.registered_index).first()
        if entry is None or opening is None or entry.kind not in (codec.KEY_REGISTRATION, codec.KEY_ROTATION):
            raise VerificationError(f"party key {key.name}: no registration entry at {key.registered_index}")
        content, salt = service.reveal(entry)
        try:
            service.verify_reveal(entry, content, salt)
        except LedgerError:
            raise VerificationError(f"entry {entry.index}: key registration does not open its commitment") from None
        if content.get("vkey") != key.vkey:
            raise VerificationError(f"party key {key.name}: differs from the key entry {entry.index} registered")
        endorsed = entry.kind == codec.KEY_REGISTRATION or bool(content.get("endorsed"))
        if key.endorsed != endorsed:
            raise VerificationError(f"party key {key.name}: endorsement flag differs from entry {entry.index}")
        if entry.kind == codec.KEY_ROTATION and endorsed:
            previous = [k.verifier for k in keys if k.vkey == content.get("replaces")]
            try:
                note, _ = open_note(str(content.get("endorsement", "")), previous)
            except NoteError:
                raise VerificationError(f"entry {entry.index}: rotation endorsement does not verify") from None
            if note.text != service.rotation_statement(key.party_code, key.verifier):
                raise VerificationError(f"entry {entry.index}: rotation endorsement names another key")

    return Report(size, root, len(checkpoints), len(cosignatures), len(keys))
