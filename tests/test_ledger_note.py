"""C2SP signed notes, checkpoints and cosignatures, checked against the shared vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from homeward.ledger import note
from homeward.ledger.errors import LedgerError, NoteError

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "rfc6962_merkle_vectors.json"


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    if not VECTORS.exists():
        pytest.skip(f"shared conformance vectors not present at {VECTORS}")
    return json.loads(VECTORS.read_text())["signed_note_kats"]["cases"]


def test_published_signed_notes_verify_byte_for_byte(cases: list[dict[str, Any]]) -> None:
    assert len(cases) == 2
    for case in cases:
        verifier = note.Verifier.from_vkey(case["verifier_key"])
        assert verifier.vkey == case["verifier_key"]
        parsed, good = note.open_note(case["signed_note"], [verifier])
        assert parsed.text == case["text"]
        assert [s.name for s in good] == [verifier.name]
        assert parsed.serialize() == case["signed_note"]


def test_resigning_with_the_public_test_private_key_reproduces_the_signature(
    cases: list[dict[str, Any]],
) -> None:
    case = cases[0]
    signer = note.Signer.from_skey(case["signer_key"])
    assert signer.skey == case["signer_key"]
    assert signer.verifier().vkey == case["verifier_key"]
    assert signer.sign(case["text"]) == case["signed_note"]


def test_second_signature_line_verifies_and_unknown_signers_are_ignored(cases: list[dict[str, Any]]) -> None:
    case = cases[0]
    both = case["signed_note"] + case["second_signature_line"]
    peter = note.Verifier.from_vkey(case["verifier_key"])
    enoch = note.Verifier.from_vkey(case["second_verifier_key"])
    _, good = note.open_note(both, [peter, enoch])
    assert [s.name for s in good] == ["PeterNeumann", "EnochRoot"]
    _, only_enoch = note.open_note(both, [enoch])
    assert [s.name for s in only_enoch] == ["EnochRoot"]


def test_note_with_a_changed_text_byte_is_rejected(cases: list[dict[str, Any]]) -> None:
    case = cases[0]
    verifier = note.Verifier.from_vkey(case["verifier_key"])
    forged = case["signed_note"].replace("cryptography", "cryptograph!", 1)
    with pytest.raises(NoteError, match="does not verify"):
        note.open_note(forged, [verifier])


def test_note_signed_by_no_known_key_is_rejected(cases: list[dict[str, Any]]) -> None:
    stranger = note.Signer.generate("stranger").verifier()
    with pytest.raises(NoteError, match="no known key"):
        note.open_note(cases[1]["signed_note"], [stranger])


def test_verifier_key_with_wrong_key_id_is_rejected(cases: list[dict[str, Any]]) -> None:
    vkey = cases[1]["verifier_key"].replace("+530d903a+", "+530d903b+")
    with pytest.raises(NoteError, match="key ID"):
        note.Verifier.from_vkey(vkey)


def test_checkpoint_body_round_trips_the_c2sp_example() -> None:
    body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    checkpoint = note.parse_checkpoint(body)
    assert checkpoint.size == 20852163
    assert checkpoint.body() == body


def test_checkpoint_with_leading_zero_size_is_rejected() -> None:
    with pytest.raises(NoteError):
        note.parse_checkpoint("o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")


def test_cosignature_signs_the_c2sp_message_and_verifies_with_type_4_key_id() -> None:
    log = note.Signer.generate("log.example")
    witness = note.Signer.generate("witness.example/ua")
    body = note.Checkpoint("log.example", 3, b"\x01" * 32).body()
    signed = note.parse_note(log.sign(body)).add(witness.cosign(body, 1679315147))
    reparsed = note.parse_note(signed.serialize())
    found = note.verify_cosignatures(reparsed, [witness.cosigner()])
    assert [(c.name, c.timestamp) for c in found] == [("witness.example/ua", 1679315147)]
    assert found[0].key_id == note.key_id("witness.example/ua", 0x04, witness.public_key)
    assert witness.cosigner().check(
        b"cosignature/v1\ntime 1679315147\n" + body.encode(), reparsed.signatures[1].signature[8:]
    )
    # The log's note verifier still opens the note: the cosignature is an unknown signature to it.
    note.open_note(signed.serialize(), [log.verifier()])


def test_cosignature_over_another_checkpoint_is_rejected() -> None:
    witness = note.Signer.generate("w")
    log = note.Signer.generate("l")
    body = note.Checkpoint("l", 3, b"\x01" * 32).body()
    other = note.Checkpoint("l", 4, b"\x02" * 32).body()
    sig = witness.cosign(other, 5)
    forged = note.parse_note(log.sign(body)).add(sig)
    with pytest.raises(NoteError, match="cosignature by w"):
        note.verify_cosignatures(forged, [witness.cosigner()])


# --- the entry encoding (pure) -----------------------------------------------------------------


def test_entry_encoding_is_byte_for_byte_the_canonical_json() -> None:
    import json as _json

    from homeward.ledger import entry as codec

    for actor, party in ((None, ""), (7, "UA"), (123456789, "NGO-1")):
        e = codec.Entry(
            1, "list_submission", "2026-11-22T09:30:00.123456Z", actor, party, "exchange.list", "a:1", "ab" * 32
        )
        assert codec.encode_entry(e) == codec.canonical(e.as_dict())
        assert codec.decode_entry(codec.encode_entry(e)) == e
        reencoded = _json.dumps(_json.loads(codec.encode_entry(e)), sort_keys=True, separators=(",", ":"))
        assert reencoded.encode() == codec.encode_entry(e)


def test_entry_fields_with_a_trailing_newline_or_quote_are_refused() -> None:
    from homeward.ledger import entry as codec

    for bad in ({"party": "UA\n"}, {"object_id": '1"'}, {"kind": "list_submission\n"}, {"object_type": ""}):
        fields = {
            "v": 1,
            "kind": "list_submission",
            "time": "2026-11-22T09:30:00.123456Z",
            "actor": None,
            "party": "UA",
            "object_type": "l",
            "object_id": "1",
            "commitment": "ab" * 32,
            **bad,
        }
        with pytest.raises(LedgerError):
            codec.encode_entry(codec.Entry(**fields))


def test_non_canonical_entry_bytes_are_refused() -> None:
    from homeward.ledger import entry as codec

    e = codec.Entry(1, "list_submission", "2026-11-22T09:30:00.123456Z", None, "UA", "l", "1", "ab" * 32)
    data = codec.encode_entry(e)
    for variant in (data.replace(b",", b", ", 1), data + b"\n", b" " + data):
        with pytest.raises(LedgerError):
            codec.decode_entry(variant)
