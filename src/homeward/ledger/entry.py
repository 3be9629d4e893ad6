"""The ledger entry: its canonical encodings and commitments. Pure: no Django.

Since version 2 a leaf of the Merkle log is *sealed*: it carries one salted commitment and nothing else,
so reading the log (or any proof) tells nobody which party, kind of record or object an entry is about::

    {"commitment":"<hex>","v":2}

``commitment = SHA-256(meta_salt ‖ meta)`` where ``meta`` (the *metadata opening*) is the canonical
JSON of the fields below and ``meta_salt`` 32 random bytes::

    {"actor":12,"commitment":"<hex>","kind":"list_submission","object_id":"41",
     "object_type":"exchange.list","party":"UA","time":"2026-11-22T09:30:00.123456Z","v":2}

and the ``commitment`` inside it is the content commitment ``SHA-256(salt ‖ canonical(content))``
with its own random 32-byte salt (the *content opening*; the content may hold personal data).  The
platform gives a party the metadata openings of its own entries (and the mediator all of them); a
party checks one with ``open_entry`` and the content, when it is revealed too, with
``verify_commitment``.  Each salt stops anyone confirming a guess ("is entry 41 RU's list 9?").
Every sealed leaf is the same 87 bytes long.

Version 1 entries (written before sealing) *are* their metadata: the JSON above with ``"v":1`` as
the leaf itself.  They are still read and verified, never written.

Bytes are stored exactly as produced here and never re-serialised: verification hashes the stored
bytes.  ``decode_entry`` / ``decode_leaf`` refuse bytes that are not in canonical form, so two
encodings of one entry cannot both be accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from homeward.ledger.errors import CommitmentError, EntryError

__all__ = [
    "ENTRY_VERSION",
    "KINDS",
    "SALT_SIZE",
    "Entry",
    "Leaf",
    "canonical",
    "commit_bytes",
    "commitment",
    "decode_entry",
    "encode_entry",
    "format_time",
    "new_salt",
    "open_entry",
    "seal",
    "decode_leaf",
    "statement",
    "verify_commitment",
]

ENTRY_VERSION = 2
SEALED_VERSIONS = frozenset({2})
SALT_SIZE = 32

LIST_SUBMISSION = "list_submission"
CASE_TRANSITION = "case_transition"
MATCH_DECISION = "match_decision"
HANDOVER_SIGNOFF = "handover_signoff"
KEY_REGISTRATION = "key_registration"
KEY_ROTATION = "key_rotation"
LIST_RESPONSE = "list_response"
PADDING = "padding"

KINDS = frozenset(
    {
        LIST_SUBMISSION,
        CASE_TRANSITION,
        MATCH_DECISION,
        HANDOVER_SIGNOFF,
        KEY_REGISTRATION,
        KEY_ROTATION,
        LIST_RESPONSE,
        PADDING,
    }
)

_KIND = re.compile(r"[a-z][a-z0-9_]{1,47}")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIELDS = ("actor", "commitment", "kind", "object_id", "object_type", "party", "time", "v")


_SCALARS = (str, int, bool, type(None))


def _check_json(value: Any, depth: int = 0) -> None:
    kind = type(value)
    if kind in _SCALARS:
        return
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise EntryError("content holds a number JSON cannot represent")
        return
    if depth > 32:
        raise EntryError("content is nested too deeply")
    if isinstance(value, list | tuple):
        for item in value:
            _check_json(item, depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) is not str:
                raise EntryError("content keys must be strings")
            _check_json(item, depth + 1)
        return
    if isinstance(value, str | int | float):  # subclasses (e.g. enum values) of JSON scalars
        if isinstance(value, float):
            _check_json(float(value), depth)
        return
    raise EntryError(f"content holds a {type(value).__name__}, which is not JSON")


def canonical(value: Any) -> bytes:
    """The canonical encoding: JSON, keys sorted, no whitespace, UTF-8, no NaN or infinity."""
    _check_json(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_SIZE)


def commitment(salt: bytes, content: Mapping[str, Any]) -> bytes:
    """SHA-256(salt ‖ canonical(content))."""
    return commit_bytes(salt, canonical(content))


def commit_bytes(salt: bytes, canonical_content: bytes) -> bytes:
    """SHA-256(salt ‖ canonical_content), for content already in canonical form."""
    if len(salt) != SALT_SIZE:
        raise CommitmentError(f"a salt is {SALT_SIZE} bytes")
    return hashlib.sha256(salt + canonical_content).digest()


def format_time(moment: datetime) -> str:
    """UTC with microseconds, e.g. ``2026-11-22T09:30:00.123456Z``."""
    if moment.tzinfo is None:
        raise EntryError("entry times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Entry:
    """The fields of a ledger entry: a version 1 leaf, or the metadata opening of a sealed one."""

    v: int
    kind: str
    time: str
    actor: int | None
    party: str
    object_type: str
    object_id: str
    commitment: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @property
    def moment(self) -> datetime:
        return datetime.strptime(self.time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _check_fields(e: Entry) -> None:
    if e.v not in (1, ENTRY_VERSION) or isinstance(e.v, bool):
        raise EntryError(f"unknown entry version {e.v!r}")
    if not isinstance(e.kind, str) or not _KIND.fullmatch(e.kind):
        raise EntryError("an entry kind is lower_snake_case, 2 to 48 characters")
    if not isinstance(e.time, str) or not _TIME.fullmatch(e.time):
        raise EntryError("an entry time is UTC with microseconds")
    if e.actor is not None and (not isinstance(e.actor, int) or isinstance(e.actor, bool)):
        raise EntryError("an entry actor is a user id or null")
    if not isinstance(e.party, str) or (e.party and not _TOKEN.fullmatch(e.party)):
        raise EntryError("entry party must be a party code (or empty for the system)")
    for name in ("object_type", "object_id"):
        value = getattr(e, name)
        if not isinstance(value, str) or not _TOKEN.fullmatch(value):
            raise EntryError(f"entry {name} must be a short identifier (letters, digits, _ . : -)")
    if not isinstance(e.commitment, str) or not _HEX64.fullmatch(e.commitment):
        raise EntryError("an entry commitment is 64 lowercase hex digits")


def encode_entry(entry: Entry) -> bytes:
    """The canonical bytes of ``entry``: ``canonical(entry.as_dict())``; the leaf itself for version 1, the
    metadata opening that ``seal`` commits to for version 2.

    Written out directly (keys in sorted order) because ``_check_fields`` restricts every string
    field to characters JSON never escapes; a test checks it equals ``canonical`` byte for byte.
    """
    _check_fields(entry)
    actor = "null" if entry.actor is None else str(entry.actor)
    return (
        f'{{"actor":{actor},"commitment":"{entry.commitment}","kind":"{entry.kind}",'
        f'"object_id":"{entry.object_id}","object_type":"{entry.object_type}","party":"{entry.party}",'
        f'"time":"{entry.time}","v":{entry.v}}}'
    ).encode()


def decode_entry(data: bytes) -> Entry:
    """Parse stored entry bytes; refuses anything that is not the canonical encoding."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise EntryError("entry bytes are not UTF-8 JSON") from None
    if not isinstance(raw, dict) or tuple(sorted(raw)) != _FIELDS:
        raise EntryError("entry bytes do not hold exactly the entry fields")
    entry = Entry(**raw)
    if encode_entry(entry) != data:
        raise EntryError("entry bytes are not in canonical form")
    return entry


