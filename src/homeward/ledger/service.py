"""The ledger's public service: what other apps call.

Writing::

    record(kind, *, actor, party_code, object_type, object_id, content) -> LedgerEntry
    record_many(records) -> list[LedgerEntry]            # batched, one transaction

Both append inside the caller's transaction (a savepoint of it), so a change and its ledger entry
commit together or not at all.  The entry's bytes are one salted commitment to its metadata (kind,
party, object, time, actor and a salted commitment to ``content``), so the log shows nobody what an
entry is about (``entry`` module).  ``access.may_open`` says who may read an entry's metadata (the
mediator's team and auditors: every entry; a party's users: their party's own); ``metadata``
returns that opening, ``reveal`` the content and salt (which may be personal data), and
``verify_reveal`` checks them against the entry.

Checkpoints are signed by the mediator's log key (``$HOMEWARD_HOME/keys/ledger-log.key``, created
on first use, mode 0600), on demand (``make_checkpoint``) and on a fixed interval
(``checkpoint_if_due``, run by ``homeward ledger checkpoint --every SECONDS``).  Parties register
Ed25519 keys through the ledger (``register_key``, ``rotate_key``), sign their submissions
(``sign_statement``) and cosign checkpoints (``cosign_latest``, which runs the party's witness).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.ledger import entry as codec
from homeward.ledger import merkle, storage, witness
from homeward.ledger.errors import EntryError, LedgerError, NoteError, ProofError, WitnessError
from homeward.ledger.models import Checkpoint, Cosignature, EntryOpening, LedgerEntry, PartyKey
from homeward.ledger.note import Checkpoint as CheckpointBody
from homeward.ledger.note import (
    NoteSignature,
    Signer,
    Verifier,
    open_note,
    parse_note,
    verify_cosignatures,
)

_T = TypeVar("_T")

if TYPE_CHECKING:
    from homeward.access import Viewer
    from homeward.accounts.models import User

__all__ = [
    "KINDS",
    "Record",
    "add_cosignature",
    "checkpoint_if_due",
    "cosign_latest",
    "endorse_rotation",
    "latest_checkpoint",
    "log_signer",
    "log_verifier",
    "make_checkpoint",
    "origin",
    "record",
    "record_many",
    "register_key",
    "reveal",
    "rotate_key",
    "rotation_statement",
    "sign_statement",
    "statement",
    "verify_reveal",
    "verify_statement",
]

log = logging.getLogger("homeward.ledger")

KINDS = codec.KINDS
statement = codec.statement
DEFAULT_ORIGIN = "homeward.local/ledger"
DEFAULT_CHECKPOINT_INTERVAL = 300


@dataclass(frozen=True)
class Record:
    """One entry to append with ``record_many``; the same fields as ``record``'s arguments."""

    kind: str
    actor: Any
    party_code: str
    object_type: str
    object_id: str | int
    content: Mapping[str, Any]


def _prepare(rec: Record, now: datetime, time_text: str, salt: bytes, meta_salt: bytes) -> storage.PreparedEntry:
    actor_id = getattr(rec.actor, "pk", None) if rec.actor is not None else None
    if actor_id is not None and not isinstance(actor_id, int):
        raise EntryError("an entry actor must have an integer id")
    content = codec.canonical(dict(rec.content))
    meta = codec.Entry(
        v=codec.ENTRY_VERSION,
        kind=rec.kind,
        time=time_text,
        actor=actor_id,
        party=rec.party_code,
        object_type=rec.object_type,
        object_id=str(rec.object_id),
        commitment=codec.commit_bytes(salt, content).hex(),
    )
    leaf, meta_bytes = codec.seal(meta, meta_salt)
    return storage.PreparedEntry(
        data=leaf,
        kind=meta.kind,
        party_code=meta.party,
        object_type=meta.object_type,
        object_id=meta.object_id,
        recorded_at=now,
        salt=salt,
        content=content,
        meta_salt=meta_salt,
        meta=meta_bytes,
    )


_ENTRY_FIELDS = ["index", "data", "leaf_hash", "kind", "party_code", "object_type", "object_id", "recorded_at"]


def _instance(index: int, item: storage.PreparedEntry, leaf: bytes) -> LedgerEntry:
    values = [index, item.data, leaf, item.kind, item.party_code, item.object_type, item.object_id, item.recorded_at]
    return LedgerEntry.from_db("default", _ENTRY_FIELDS, values)


