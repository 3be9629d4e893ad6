"""The ledger service contract other apps rely on: record, record_many, reveal, storage, checkpoints."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from homeward.ledger import entry as codec
from homeward.ledger import merkle, service, storage
from homeward.ledger.errors import CommitmentError, EntryError, ImmutableError, LedgerError, ProofError
from homeward.ledger.models import Checkpoint, EntryOpening, LedgerEntry, TreeNode
from homeward.ledger.note import open_note, parse_checkpoint


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path
    return tmp_path


def _record(i: int = 0, **content: Any) -> LedgerEntry:
    return service.record(
        "case_transition",
        actor=None,
        party_code="UA",
        object_type="registry.case",
        object_id=i,
        content=content or {"i": i},
    )


@pytest.mark.django_db
def test_record_stores_a_sealed_entry_with_no_content_kind_party_or_object() -> None:
    secret = "Олександр Коваленко 2014-03-05"
    e = service.record(
        "list_submission",
        actor=None,
        party_code="UA",
        object_type="exchange.list",
        object_id=7,
        content={"child": secret, "rows": 3},
    )
    data = LedgerEntry.objects.get(index=e.index).bytes
    assert data == e.bytes
    assert secret.encode() not in data and "Олександр".encode() not in data
    leaf = json.loads(data)
    assert sorted(leaf) == ["commitment", "v"] and leaf["v"] == 2
    assert data == json.dumps(leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert len(data) == 87
    assert b"list_submission" not in data and b"UA" not in data and b"exchange" not in data
    meta, meta_salt = service.metadata(e)
    assert leaf["commitment"] == hashlib.sha256(meta_salt + meta).hexdigest()
    fields = json.loads(meta)
    assert sorted(fields) == ["actor", "commitment", "kind", "object_id", "object_type", "party", "time", "v"]
    assert meta == json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert (fields["kind"], fields["object_id"], fields["party"]) == ("list_submission", "7", "UA")
    assert codec.open_entry(data, meta, meta_salt) == e.fields


@pytest.mark.django_db
def test_actor_is_recorded_by_id(users: dict[str, Any]) -> None:
    e = service.record(
        "match_decision",
        actor=users["mediator"],
        party_code="QA",
        object_type="linkage.pair",
        object_id="12",
        content={"decision": "match"},
    )
    assert e.fields.actor == users["mediator"].pk


@pytest.mark.django_db
def test_reveal_returns_content_and_salt_that_open_the_commitment() -> None:
    e = _record(1, name="Марія", score=0.93)
    content, salt = service.reveal(e)
    assert content == {"name": "Марія", "score": 0.93}
    assert len(salt) == 32
    service.verify_reveal(e, content, salt)
    assert e.fields.commitment == hashlib.sha256(salt + codec.canonical(content)).hexdigest()


@pytest.mark.django_db
def test_changed_revealed_content_fails_the_commitment_without_echoing_it() -> None:
    e = _record(2, name="Марія")
    content, salt = service.reveal(e)
    with pytest.raises(CommitmentError) as err:
        service.verify_reveal(e, {"name": "Мария"}, salt)
    assert "Мария" not in str(err.value)
    with pytest.raises(CommitmentError):
        service.verify_reveal(e, content, bytes(32))


@pytest.mark.django_db
def test_same_content_twice_gives_different_commitments() -> None:
    a, b = _record(3, same=1), _record(3, same=1)
    assert a.fields.commitment != b.fields.commitment


@pytest.mark.django_db
def test_entry_rolls_back_with_the_callers_transaction() -> None:
    _record(0)
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(1)
        raise RuntimeError("the action failed")
    assert LedgerEntry.objects.count() == 1
    assert storage.current_size() == 1
    assert _record(2).index == 1  # no gap: the rolled-back index is reused


@pytest.mark.django_db
def test_indices_are_consecutive_across_record_and_record_many() -> None:
    first = _record(0)
    batch = service.record_many(
        service.Record("list_response", None, "RU", "exchange.list", i, {"i": i}) for i in range(5)
    )
    last = _record(9)
    assert [first.index, *(e.index for e in batch), last.index] == list(range(7))


@pytest.mark.django_db
def test_malformed_kind_identifier_or_content_is_refused() -> None:
    bad: list[dict[str, Any]] = [
        {"kind": "Bad Kind", "object_id": 1, "content": {}},
        {"kind": "case_transition", "object_id": "a b", "content": {}},
        {"kind": "case_transition", "object_id": 1, "content": {1: 2}},
        {"kind": "case_transition", "object_id": 1, "content": {"f": float("nan")}},
        {"kind": "case_transition", "object_id": 1, "content": {"d": object()}},
    ]
    for args in bad:
        with pytest.raises(EntryError):
            service.record(
                args["kind"],
                actor=None,
                party_code="UA",
                object_type="x",
                object_id=args["object_id"],
                content=args["content"],
            )
    assert LedgerEntry.objects.count() == 0


@pytest.mark.django_db
def test_orm_refuses_to_update_or_delete_ledger_rows() -> None:
    e = LedgerEntry.objects.get(index=_record(0).index)
    with pytest.raises(ImmutableError):
        e.save()
    with pytest.raises(ImmutableError):
        e.delete()
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.filter(index=0).update(kind="x")
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(ImmutableError):
        TreeNode.objects.all().delete()
    with pytest.raises(ImmutableError):
        EntryOpening.objects.all().update(salt=b"")
    assert LedgerEntry.objects.get(index=0).bytes == e.bytes


@pytest.mark.django_db
def test_stored_proofs_equal_the_rfc_reference_for_every_index_and_size() -> None:
    service.record_many(service.Record("case_transition", None, "UA", "c", i, {"i": i}) for i in range(23))
    data = storage.entry_bytes(0, 23)
    for size in range(1, 24):
        assert storage.root(size) == merkle.root_hash(data[:size])
        for index in range(size):
            assert storage.inclusion_proof(index, size) == merkle.inclusion_proof(data[:size], index)
        for old in range(1, size + 1):
            assert storage.consistency_proof(old, size) == merkle.consistency_proof(data[:size], old)


@pytest.mark.django_db
def test_a_proof_reads_its_subtree_hashes_in_one_query(django_assert_max_num_queries: Any) -> None:
    service.record_many(service.Record("case_transition", None, "UA", "c", i, {}) for i in range(300))
    with django_assert_max_num_queries(1):  # the O(log n) nodes, and the last leaf to check the size
        storage.inclusion_proof(137, 300)
    with django_assert_max_num_queries(1):
        storage.consistency_proof(100, 300)


@pytest.mark.django_db
def test_proof_beyond_the_ledger_size_is_refused() -> None:
    _record(0)
    _record(1)
    with pytest.raises(ProofError, match="outside the ledger"):
        storage.inclusion_proof(0, 3)
    with pytest.raises(ProofError, match="outside the ledger"):
        storage.consistency_proof(1, 3)
    with pytest.raises(ProofError, match="outside the ledger"):
        storage.root(3)
    with transaction.atomic():  # an uncommitted append is invisible once rolled back
        sid = transaction.savepoint()
        _record(2)
        assert len(storage.inclusion_proof(0, 3)) == 2
        transaction.savepoint_rollback(sid)
    with pytest.raises(ProofError, match="outside the ledger"):
        storage.inclusion_proof(0, 3)


@pytest.mark.django_db
def test_log_key_is_created_on_first_use_owner_only(ledger_home: Path) -> None:
    signer = service.log_signer()
    path = ledger_home / "keys" / "ledger-log.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert service.log_signer() == signer
    assert signer.name == service.origin()


@pytest.mark.django_db
def test_checkpoint_is_a_signed_c2sp_note_over_the_current_root() -> None:
    service.record_many(service.Record("case_transition", None, "UA", "c", i, {}) for i in range(5))
    cp = service.make_checkpoint()
    note, _ = open_note(cp.note, [service.log_verifier()])
    body = parse_checkpoint(note.text)
    assert (body.origin, body.size, body.root) == (service.origin(), 5, merkle.root_hash(storage.entry_bytes(0, 5)))


@pytest.mark.django_db
def test_checkpoint_is_not_resigned_when_the_log_did_not_grow() -> None:
    _record(0)
    first = service.make_checkpoint()
    assert service.make_checkpoint() == first
    assert service.checkpoint_if_due(0) == first
    _record(1)
    assert service.checkpoint_if_due(3600) == first  # not due yet
    later = service.checkpoint_if_due(0)
    assert later.size == 2
    assert Checkpoint.objects.count() == 2


@pytest.mark.django_db
def test_log_refuses_to_sign_a_checkpoint_inconsistent_with_its_last() -> None:
    service.record_many(service.Record("case_transition", None, "UA", "c", i, {}) for i in range(4))
    service.make_checkpoint()
    _record(9)
    with connection.cursor() as cur:  # someone rewrites the stored hash of leaves 0..3
        cur.execute("UPDATE ledger_treenode SET hash = %s WHERE key = %s", [bytes(32), (2 << 48) | 0])
    with pytest.raises(LedgerError):
        service.make_checkpoint()
    assert Checkpoint.objects.count() == 1


@pytest.mark.django_db
def test_case_transition_in_the_registry_appends_a_ledger_entry(users: dict[str, Any]) -> None:
    from tests.factories import make_child

    before = storage.current_size()
    make_child(users["ua"])
    entries = service.entries(before, storage.current_size())
    assert [e.kind for e in entries] == ["case_transition"]
    assert entries[0].fields.party == "UA"
    assert "Коваленко".encode() not in entries[0].bytes


@pytest.mark.django_db
def test_demo_step_registers_both_parties_and_cosigns_idempotently(parties: dict[str, Any]) -> None:
    from homeward.ledger import demo
    from homeward.ledger.verify import verify_ledger

    _record(0)
    demo.load_demo()
    demo.load_demo()
    cp = service.latest_checkpoint()
    assert cp is not None
    assert sorted(c.party_code for c in cp.cosignatures.all()) == ["RU", "UA"]
    assert [k.party_code for k in service.party_keys()] == ["RU", "UA"]
    _record(1)
    demo.load_demo()
    assert service.latest_checkpoint().cosignatures.count() == 2  # type: ignore[union-attr]
    assert verify_ledger().cosignatures == 4