@dataclass(frozen=True)
class Leaf:
    """A decoded leaf: sealed (``commitment`` set, ``entry`` None) or version 1 (``entry`` set)."""

    v: int
    commitment: str | None
    entry: Entry | None


_SEALED = re.compile(rb'\{"commitment":"([0-9a-f]{64})","v":([0-9]+)\}')


def seal(meta: Entry, meta_salt: bytes) -> tuple[bytes, bytes]:
    """The leaf bytes of a sealed entry and its metadata opening bytes: ``(leaf, meta)``."""
    if meta.v not in SEALED_VERSIONS:
        raise EntryError(f"entry version {meta.v} is not sealed")
    meta_bytes = encode_entry(meta)
    leaf = f'{{"commitment":"{commit_bytes(meta_salt, meta_bytes).hex()}","v":{meta.v}}}'.encode()
    return leaf, meta_bytes


def decode_leaf(data: bytes) -> Leaf:
    """Parse stored leaf bytes of either version; refuses anything not in canonical form."""
    found = _SEALED.fullmatch(data)
    if found:
        v = int(found.group(2))
        if v not in SEALED_VERSIONS or found.group(2) != str(v).encode():
            raise EntryError(f"unknown entry version {found.group(2).decode()!r}")
        return Leaf(v, found.group(1).decode(), None)
    entry = decode_entry(data)
    if entry.v != 1:
        raise EntryError("a version 2 entry must be sealed")
    return Leaf(1, None, entry)


def open_entry(entry_bytes: bytes, meta: bytes | None = None, meta_salt: bytes | None = None) -> Entry:
    """The fields of an entry: decoded from a version 1 leaf, or from a sealed leaf's metadata opening.

    For a sealed leaf, ``meta`` and ``meta_salt`` must open its commitment (``CommitmentError`` if not,
    ``EntryError`` if they are missing or not canonical).
    """
    leaf = decode_leaf(entry_bytes)
    if leaf.entry is not None:
        return leaf.entry
    if meta is None or meta_salt is None:
        raise EntryError("this entry is sealed: its metadata opening is needed to read it")
    if not hmac.compare_digest(commit_bytes(meta_salt, meta).hex(), leaf.commitment or ""):
        raise CommitmentError("the metadata opening does not match the entry's commitment")
    fields = decode_entry(meta)
    if fields.v != leaf.v:
        raise EntryError("the metadata opening's version differs from the entry's")
    return fields


def verify_commitment(
    entry_bytes: bytes, content: Mapping[str, Any], salt: bytes, meta: bytes | None = None,
    meta_salt: bytes | None = None,
) -> None:
    """Check revealed ``content`` and ``salt`` against the content commitment of ``entry_bytes``.

    A sealed entry needs its metadata opening too (``meta``, ``meta_salt``), which holds the content
    commitment.  Raises ``CommitmentError`` if they do not match; the message never repeats the content.
    """
    entry = open_entry(entry_bytes, meta, meta_salt)
    if not hmac.compare_digest(commitment(salt, content).hex(), entry.commitment):
        raise CommitmentError("revealed content and salt do not match the entry's commitment")


def statement(kind: str, party_code: str, object_id: str | int | None, sha256_hex: str) -> str:
    """The text a party signs for a submission.

    ``homeward/<kind>/v1``, then ``party <code>``, ``object <id>`` (when known) and
    ``sha256 <hex of the file>``.  It never begins with ``cosignature/v1``.
    """
    if not _KIND.fullmatch(kind) or len(sha256_hex) != 64:
        raise EntryError("a statement needs a kind and a SHA-256 hex digest")
    try:
        int(sha256_hex, 16)
    except ValueError:
        raise EntryError("a statement needs a SHA-256 hex digest") from None
    lines = [f"homeward/{kind}/v1", f"party {party_code}"]
    if object_id is not None:
        lines.append(f"object {object_id}")
    lines.append(f"sha256 {sha256_hex.lower()}")
    return "\n".join(lines) + "\n"