def record(
    kind: str,
    *,
    actor: User | None,
    party_code: str,
    object_type: str,
    object_id: str | int,
    content: Mapping[str, Any],
) -> LedgerEntry:
    """Append one entry inside the caller's transaction and return it.

    ``content`` may hold personal data: only its salted commitment enters the entry.  Raises
    ``EntryError`` for a malformed kind or identifier, or content that is not plain JSON.
    """
    return record_many([Record(kind, actor, party_code, object_type, object_id, content)])[0]


def record_many(records: Iterable[Record]) -> list[LedgerEntry]:
    """Append several entries in order, in one transaction, with one lock and one insert per table.

    The time is read once the lock is held, so entry times never go backwards along the log.
    """
    batch = list(records)
    if not batch:
        return []
    salts = secrets.token_bytes(2 * codec.SALT_SIZE * len(batch))  # one random draw for the batch
    size = codec.SALT_SIZE
    with transaction.atomic():
        head = storage.lock_head()
        now = timezone.now()  # one batch, one transaction, one time
        time_text = codec.format_time(now)
        prepared = [
            _prepare(r, now, time_text, salts[2 * i * size : (2 * i + 1) * size],
                     salts[(2 * i + 1) * size : (2 * i + 2) * size])
            for i, r in enumerate(batch)
        ]
        start, leaves = storage.append(prepared, head)
    return [_instance(start + i, item, leaf) for i, (item, leaf) in enumerate(zip(prepared, leaves, strict=True))]


def reveal(entry: LedgerEntry | int) -> tuple[dict[str, Any], bytes]:
    """The content and salt behind an entry's commitment.

    The caller decides who may see them (they may hold personal data) and records that it did.
    """
    index = entry if isinstance(entry, int) else entry.index
    opening = EntryOpening.objects.get(entry_id=index)
    return json.loads(bytes(opening.content)), bytes(opening.salt)


def verify_reveal(entry: LedgerEntry | int, content: Mapping[str, Any], salt: bytes) -> None:
    """Raise ``CommitmentError`` unless ``content`` and ``salt`` open the entry's content commitment."""
    index = entry if isinstance(entry, int) else entry.index
    data = storage.entry_bytes(index, index + 1)
    if not data:
        raise ProofError(f"entry {index} is not in the ledger")
    meta, meta_salt = metadata(index)
    codec.verify_commitment(data[0], content, salt, meta or None, meta_salt or None)


def metadata(entry: LedgerEntry | int) -> tuple[bytes, bytes]:
    """The metadata opening of a sealed entry: (canonical metadata bytes, salt); empty for version 1.

    The caller has checked ``access.may_open``: the metadata names the entry's party, kind and object.
    """
    index = entry if isinstance(entry, int) else entry.index
    row = EntryOpening.objects.filter(entry_id=index).values_list("meta", "meta_salt").first()
    if row is None:
        raise ProofError(f"entry {index} has no opening")
    return bytes(row[0]), bytes(row[1])


# --- the log key and checkpoints --------------------------------------------------------------


def origin() -> str:
    return str(getattr(settings, "LEDGER_ORIGIN", DEFAULT_ORIGIN))


def keys_dir() -> Path:
    return Path(settings.HOME) / "keys"


def write_private_key(path: Path, signer: Signer) -> None:
    """Write a private key file, owner-only, refusing to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(signer.skey + "\n")


def read_private_key(path: Path) -> Signer:
    return Signer.from_skey(path.read_text())


def log_signer() -> Signer:
    """The mediator's log key, generated on first use into ``$HOMEWARD_HOME/keys/``."""
    path = keys_dir() / "ledger-log.key"
    if not path.exists():
        try:
            write_private_key(path, Signer.generate(origin()))
        except FileExistsError:
            pass  # another process created it first
    signer, _ = _log_key(path)
    if signer.name != origin():
        raise NoteError("the log key's name does not match the ledger origin")
    return signer


def log_verifier() -> Verifier:
    log_signer()  # created on first use, its name checked
    return _log_key(keys_dir() / "ledger-log.key")[1]


def trusted_log_verifiers() -> list[Verifier]:
    """The current log key plus retired ones listed in ``keys/ledger-log.retired`` (one vkey a line)."""
    verifiers = [log_verifier()]
    retired = keys_dir() / "ledger-log.retired"
    if retired.exists():
        verifiers += _cached_key_file(retired, "retired", _parse_retired)
    return verifiers


def _log_key(path: Path) -> tuple[Signer, Verifier]:
    return _cached_key_file(path, "log", _parse_log_key)


