"""Offline inclusion bundles (in the spirit of C2SP tlog-proof). Pure: no database, no Django.

A bundle is JSON::

    {"format": "homeward-inclusion-bundle/v1",
     "index": 41, "tree_size": 1000,
     "entry": "<base64 of the exact entry bytes>",
     "proof": ["<base64 hash>", ...],
     "checkpoint": "<signed note: log signature and party cosignatures>",
     "log_key": "<vkey of the log>",
     "cosigner_keys": ["<vkey, type 0x04>", ...],
     "metadata": {"meta": "<the metadata opening, UTF-8 JSON>", "salt": "<base64>"},   # sealed entries
     "opening": {"content": {...}, "salt": "<base64>"}}      # only in a revealing bundle

A sealed entry's bytes say nothing of what it is about; the bundle's ``metadata`` opens that
commitment (kind, party, object, time) and ``verify_bundle`` checks it.  Give such a bundle only to
whoever may know the entry's party and kind.  A revealing bundle (``homeward ledger prove INDEX
--reveal``) also carries the content and salt behind the content commitment, for an authorised
party; ``verify_bundle`` then checks that they open it.  Such a bundle may hold personal data: hand
it over like the data itself.

``verify_bundle`` checks the log signature, the inclusion proof against the checkpoint root, the
entry's canonical form and every cosignature.  Keys given by the verifier are trusted; keys
carried in the bundle are only used when none are given, and the result says so, because a
bundle that brings its own keys proves consistency, not authenticity.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homeward.ledger import entry as codec
from homeward.ledger import merkle
from homeward.ledger.errors import LedgerError, NoteError
from homeward.ledger.note import Verifier, open_note, parse_checkpoint, verify_cosignatures

FORMAT = "homeward-inclusion-bundle/v1"


def make_bundle(
    *,
    index: int,
    entry: bytes,
    tree_size: int,
    proof: Sequence[bytes],
    checkpoint: str,
    log_key: str,
    cosigner_keys: Sequence[str] = (),
    opening: tuple[Mapping[str, Any], bytes] | None = None,
    metadata: tuple[bytes, bytes] | None = None,
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if metadata is not None and metadata[0]:
        extra["metadata"] = {"meta": metadata[0].decode("utf-8"), "salt": base64.b64encode(metadata[1]).decode()}
    if opening is not None:
        extra["opening"] = {"content": dict(opening[0]), "salt": base64.b64encode(opening[1]).decode()}
    return {
        "format": FORMAT,
        "index": index,
        "tree_size": tree_size,
        "entry": base64.b64encode(entry).decode(),
        "proof": [base64.b64encode(h).decode() for h in proof],
        "checkpoint": checkpoint,
        "log_key": log_key,
        "cosigner_keys": list(cosigner_keys),
        **extra,
    }


@dataclass(frozen=True)
class BundleResult:
    index: int
    tree_size: int
    origin: str
    entry: codec.Entry | None  # None: a sealed entry whose metadata the bundle does not open
    cosigners: list[str] = field(default_factory=list)
    log_key_from_bundle: bool = False
    cosigner_keys_from_bundle: bool = False
    opening_checked: bool = False


def verify_bundle(
    bundle: Mapping[str, Any],
    *,
    log_keys: Sequence[str] = (),
    cosigner_keys: Sequence[str] = (),
    required_cosigners: int = 0,
) -> BundleResult:
    """Verify a bundle offline; raises ``LedgerError`` (``ProofError``, ``NoteError``…) on failure."""
    if bundle.get("format") != FORMAT:
        raise NoteError(f"not a {FORMAT} bundle")
    try:
        index = int(bundle["index"])
        tree_size = int(bundle["tree_size"])
        data = base64.b64decode(bundle["entry"], validate=True)
        proof = [base64.b64decode(h, validate=True) for h in bundle["proof"]]
        signed = str(bundle["checkpoint"])
    except (KeyError, TypeError, ValueError):
        raise NoteError("bundle is missing a field or has a malformed one") from None

    own_log_key = not log_keys
    verifiers = [Verifier.from_vkey(k) for k in (log_keys or [str(bundle.get("log_key", ""))])]
    note, _ = open_note(signed, verifiers)
    checkpoint = parse_checkpoint(note.text)
    if checkpoint.size != tree_size:
        raise NoteError(f"bundle tree size {tree_size} differs from its checkpoint's size {checkpoint.size}")
    merkle.verify_inclusion(merkle.leaf_hash(data), index, tree_size, proof, checkpoint.root)
    meta: bytes | None = None
    meta_salt: bytes | None = None
    if bundle.get("metadata") is not None:
        try:
            meta = str(bundle["metadata"]["meta"]).encode("utf-8")
            meta_salt = base64.b64decode(bundle["metadata"]["salt"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise NoteError("bundle metadata opening is malformed") from None
    leaf = codec.decode_leaf(data)
    fields = leaf.entry if leaf.entry is not None else (
        codec.open_entry(data, meta, meta_salt) if meta is not None else None
    )
    opening = bundle.get("opening")
    if opening is not None:
        try:
            content, salt = opening["content"], base64.b64decode(opening["salt"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise NoteError("bundle opening is malformed") from None
        if not isinstance(content, Mapping):
            raise NoteError("bundle opening content is not an object")
        if leaf.entry is None and fields is None:
            raise NoteError("bundle opens the content of a sealed entry without its metadata opening")
        codec.verify_commitment(data, content, salt, meta, meta_salt)

    own_cosigners = not cosigner_keys
    keys = cosigner_keys or [str(k) for k in bundle.get("cosigner_keys", [])]
    cosigners = [Verifier.from_vkey(k) for k in keys]
    cosigners = [c if c.alg == 0x04 else c.as_cosigner() for c in cosigners]
    found = verify_cosignatures(note, cosigners)
    names = sorted({c.name for c in found})
    if len(names) < required_cosigners:
        raise NoteError(f"{len(names)} cosigner(s) found, {required_cosigners} required")
    return BundleResult(
        index, tree_size, checkpoint.origin, fields, names, own_log_key, own_cosigners, opening is not None
    )


def load(text: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except ValueError:
        raise LedgerError("bundle file is not JSON") from None
    if not isinstance(raw, dict):
        raise LedgerError("bundle file is not a JSON object")
    return raw
