"""Demo step of the ledger: party keys for UA and RU, a signed checkpoint, both parties' cosignatures.

Runs last in ``homeward demo`` (after the other domains have written their entries) and is
idempotent: keys are registered once, a checkpoint is signed only if the log grew, and each party
cosigns only what it has not cosigned yet.  The demo parties' private keys live in
``$HOMEWARD_HOME/keys/demo-<party>.key`` — in a real deployment each party keeps its own.
"""

from __future__ import annotations

from homeward.ledger import service, witness
from homeward.ledger.errors import LedgerError
from homeward.ledger.note import Signer

DEMO_PARTIES = ("UA", "RU")


def _demo_signer(party_code: str) -> Signer:
    path = service.keys_dir() / f"demo-{party_code.lower()}.key"
    if not path.exists():
        service.write_private_key(path, Signer.generate(f"{party_code.lower()}.homeward.demo"))
    return service.read_private_key(path)


def _log_instance() -> str:
    """Names the log by its first entry, so a demo database built afresh (keys kept) gets fresh demo
    witnesses; a real witness keeps one state per log and refuses a rewritten history."""
    first = service.entries(0, 1)
    return bytes(first[0].leaf_hash).hex()[:12] if first else "empty"


def load_demo() -> None:
    for code in DEMO_PARTIES:
        if service.current_key(code) is None:
            try:
                service.register_key(code, _demo_signer(code).verifier(), actor=None)
            except LedgerError:
                pass  # no such party in this database: it will not cosign
    cp = service.make_checkpoint()
    for code in DEMO_PARTIES:
        signer = _demo_signer(code)
        key = service.current_key(code)
        if key is None or bytes(key.public_key) != signer.public_key:
            continue
        if cp.cosignatures.filter(party_code=code).exists():
            continue
        store = witness.FileStateStore(service.keys_dir() / f"demo-{code.lower()}-{_log_instance()}.witness.json")
        service.cosign_latest(signer, code, store)
