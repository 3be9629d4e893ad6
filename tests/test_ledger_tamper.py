"""Tampering with the stored ledger is caught by ``homeward ledger verify`` and by a party's cosigning step.

Two attackers, both with write access to the database file (the ORM's refusal does not apply to them):

* a *naive* one changes entry rows only;
* a *thorough* one also recomputes every stored hash so proofs stay self-consistent, and signs a
  new checkpoint with the log key (a compromised platform).

The naive one is named precisely by ``verify`` (the entry whose bytes no longer match its leaf hash)
and by a witness running a full audit.  The thorough one is caught by ``verify`` (a signed root no
longer matches) and by every witness, whose consistency check from its last cosigned tree fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection
from django.utils import timezone

from homeward.cli.ledger import ledger as ledger_cli
from homeward.ledger import merkle, service, storage, witness
from homeward.ledger.errors import WitnessError
from homeward.ledger.models import Checkpoint
from homeward.ledger.note import Checkpoint as Body
from homeward.ledger.note import Signer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path, parties: dict[str, Any]) -> Path:
    settings.HOME = tmp_path
    return tmp_path


def _append(n: int, tag: str = "a") -> None:
    service.record_many(
        service.Record("case_transition", None, "UA", "registry.case", f"{tag}{i}", {"i": i}) for i in range(n)
    )


@pytest.fixture
def cosigned(tmp_path: Path) -> tuple[Signer, witness.FileStateStore]:
    """A ledger of 10 entries, checkpointed and cosigned by UA, then 3 more entries."""
    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    _append(9)
    service.make_checkpoint()
    store = witness.FileStateStore(tmp_path / "ua.witness.json")
    service.cosign_latest(ua, "UA", store)
    _append(3, "b")
    return ua, store


def _verify_output() -> tuple[int, str]:
    result = CliRunner().invoke(ledger_cli, ["verify"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def _sql(query: str, params: list[Any]) -> None:
    with connection.cursor() as cur:
        cur.execute(query, params)


def _data(index: int) -> bytes:
    return storage.entry_bytes(index, index + 1)[0]


def _set_data(index: int, data: bytes) -> None:
    _sql('UPDATE ledger_ledgerentry SET data = %s WHERE "index" = %s', [data, index])


def _flip_commitment_digit(data: bytes) -> bytes:
    """Change one hex digit of the commitment: the entry stays canonical JSON."""
    at = data.index(b'"commitment":"') + len(b'"commitment":"')
    digit = b"1" if data[at : at + 1] != b"1" else b"2"
    return data[:at] + digit + data[at + 1 :]


_ROW = ["data", "kind", "party_code", "object_type", "object_id", "recorded_at"]
_OPENING = ["salt", "content", "meta_salt", "meta"]


def _row(index: int) -> tuple[list[Any], list[Any]]:
    """An entry's row and its opening's row, as a thorough attacker copies them."""
    from homeward.ledger.models import EntryOpening, LedgerEntry

    entry = list(LedgerEntry.objects.filter(index=index).values_list(*_ROW).get())
    opening = list(EntryOpening.objects.filter(entry_id=index).values_list(*_OPENING).get())
    return entry, opening


def _put_row(index: int, row: tuple[list[Any], list[Any]]) -> None:
    entry, opening = row
    sets = ", ".join(c + " = %s" for c in _ROW)
    _sql(f'UPDATE ledger_ledgerentry SET {sets} WHERE "index" = %s', [*entry, index])  # noqa: S608 - our columns
    sets = ", ".join(c + " = %s" for c in _OPENING)
    _sql(f"UPDATE ledger_entryopening SET {sets} WHERE entry_index = %s", [*opening, index])  # noqa: S608


def _reseal(index: int, **changes: str) -> None:
    """A thorough attacker's edit: new metadata for entry ``index``, sealed afresh, bytes and opening replaced."""
    from homeward.ledger import entry as codec

    entry, opening = _row(index)
    meta = codec.decode_entry(bytes(opening[3]))
    meta = codec.Entry(**{**meta.as_dict(), **changes})
    salt = codec.new_salt()
    leaf, meta_bytes = codec.seal(meta, salt)
    entry[0] = leaf
    entry[1:5] = [meta.kind, meta.party, meta.object_type, meta.object_id]
    opening[2:4] = [salt, meta_bytes]
    _put_row(index, (entry, opening))


def _rebuild_hashes() -> None:
    """What a thorough attacker does after editing entries: recompute every stored hash."""
    rows = list(storage.LedgerEntry.objects.order_by("index").values_list("index", "data"))
    _sql("DELETE FROM ledger_treenode", [])
    leaves = [merkle.leaf_hash(bytes(d)) for _, d in rows]
    for (index, _), leaf in zip(rows, leaves, strict=True):
        _sql('UPDATE ledger_ledgerentry SET leaf_hash = %s WHERE "index" = %s', [leaf, index])
    size, _, created = merkle.extend(0, [], leaves)
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO ledger_treenode (key, hash) VALUES (%s, %s)", [((lv << 48) | ix, h) for (lv, ix), h in created]
        )
    _sql("UPDATE ledger_ledgerhead SET size = %s WHERE id = 1", [size])


