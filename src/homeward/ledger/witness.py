"""A party's witness: cosign a checkpoint only if it extends the last one this party cosigned.

Pure (no Django): the party runs it with its own key and its own state file, against whatever the
platform serves.  For each new checkpoint it

1. checks the log's signature on the checkpoint (known log key, expected origin);
2. refuses a smaller tree than the one it last cosigned (roll-back);
3. verifies the RFC 9162 consistency proof from its last cosigned (size, root);
4. recomputes the new root itself from its stored compact range (the frontier of the last
   cosigned tree) plus the *bytes* of the new entries, so it vouches for the entries, not just
   for hashes handed to it;
5. with ``all_entries`` (a full audit), also recomputes the whole tree from every entry and
   checks that the old prefix still gives the root it cosigned before;
6. saves the new state by compare-and-swap: if the stored state is no longer the one it
   started from (a concurrent cosign, a replayed state file), nothing is signed.

Only then does it produce the cosignature/v1 line.  The first cosignature (no state yet) needs
every entry, which is how the witness learns a frontier it can trust.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from homeward.ledger import merkle
from homeward.ledger.errors import ConflictError, NoteError, ProofError, WitnessError
from homeward.ledger.note import NoteSignature, Signer, Verifier, open_note, parse_checkpoint

__all__ = ["FileStateStore", "MemoryStateStore", "StateStore", "WitnessState", "cosign"]


@dataclass(frozen=True)
class WitnessState:
    """What a party last cosigned: origin, size, root and the compact range of that tree."""

    origin: str
    size: int
    root: bytes
    frontier: tuple[bytes, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps(
            {
                "origin": self.origin,
                "size": self.size,
                "root": base64.b64encode(self.root).decode(),
                "frontier": [base64.b64encode(h).decode() for h in self.frontier],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> WitnessState:
        raw = json.loads(text)
        return cls(
            raw["origin"],
            int(raw["size"]),
            base64.b64decode(raw["root"]),
            tuple(base64.b64decode(h) for h in raw["frontier"]),
        )


class StateStore(Protocol):
    def load(self) -> WitnessState | None: ...

    def compare_and_swap(self, expected: WitnessState | None, new: WitnessState) -> None:
        """Store ``new`` if the stored state is still ``expected``; else raise ``ConflictError``."""
        ...


class MemoryStateStore:
    def __init__(self, state: WitnessState | None = None) -> None:
        self.state = state

    def load(self) -> WitnessState | None:
        return self.state

    def compare_and_swap(self, expected: WitnessState | None, new: WitnessState) -> None:
        if self.state != expected:
            raise ConflictError("witness state changed since it was read")
        self.state = new


class FileStateStore:
    """Witness state in a JSON file, swapped atomically under an exclusive lock on a side file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> WitnessState | None:
        if not self.path.exists():
            return None
        return WitnessState.from_json(self.path.read_text())

    def load(self) -> WitnessState | None:
        with self._locked():
            return self._read()

    def compare_and_swap(self, expected: WitnessState | None, new: WitnessState) -> None:
        with self._locked():
            if self._read() != expected:
                raise ConflictError("witness state changed since it was read")
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(new.to_json())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)


def cosign(
    *,
    signer: Signer,
    log_verifier: Verifier,
    origin: str,
    signed_checkpoint: str,
    consistency_proof: Sequence[bytes],
    new_entries: Sequence[bytes],
    store: StateStore,
    timestamp: int,
    all_entries: Sequence[bytes] | None = None,
) -> NoteSignature:
    """Check ``signed_checkpoint`` against the stored state and return this party's cosignature.

    ``new_entries`` are the entry bytes from the last cosigned size up to the checkpoint's size;
    ``consistency_proof`` goes from the last cosigned size to the checkpoint's size (ignored for
    the first cosignature).  Raises ``WitnessError`` (``ConflictError`` on a lost race).
    """
    try:
        note, _ = open_note(signed_checkpoint, [log_verifier])
        checkpoint = parse_checkpoint(note.text)
    except NoteError as exc:
        raise WitnessError(f"checkpoint is not signed by the log key: {exc}") from None
    if checkpoint.origin != origin:
        raise WitnessError("checkpoint is for another log (origin differs)")

    state = store.load()
    old_size = state.size if state else 0
    if state is not None and state.origin != origin:
        raise WitnessError("witness state belongs to another log")
    if checkpoint.size < old_size:
        raise WitnessError(f"roll-back: checkpoint size {checkpoint.size} is below cosigned size {old_size}")

    if state is not None and old_size > 0:
        try:
            merkle.verify_consistency(old_size, checkpoint.size, consistency_proof, state.root, checkpoint.root)
        except ProofError as exc:
            raise WitnessError(
                f"checkpoint of size {checkpoint.size} is not consistent with cosigned size {old_size}: {exc}"
            ) from None

    if len(new_entries) != checkpoint.size - old_size:
        raise WitnessError(
            f"expected {checkpoint.size - old_size} new entries after index {old_size - 1}, got {len(new_entries)}"
        )
    frontier = state.frontier if state else ()
    size, new_frontier, _ = merkle.extend(old_size, frontier, (merkle.leaf_hash(e) for e in new_entries))
    if merkle.frontier_root(new_frontier) != checkpoint.root:
        raise WitnessError(f"entries {old_size}..{checkpoint.size - 1} as served do not produce the checkpoint root")

    if all_entries is not None:
        if len(all_entries) != checkpoint.size:
            raise WitnessError(f"audit: expected {checkpoint.size} entries, got {len(all_entries)}")
        hashes = [merkle.leaf_hash(e) for e in all_entries]
        if state is not None and old_size and merkle.root_from_leaf_hashes(hashes[:old_size]) != state.root:
            raise WitnessError(f"audit: entries 0..{old_size - 1} no longer produce the root cosigned before")
        if merkle.root_from_leaf_hashes(hashes) != checkpoint.root:
            raise WitnessError("audit: the entries served do not produce the checkpoint root")

    new_state = WitnessState(origin, size, checkpoint.root, tuple(new_frontier))
    store.compare_and_swap(state, new_state)
    return signer.cosign(note.text, timestamp)