def _parse_log_key(text: str) -> tuple[Signer, Verifier]:
    signer = Signer.from_skey(text)
    return signer, signer.verifier()


def _parse_retired(text: str) -> list[Verifier]:
    return [Verifier.from_vkey(line) for line in text.splitlines() if line.strip()]


# Key files are parsed once per version of the file, not on every request: the cache is keyed by the file's
# path and its (inode, size, modification time in ns), so a key written in place or replaced by a rename, or
# a retired list appended to, is read again at its next use, in every process. A stat costs microseconds;
# reading and parsing the key (and deriving its public half) cost more, on every checkpoint read.
_KEY_FILES: dict[tuple[str, str], tuple[tuple[int, int, int], Any]] = {}


def _cached_key_file(path: Path, kind: str, parse: Callable[[str], _T]) -> _T:
    stat = path.stat()
    version = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    slot = (str(path), kind)
    hit = _KEY_FILES.get(slot)
    if hit is not None and hit[0] == version:
        return cast(_T, hit[1])
    value = parse(path.read_text())
    if len(_KEY_FILES) > 64:  # tests point HOME at many directories; a server has a handful of slots
        _KEY_FILES.clear()
    _KEY_FILES[slot] = (version, value)
    return value


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


def make_checkpoint(*, force: bool = False) -> Checkpoint:
    """Sign a checkpoint of the current tree if it grew since the last one (or if ``force``).

    Before signing, checks that the new tree is consistent with the last signed checkpoint: the
    log never signs a checkpoint inconsistent with one it signed before.
    """
    signer = log_signer()
    with transaction.atomic():
        size = storage.lock_head().size  # no append can run until this transaction ends
        latest = latest_checkpoint()
        if latest is not None and latest.size == size and not force:
            return latest
        size = _pad(size)
        root = storage.root(size)
        if latest is not None:
            if latest.size > size:
                raise LedgerError(f"the ledger is smaller ({size}) than its last checkpoint ({latest.size})")
            if latest.size > 0:
                proof = storage.consistency_proof(latest.size, size) if latest.size < size else []
                merkle.verify_consistency(latest.size, size, proof, bytes(latest.root), root)
        body = CheckpointBody(origin(), size, root).body()
        cp = Checkpoint.objects.create(
            size=size,
            root=root,
            note=signer.sign(body),
            log_key=signer.verifier().vkey,
            created_at=timezone.now(),
        )
    log.info("checkpoint signed: size %d, root %s", size, root.hex())
    return cp


PADDING = codec.PADDING


def pad_step() -> int:
    """``settings.LEDGER_PAD``: checkpointed sizes are multiples of it (0 or 1: no padding)."""
    return max(0, int(getattr(settings, "LEDGER_PAD", 0)))


def _pad(size: int) -> int:
    """Append sealed padding entries up to the next multiple of ``pad_step()``; returns the new size.

    Runs with the head locked (inside ``make_checkpoint``). Padding entries are sealed like every other
    entry (kind ``padding``, the system's, a random object id, empty content), so a party cannot tell
    them from the other party's or the mediator's entries.
    """
    step = pad_step()
    if step <= 1 or size % step == 0:
        return size
    fill = step - size % step
    record_many(Record(PADDING, None, "", "ledger.padding", secrets.token_hex(8), {}) for _ in range(fill))
    return size + fill


def visible_size(viewer: Viewer | None) -> int:
    """How much of the log ``viewer`` may read: all of it for the mediator's team and auditors; with padding
    on, a party's users only up to the latest checkpoint (growth then shows in padded steps only)."""
    from homeward import access

    if pad_step() <= 1 or access.reads_whole_ledger(viewer):
        return storage.current_size()
    cp = latest_checkpoint()
    return cp.size if cp is not None else 0


def checkpoint_if_due(interval: int | None = None) -> Checkpoint:
    """Sign a checkpoint when the last is older than ``interval`` seconds and the tree grew."""
    every = (
        interval
        if interval is not None
        else int(getattr(settings, "LEDGER_CHECKPOINT_INTERVAL", DEFAULT_CHECKPOINT_INTERVAL))
    )
    latest = latest_checkpoint()
    if latest is not None and (timezone.now() - latest.created_at).total_seconds() < every:
        return latest
    return make_checkpoint()


def checkpoint_note(cp: Checkpoint) -> str:
    """The checkpoint as a signed note with the log's signature and every stored cosignature."""
    note = parse_note(cp.note)
    for cos in cp.cosignatures.all():
        for sig in parse_note(note.text + "\n" + cos.line).signatures:
            note = note.add(sig)
    return note.serialize()


