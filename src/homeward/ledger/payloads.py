"""JSON shapes of the ledger endpoints, shared by the plain views and the ninja router.

Hashes, proofs and entry bytes are base64 (as in C2SP checkpoints); entry bytes are also given as
text, since they are UTF-8 JSON.

Entries are sealed commitments: every reader gets every entry's bytes, so every proof and checkpoint
verifies, but an entry's ``opening`` (its metadata: kind, party, object, time, and the salt that
opens the commitment) only goes to a viewer who ``access.may_open`` it: the mediator's team and
auditors for every entry, a party's users for their own party's entries.
"""

from __future__ import annotations

import base64
from typing import Any

from homeward import access
from homeward.access import Viewer
from homeward.ledger import merkle, service, storage
from homeward.ledger.errors import LedgerError
from homeward.ledger.models import LedgerEntry

MAX_ENTRIES = 1000


class NotFound(LedgerError):
    """Nothing to answer with (no checkpoint yet, no such entry)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _size_or_latest(size: int, viewer: Viewer | None = None) -> int:
    if size >= 0:
        if viewer is not None and size > service.visible_size(viewer):
            raise NotFound(f"Tree size {size} is not published yet.")
        return size
    cp = service.latest_checkpoint()
    if cp is None:
        raise NotFound("No checkpoint yet.")
    return cp.size


def checkpoint() -> dict[str, Any]:
    from homeward.ledger.models import Checkpoint

    # the cosignatures once, for the signed note and for the list (two queries of them before)
    cp = Checkpoint.objects.prefetch_related("cosignatures").order_by("-id").first()
    if cp is None:
        raise NotFound("No checkpoint yet.")
    return {
        "origin": service.origin(),
        "size": cp.size,
        "root": _b64(bytes(cp.root)),
        "checkpoint": service.checkpoint_note(cp),
        "log_key": service.log_verifier().vkey,
        "created_at": cp.created_at.isoformat(),
        "cosignatures": [
            {"party": c.party_code, "key_name": c.key_name, "key_id": c.key_id, "timestamp": c.timestamp}
            for c in cp.cosignatures.all()
        ],
    }


def _opening(viewer: Viewer | None, party_code: str, meta: Any, meta_salt: Any) -> dict[str, Any] | None:
    if viewer is None or not meta or not access.may_open(viewer, party_code):
        return None
    return {"meta": bytes(meta).decode("utf-8"), "salt": _b64(bytes(meta_salt))}


def inclusion(index: int, size: int = -1, viewer: Viewer | None = None) -> dict[str, Any]:
    """Inclusion proof of entry ``index`` in the tree of ``size`` (default: latest checkpoint).

    Its metadata opening comes along when ``viewer`` may open the entry.
    """
    tree_size = _size_or_latest(size, viewer)
    proof = storage.inclusion_proof(index, tree_size)
    row = (
        LedgerEntry.objects.filter(index=index)
        .values_list("data", "party_code", "opening__meta", "opening__meta_salt")
        .first()
    )
    if row is None:
        raise NotFound(f"Entry {index} is not stored.")
    data = bytes(row[0])
    return {
        "index": index,
        "tree_size": tree_size,
        "entry": _b64(data),
        "leaf_hash": _b64(merkle.leaf_hash(data)),
        "proof": [_b64(h) for h in proof],
        "opening": _opening(viewer, row[1], row[2], row[3]),
    }


def consistency(old: int, new: int = -1, viewer: Viewer | None = None) -> dict[str, Any]:
    """Consistency proof from size ``old`` to size ``new`` (default: latest checkpoint)."""
    new_size = _size_or_latest(new, viewer)
    if old <= 0:
        raise LedgerError("consistency from an empty tree is meaningless; old must be at least 1")
    proof = storage.consistency_proof(old, new_size) if old != new_size else []
    if old == new_size:
        storage.root(new_size)  # checks the size is inside the ledger
    return {"old_size": old, "new_size": new_size, "proof": [_b64(h) for h in proof]}


def entries(start: int, end: int, viewer: Viewer | None = None) -> dict[str, Any]:
    """Entries ``[start, end)``, at most ``MAX_ENTRIES``, as their exact stored bytes.

    Each entry ``viewer`` may open also carries its metadata opening; the others are bytes only.
    """
    if start < 0 or end < start:
        raise LedgerError("need 0 <= start <= end")
    end = min(end, start + MAX_ENTRIES, storage.current_size() if viewer is None else service.visible_size(viewer))
    rows = LedgerEntry.objects.filter(index__gte=start, index__lt=max(start, end)).order_by("index")
    return {
        "start": start,
        "end": max(start, end),
        "entries": [
            {"index": i, "entry": bytes(d).decode("utf-8", errors="replace"), "leaf_hash": _b64(bytes(h)),
             "opening": _opening(viewer, party, meta, meta_salt)}
            for i, d, h, party, meta, meta_salt in rows.values_list(
                "index", "data", "leaf_hash", "party_code", "opening__meta", "opening__meta_salt"
            )
        ],
    }
