"""Party keys, signed submissions, rotation and the witness's compare-and-swap."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import pytest

from homeward.ledger import entry as codec
from homeward.ledger import merkle, service, storage, witness
from homeward.ledger.errors import ConflictError, LedgerError, NoteError, WitnessError
from homeward.ledger.models import PartyKey
from homeward.ledger.note import Signer, parse_note, verify_cosignatures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path, parties: dict[str, Any]) -> Path:
    settings.HOME = tmp_path
    return tmp_path


def _append(n: int) -> None:
    service.record_many(service.Record("list_response", None, "RU", "exchange.list", i, {"i": i}) for i in range(n))


def test_key_registration_is_a_ledger_entry_that_commits_to_the_key() -> None:
    ua = Signer.generate("ua.homeward")
    key = service.register_key("UA", ua.verifier(), actor=None)
    entry = service.entries(key.registered_index, key.registered_index + 1)[0]
    assert entry.kind == codec.KEY_REGISTRATION
    content, salt = service.reveal(entry)
    service.verify_reveal(entry, content, salt)
    assert content["vkey"] == ua.verifier().vkey == key.vkey
    assert content["cosigner_vkey"] == ua.cosigner().vkey


def test_key_for_an_unknown_party_is_refused() -> None:
    with pytest.raises(LedgerError, match="no party with code XX"):
        service.register_key("XX", Signer.generate("xx.homeward").verifier(), actor=None)
    assert not PartyKey.objects.exists()


def test_second_registration_must_be_a_rotation() -> None:
    service.register_key("UA", Signer.generate("ua.homeward").verifier(), actor=None)
    with pytest.raises(LedgerError, match="rotate"):
        service.register_key("UA", Signer.generate("ua.homeward").verifier(), actor=None)


def test_party_signed_submission_verifies_and_a_forged_one_does_not() -> None:
    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    digest = hashlib.sha256(b"list file bytes").hexdigest()
    signed = service.sign_statement(ua, "list_submission", "UA", 7, digest)
    assert [s.name for s in service.verify_statement("UA", signed)] == ["ua.homeward"]
    ru = Signer.generate("ua.homeward")  # same name, other key: an impostor
    with pytest.raises(NoteError):
        service.verify_statement("UA", service.sign_statement(ru, "list_submission", "UA", 7, digest))
    tampered = signed.replace(digest, hashlib.sha256(b"other list").hexdigest())
    with pytest.raises(NoteError):
        service.verify_statement("UA", tampered)


def test_old_key_still_verifies_what_it_signed_before_rotation() -> None:
    old = Signer.generate("ua.homeward")
    service.register_key("UA", old.verifier(), actor=None)
    signed_before = service.sign_statement(old, "list_submission", "UA", 1, "ab" * 32)
    index_before = storage.current_size()
    _append(1)
    new = Signer.generate("ua.homeward")
    rotated = service.rotate_key("UA", new.verifier(), actor=None)
    assert service.entries(rotated.registered_index, rotated.registered_index + 1)[0].kind == codec.KEY_ROTATION
    assert PartyKey.objects.get(public_key=old.public_key).retired_index == rotated.registered_index
    assert service.verify_statement("UA", signed_before, at_index=index_before)
    assert service.verify_statement("UA", signed_before)  # all of the party's keys, old ones included
    with pytest.raises(NoteError):  # the old key is not valid for entries after the rotation
        service.verify_statement("UA", signed_before, at_index=rotated.registered_index + 1)
    assert service.current_key("UA") == rotated


def test_cosignature_after_rotation_needs_the_new_key_and_old_cosignatures_still_verify(tmp_path: Path) -> None:
    old = Signer.generate("ua.homeward")
    service.register_key("UA", old.verifier(), actor=None)
    _append(3)
    first = service.make_checkpoint()
    service.cosign_latest(old, "UA", witness.FileStateStore(tmp_path / "old.json"))
    new = Signer.generate("ua.homeward")
    service.rotate_key("UA", new.verifier(), actor=None)
    service.make_checkpoint()
    with pytest.raises(NoteError, match="current key"):
        service.cosign_latest(old, "UA", witness.FileStateStore(tmp_path / "old.json"))
    service.cosign_latest(new, "UA", witness.FileStateStore(tmp_path / "new.json"))
    note = parse_note(service.checkpoint_note(first))
    cosigners = [k.verifier.as_cosigner() for k in service.party_keys("UA")]
    assert [c.key_id for c in verify_cosignatures(note, cosigners)] == [old.cosigner().key_id]


def test_witness_refuses_a_stale_state_compare_and_swap(tmp_path: Path) -> None:
    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    _append(4)
    service.make_checkpoint()
    store = witness.FileStateStore(tmp_path / "ua.json")
    service.cosign_latest(ua, "UA", store)
    stale = store.load()
    _append(2)
    service.make_checkpoint()
    service.cosign_latest(ua, "UA", store)
    with pytest.raises(ConflictError):
        store.compare_and_swap(stale, witness.WitnessState(service.origin(), 1, bytes(32)))
    assert store.load() is not None and store.load().size == storage.current_size()  # type: ignore[union-attr]


def test_two_concurrent_cosigns_from_one_state_produce_one_signature() -> None:
    """The trillian-examples#343 race: both read state A, only one may swap it."""
    signer, log = Signer.generate("w"), Signer.generate("log")
    entries = [bytes([i]) for i in range(6)]
    origin = "log"

    def checkpoint(size: int) -> str:
        from homeward.ledger.note import Checkpoint as Body

        return log.sign(Body(origin, size, merkle.root_hash(entries[:size])).body())

    store = witness.MemoryStateStore()
    witness.cosign(
        signer=signer,
        log_verifier=log.verifier(),
        origin=origin,
        signed_checkpoint=checkpoint(2),
        consistency_proof=[],
        new_entries=entries[:2],
        store=store,
        timestamp=1,
    )
    barrier = threading.Barrier(2)
    results: list[str] = []

    class SlowStore(witness.MemoryStateStore):
        def load(self) -> witness.WitnessState | None:
            state = super().load()
            barrier.wait()  # both threads have read the same state before either swaps
            return state

    slow = SlowStore(store.state)
    lock = threading.Lock()

    def run(size: int) -> None:
        try:
            witness.cosign(
                signer=signer,
                log_verifier=log.verifier(),
                origin=origin,
                signed_checkpoint=checkpoint(size),
                consistency_proof=merkle.consistency_proof(entries[:size], 2),
                new_entries=entries[2:size],
                store=slow,
                timestamp=2,
            )
            outcome = "signed"
        except ConflictError:
            outcome = "conflict"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in (4, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "signed"]


