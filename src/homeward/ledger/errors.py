"""Every error the ledger raises, in one place.

::

    HomewardError             (homeward.exceptions: the project's one hierarchy)
    └── LedgerError
        ├── ProofError        a Merkle inclusion or consistency proof does not verify
        ├── NoteError         a signed note, key or checkpoint is malformed or its signature fails
        ├── CommitmentError   revealed content and salt do not match an entry's commitment
        ├── ImmutableError    an attempt to change or delete a ledger row through the ORM
        ├── EntryError        content that cannot be put in the ledger (bad kind, not canonical JSON)
        └── WitnessError      a party refuses to cosign a checkpoint
            └── ConflictError the party's stored state changed under it (compare-and-swap lost)

Messages never carry personal data: they name indices, sizes, hashes and key names only.
"""

from __future__ import annotations

from homeward.exceptions import HomewardError


class LedgerError(HomewardError):
    """Base class of every ledger error."""


class ProofError(LedgerError):
    """A Merkle proof, or the arguments given to build or check one, is invalid."""


class NoteError(LedgerError):
    """A signed note, verifier key or checkpoint is malformed, or a known key's signature fails."""


class CommitmentError(LedgerError):
    """Revealed content and salt do not hash to the commitment stored in the entry."""


class ImmutableError(LedgerError):
    """Ledger rows are append-only: they cannot be updated or deleted through the ORM."""


class EntryError(LedgerError):
    """The arguments of ``record`` cannot be turned into a ledger entry."""


class WitnessError(LedgerError):
    """A party's witness refused to cosign a checkpoint."""


class ConflictError(WitnessError):
    """The witness state was changed concurrently; the cosignature was not produced."""