# --- party keys -------------------------------------------------------------------------------


def party_keys(party_code: str | None = None) -> list[PartyKey]:
    qs = PartyKey.objects.all()
    if party_code is not None:
        qs = qs.filter(party_code=party_code)
    return list(qs)


def current_key(party_code: str) -> PartyKey | None:
    return PartyKey.objects.filter(party_code=party_code, retired_index__isnull=True).first()


def _key_content(verifier: Verifier) -> dict[str, str]:
    v = verifier.as_note_verifier()
    return {"name": v.name, "vkey": v.vkey, "cosigner_vkey": v.as_cosigner().vkey}


def _check_party(party_code: str) -> None:
    """Refuse keys for parties the platform does not know (when the accounts app is installed)."""
    from django.apps import apps

    try:
        party = apps.get_model("accounts", "Party")
    except LookupError:
        return
    if not party.objects.filter(code=party_code).exists():
        raise LedgerError(f"no party with code {party_code}")


def register_key(party_code: str, verifier: Verifier, *, actor: User | None) -> PartyKey:
    """Register a party's first key, through a ``key_registration`` entry."""
    _check_party(party_code)
    with transaction.atomic():
        if current_key(party_code) is not None:
            raise LedgerError(f"party {party_code} already has a key; rotate it instead")
        entry = record(
            codec.KEY_REGISTRATION,
            actor=actor,
            party_code=party_code,
            object_type="ledger.key",
            object_id=verifier.as_note_verifier().key_id.hex(),
            content=_key_content(verifier),
        )
        return PartyKey.objects.create(
            party_code=party_code,
            name=verifier.name,
            public_key=verifier.public_key,
            registered_index=entry.index,
        )


def rotation_statement(party_code: str, new: Verifier) -> str:
    """What the old key signs to endorse its successor."""
    return f"homeward/key_rotation/v1\nparty {party_code}\nnew {new.as_note_verifier().vkey}\n"


def endorse_rotation(old: Signer, party_code: str, new: Verifier) -> str:
    """A note by the party's current key naming its new key (give it to ``rotate_key``)."""
    return old.sign(rotation_statement(party_code, new))


def rotate_key(party_code: str, verifier: Verifier, *, actor: User | None, endorsement: str | None = None) -> PartyKey:
    """Replace a party's key through a ``key_rotation`` entry; the old key stays verifiable.

    ``endorsement`` is a note signed by the old key naming the new one (``endorse_rotation``).
    Without it (the old key is lost) the rotation is recorded as unendorsed, and anyone checking
    the party's keys can see that the platform, not the old key, vouched for the new one.
    """
    with transaction.atomic():
        old = PartyKey.objects.select_for_update().filter(party_code=party_code, retired_index__isnull=True).first()
        if old is None:
            raise LedgerError(f"party {party_code} has no key to rotate; register one")
        content: dict[str, Any] = {**_key_content(verifier), "replaces": old.vkey, "endorsed": False}
        if endorsement is not None:
            note, _ = open_note(endorsement, [old.verifier])
            if note.text != rotation_statement(party_code, verifier):
                raise NoteError("the endorsement names another party or key")
            content.update(endorsed=True, endorsement=endorsement)
        entry = record(
            codec.KEY_ROTATION,
            actor=actor,
            party_code=party_code,
            object_type="ledger.key",
            object_id=verifier.as_note_verifier().key_id.hex(),
            content=content,
        )
        PartyKey.objects.filter(pk=old.pk).update(retired_index=entry.index)
        log.info(
            "key of %s rotated at entry %d (%s)", party_code, entry.index, "endorsed" if endorsement else "UNENDORSED"
        )
        return PartyKey.objects.create(
            party_code=party_code,
            name=verifier.name,
            public_key=verifier.public_key,
            registered_index=entry.index,
            endorsed=endorsement is not None,
        )


def sign_statement(signer: Signer, kind: str, party_code: str, object_id: str | int | None, sha256_hex: str) -> str:
    """A signed note by the party's key over ``statement(...)`` (e.g. for a list submission)."""
    return signer.sign(codec.statement(kind, party_code, object_id, sha256_hex))