def _forge_checkpoint() -> None:
    """The compromised platform signs whatever its tree now says, skipping the log's own checks."""
    size = storage.current_size()
    root = storage.root(size)
    signer = service.log_signer()
    Checkpoint.objects.create(
        size=size,
        root=root,
        note=signer.sign(Body(service.origin(), size, root).body()),
        log_key=signer.verifier().vkey,
        created_at=timezone.now(),
    )


def _cosign(ua: Signer, store: witness.StateStore, *, full_audit: bool) -> None:
    service.cosign_latest(ua, "UA", store, full_audit=full_audit)


# --- the untampered ledger passes ----------------------------------------------------------------


def test_untampered_ledger_passes_verify_and_cosigning(cosigned: tuple[Signer, witness.FileStateStore]) -> None:
    ua, store = cosigned
    service.make_checkpoint()
    _cosign(ua, store, full_audit=True)
    code, out = _verify_output()
    assert code == 0, out
    assert "OK: 13 entries" in out


# --- a flipped byte ---------------------------------------------------------------------------------


def test_flipped_byte_in_entry_is_caught_by_verify(cosigned: Any) -> None:
    _set_data(4, _flip_commitment_digit(_data(4)))
    code, out = _verify_output()
    assert code == 1
    assert "entry 4" in out


def test_flipped_byte_in_entry_is_caught_by_a_party_auditing_before_cosigning(cosigned: Any) -> None:
    ua, store = cosigned
    _set_data(4, _flip_commitment_digit(_data(4)))
    service.make_checkpoint()  # the stored hashes are untouched, so the log still signs the honest root
    with pytest.raises(WitnessError, match="no longer produce the root cosigned before"):
        _cosign(ua, store, full_audit=True)


def test_flipped_byte_in_entry_is_named_by_verify_as_not_opening_its_metadata(cosigned: Any) -> None:
    _set_data(4, _flip_commitment_digit(_data(4)))
    code, out = _verify_output()
    assert code == 1
    assert "entry 4: not a valid ledger entry (the metadata opening does not match the entry's commitment)" in out


def test_changed_entry_columns_are_caught_by_verify(cosigned: Any) -> None:
    """The kind/party/object columns decide who may open an entry: they must agree with the sealed metadata."""
    _sql('UPDATE ledger_ledgerentry SET party_code = %s WHERE "index" = %s', ["RU", 4])
    code, out = _verify_output()
    assert code == 1
    assert "entry 4: its stored kind, party, object or time differ from its entry" in out


def test_resealed_entry_with_rebuilt_hashes_is_caught_by_verify_and_cosigning(cosigned: Any) -> None:
    ua, store = cosigned
    _reseal(4, object_id="forged")
    _rebuild_hashes()
    _forge_checkpoint()
    code, out = _verify_output()
    assert code == 1
    assert re.search(r"checkpoint #\d+ \(size 10\): root does not match the stored entries", out)
    with pytest.raises(WitnessError, match="not consistent with cosigned size 10"):
        _cosign(ua, store, full_audit=False)


def test_flipped_byte_in_a_new_entry_is_caught_by_incremental_cosigning(cosigned: Any) -> None:
    ua, store = cosigned
    service.make_checkpoint()
    _set_data(11, _flip_commitment_digit(_data(11)))  # after signing: the checkpoint is honest, the bytes not
    with pytest.raises(WitnessError, match="entries 10..12 as served do not produce the checkpoint root"):
        _cosign(ua, store, full_audit=False)


# --- a deleted entry -----------------------------------------------------------------------------------


def test_deleted_entry_is_caught_by_verify(cosigned: Any) -> None:
    _sql("DELETE FROM ledger_entryopening WHERE entry_index = %s", [6])
    _sql('DELETE FROM ledger_ledgerentry WHERE "index" = %s', [6])
    code, out = _verify_output()
    assert code == 1
    assert "entry 6 is missing" in out


def test_deleted_entry_is_caught_by_a_party_auditing_before_cosigning(cosigned: Any) -> None:
    ua, store = cosigned
    _sql("DELETE FROM ledger_entryopening WHERE entry_index = %s", [6])
    _sql('DELETE FROM ledger_ledgerentry WHERE "index" = %s', [6])
    service.make_checkpoint()
    with pytest.raises(WitnessError, match="audit"):
        _cosign(ua, store, full_audit=True)


def test_deleted_entry_with_renumbering_and_rebuilt_hashes_is_caught(cosigned: Any) -> None:
    ua, store = cosigned
    last = storage.current_size() - 1
    later = [(i, _row(i)) for i in range(7, last + 1)]
    for i, row in later:  # close the gap: every later row, with its opening, one place down
        _put_row(i - 1, row)
    _sql("DELETE FROM ledger_entryopening WHERE entry_index = %s", [last])
    _sql('DELETE FROM ledger_ledgerentry WHERE "index" = %s', [last])
    _rebuild_hashes()
    _forge_checkpoint()
    code, out = _verify_output()
    assert code == 1
    assert re.search(r"checkpoint #\d+ \(size 10\): root does not match", out)
    with pytest.raises(WitnessError, match="not consistent"):
        _cosign(ua, store, full_audit=False)