def test_witness_refuses_a_checkpoint_not_signed_by_the_log_key() -> None:
    signer, log, impostor = Signer.generate("w"), Signer.generate("log"), Signer.generate("log")
    from homeward.ledger.note import Checkpoint as Body

    forged = impostor.sign(Body("log", 1, merkle.root_hash([b"x"])).body())
    with pytest.raises(WitnessError, match="not signed by the log key"):
        witness.cosign(
            signer=signer,
            log_verifier=log.verifier(),
            origin="log",
            signed_checkpoint=forged,
            consistency_proof=[],
            new_entries=[b"x"],
            store=witness.MemoryStateStore(),
            timestamp=1,
        )


def test_rotation_endorsed_by_the_old_key_is_recorded_as_endorsed() -> None:
    from homeward.ledger.verify import verify_ledger

    old, new = Signer.generate("ua.homeward"), Signer.generate("ua.homeward")
    service.register_key("UA", old.verifier(), actor=None)
    endorsement = service.endorse_rotation(old, "UA", new.verifier())
    key = service.rotate_key("UA", new.verifier(), actor=None, endorsement=endorsement)
    assert key.endorsed
    content, _ = service.reveal(key.registered_index)
    assert content["endorsed"] is True and content["endorsement"] == endorsement
    service.make_checkpoint()
    assert verify_ledger().keys == 2


def test_rotation_without_the_old_key_is_flagged_as_unendorsed() -> None:
    service.register_key("UA", Signer.generate("ua.homeward").verifier(), actor=None)
    key = service.rotate_key("UA", Signer.generate("ua.homeward").verifier(), actor=None)
    assert not key.endorsed
    assert service.reveal(key.registered_index)[0]["endorsed"] is False


def test_endorsement_not_signed_by_the_old_key_or_naming_another_key_is_refused() -> None:
    old, new, other = (Signer.generate("ua.homeward") for _ in range(3))
    service.register_key("UA", old.verifier(), actor=None)
    with pytest.raises(NoteError):  # signed by the new key itself
        service.rotate_key(
            "UA", new.verifier(), actor=None, endorsement=service.endorse_rotation(new, "UA", new.verifier())
        )
    with pytest.raises(NoteError, match="another party or key"):
        service.rotate_key(
            "UA", new.verifier(), actor=None, endorsement=service.endorse_rotation(old, "UA", other.verifier())
        )
    assert service.current_key("UA").public_key == old.public_key  # type: ignore[union-attr]