def verify_statement(party_code: str, signed_note: str, *, at_index: int | None = None) -> list[NoteSignature]:
    """Check a party-signed note with the party's keys (those valid at ``at_index`` if given).

    Old keys stay usable here after a rotation, so signatures made before it still verify.
    """
    keys = [k for k in party_keys(party_code) if at_index is None or k.valid_at(at_index)]
    if not keys:
        raise NoteError(f"party {party_code} has no registered key")
    _, good = open_note(signed_note, [k.verifier for k in keys])
    return good


# --- cosigning ---------------------------------------------------------------------------------


def add_cosignature(cp: Checkpoint, party_code: str, signature: NoteSignature | str) -> Cosignature:
    """Store a party's cosignature after checking it with the party's current key."""
    key = current_key(party_code)
    if key is None:
        raise NoteError(f"party {party_code} has no registered key")
    text = parse_note(cp.note).text
    line = signature if isinstance(signature, str) else signature.line()
    note = parse_note(text + "\n" + line)
    found = verify_cosignatures(note, [key.verifier.as_cosigner()])
    if not found:
        raise NoteError(f"the cosignature is not by the current key of party {party_code}")
    cos = found[0]
    existing = Cosignature.objects.filter(checkpoint=cp, key_name=cos.name, key_id=cos.key_id.hex()).first()
    if existing is not None:
        return existing
    log.info("cosignature by %s (%s) on checkpoint of size %d", party_code, cos.name, cp.size)
    return Cosignature.objects.create(
        checkpoint=cp,
        party_code=party_code,
        key_name=cos.name,
        key_id=cos.key_id.hex(),
        timestamp=cos.timestamp,
        line=cos.line,
        created_at=timezone.now(),
    )


def witness_inputs(
    state: witness.WitnessState | None, cp: Checkpoint, *, full_audit: bool
) -> tuple[list[bytes], list[bytes], list[bytes] | None]:
    """What the platform serves a witness: consistency proof, new entries, and every entry to audit."""
    old = state.size if state is not None else 0
    try:
        proof = storage.consistency_proof(old, cp.size) if 0 < old < cp.size else []
    except ProofError as exc:
        raise WitnessError(f"the platform cannot prove consistency from size {old}: {exc}") from None
    new_entries = storage.entry_bytes(old, cp.size) if old <= cp.size else []
    every = (new_entries if old == 0 else storage.entry_bytes(0, cp.size)) if full_audit else None
    return proof, new_entries, every


def cosign_latest(
    signer: Signer,
    party_code: str,
    store: witness.StateStore,
    *,
    full_audit: bool = True,
    timestamp: int | None = None,
) -> Cosignature:
    """Run the party's witness on the latest checkpoint and store the cosignature it produces."""
    cp = latest_checkpoint()
    if cp is None:
        raise WitnessError("there is no checkpoint to cosign")
    proof, new_entries, every = witness_inputs(store.load(), cp, full_audit=full_audit)
    sig = witness.cosign(
        signer=signer,
        log_verifier=log_verifier(),
        origin=origin(),
        signed_checkpoint=cp.note,
        consistency_proof=proof,
        new_entries=new_entries,
        store=store,
        timestamp=int(time.time()) if timestamp is None else timestamp,
        all_entries=every,
    )
    return add_cosignature(cp, party_code, sig)


def entries(start: int, end: int) -> Sequence[LedgerEntry]:
    return list(LedgerEntry.objects.filter(index__gte=start, index__lt=end).order_by("index"))


def proof_bundle(index: int, *, reveal_content: bool = False, open_metadata: bool = True) -> dict[str, Any]:
    """An offline inclusion bundle for entry ``index`` against the latest checkpoint covering it.

    With ``open_metadata`` (the default: the operator's command) it carries the entry's metadata opening
    (kind, party, object, time); with ``reveal_content`` also the content and salt (which may be personal
    data): only for a party the caller has authorised.
    """
    from homeward.ledger import bundle

    cp = Checkpoint.objects.filter(size__gt=index).order_by("-id").first()
    if cp is None:
        raise ProofError(f"no checkpoint covers entry {index} yet; sign one first")
    data = storage.entry_bytes(index, index + 1)
    if not data:
        raise ProofError(f"entry {index} is not in the ledger")
    return bundle.make_bundle(
        index=index,
        entry=data[0],
        tree_size=cp.size,
        proof=storage.inclusion_proof(index, cp.size),
        checkpoint=checkpoint_note(cp),
        log_key=Verifier.from_vkey(cp.log_key).vkey,
        cosigner_keys=[k.cosigner_vkey for k in party_keys()],
        opening=reveal(index) if reveal_content else None,
        metadata=(metadata(index) if open_metadata or reveal_content else None),
    )