# --- two entries swapped ----------------------------------------------------------------------------


def _swap(a: int, b: int) -> None:
    da, db = _data(a), _data(b)
    _set_data(a, db)
    _set_data(b, da)


def test_reordered_entries_are_caught_by_verify(cosigned: Any) -> None:
    _swap(2, 3)
    code, out = _verify_output()
    assert code == 1
    assert "entry 2" in out


def test_reordered_entries_are_caught_by_a_party_auditing_before_cosigning(cosigned: Any) -> None:
    ua, store = cosigned
    _swap(2, 3)
    service.make_checkpoint()
    with pytest.raises(WitnessError, match="no longer produce the root cosigned before"):
        _cosign(ua, store, full_audit=True)


def test_reordered_entries_with_rebuilt_hashes_are_caught(cosigned: Any) -> None:
    ua, store = cosigned
    a, b = _row(2), _row(3)  # the whole rows, openings included
    _put_row(2, b)
    _put_row(3, a)
    _rebuild_hashes()
    _forge_checkpoint()
    code, out = _verify_output()
    assert code == 1
    assert re.search(r"checkpoint #\d+ \(size 10\): root does not match", out)
    with pytest.raises(WitnessError, match="not consistent"):
        _cosign(ua, store, full_audit=False)


# --- roll back and grow differently (split view) -----------------------------------------------------


def _roll_back_to(size: int) -> None:
    _sql("DELETE FROM ledger_entryopening WHERE entry_index >= %s", [size])
    _sql('DELETE FROM ledger_ledgerentry WHERE "index" >= %s', [size])
    _rebuild_hashes()


def test_split_view_is_caught_by_verify(cosigned: Any) -> None:
    _roll_back_to(7)
    _append(8, "other")  # grows past the cosigned size 10, differently
    _forge_checkpoint()
    code, out = _verify_output()
    assert code == 1
    assert re.search(r"checkpoint #\d+ \(size 10\): root does not match", out)


def test_split_view_is_caught_by_cosigning_even_if_old_checkpoints_are_erased(cosigned: Any) -> None:
    ua, store = cosigned
    _roll_back_to(7)
    _append(8, "other")
    _sql("DELETE FROM ledger_cosignature", [])
    _sql("DELETE FROM ledger_checkpoint", [])  # the platform hides the view the party cosigned
    _forge_checkpoint()
    code, _ = _verify_output()
    assert code == 0  # the platform's own records are now self-consistent ...
    with pytest.raises(WitnessError, match="not consistent with cosigned size 10"):
        _cosign(ua, store, full_audit=False)  # ... but the party remembers what it cosigned


def test_roll_back_to_a_smaller_tree_is_refused_by_the_party(cosigned: Any) -> None:
    ua, store = cosigned
    _roll_back_to(7)
    _forge_checkpoint()
    with pytest.raises(WitnessError, match="roll-back"):
        _cosign(ua, store, full_audit=False)
    assert store.load() is not None and store.load().size == 10  # type: ignore[union-attr]


# --- the web page's quick check ---------------------------------------------------------------------


def test_quick_check_catches_rebuilt_hashes_and_a_flipped_recent_entry(cosigned: Any) -> None:
    from homeward.ledger.verify import VerificationError, verify_ledger

    assert verify_ledger(full=False).size == 13
    _set_data(11, _flip_commitment_digit(_data(11)))
    with pytest.raises(VerificationError, match="entry 11"):
        verify_ledger(full=False)
    _set_data(4, _flip_commitment_digit(_data(4)))  # an old entry, covered by the signed checkpoint
    _rebuild_hashes()
    with pytest.raises(VerificationError, match=r"checkpoint #\d+ \(size 10\): root does not match the stored tree"):
        verify_ledger(full=False)


def test_backdated_entry_is_caught_by_verify(cosigned: Any) -> None:
    """The platform appends an entry claiming an earlier time than the one before it."""
    from datetime import timedelta

    from django.db import transaction

    from homeward.ledger import entry as codec

    past = timezone.now() - timedelta(days=30)
    salt = codec.new_salt()
    content = codec.canonical({"rows": 212})
    fields = codec.Entry(
        1,
        "list_response",
        codec.format_time(past),
        None,
        "RU",
        "exchange.list",
        "9",
        codec.commit_bytes(salt, content).hex(),
    )
    item = storage.PreparedEntry(
        codec.encode_entry(fields), fields.kind, "RU", "exchange.list", "9", past, salt, content
    )
    with transaction.atomic():
        storage.append([item])
    code, out = _verify_output()
    assert code == 1
    assert "entry 13: its time is earlier than the entry before it" in out
