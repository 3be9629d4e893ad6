"""Ledger metadata privacy: a party verifies every proof and checkpoint, but learns nothing from the ledger about
the other party's entries: not their kinds, not their party, not their object ids (issue 13, item 5)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homeward.ledger import bundle, merkle, service
from homeward.ledger import entry as codec
from homeward.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

RU_LIST_ID = "90417"  # an id the UA side must never see


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    from django.core.cache import cache

    cache.clear()
    settings.HOME = tmp_path
    return tmp_path


@pytest.fixture
def mixed_ledger(users: dict[str, Any], ua_child: Any, ru_child: Any) -> dict[str, list[int]]:
    """UA and RU each register a child (a case transition each, through the registry); RU also submits a
    private list and records a list response; the mediator decides a match. Then a checkpoint."""
    ru_list = service.record("list_submission", actor=users["ru"], party_code="RU", object_type="exchange.list",
                             object_id=RU_LIST_ID, content={"rows": 212})
    ru_resp = service.record("list_response", actor=users["ru"], party_code="RU", object_type="exchange.entry",
                             object_id="77001", content={"status": "found"})
    med = service.record("match_decision", actor=users["mediator"], party_code="QA", object_type="candidate",
                         object_id="55", content={"decision": "same"})
    service.make_checkpoint()
    by_party: dict[str, list[int]] = {}
    for index, party in LedgerEntry.objects.values_list("index", "party_code"):
        by_party.setdefault(party, []).append(index)
    assert ru_list.index in by_party["RU"] and ru_resp.index in by_party["RU"] and med.index in by_party["QA"]
    assert by_party["UA"] and by_party["RU"]
    return by_party


def _token(client: Any, user: Any) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", {"username": user.username, "password": "pw-" + user.username},
                       content_type="application/json")
    assert resp.status_code == 200
    return {"HTTP_AUTHORIZATION": "Bearer " + resp.json()["token"]}


def _ru_secrets() -> list[str]:
    """Every string of RU's entries' metadata that a UA reader could use: kinds, object types and ids, 'RU'."""
    out: set[str] = set()
    ua_types = set(LedgerEntry.objects.filter(party_code="UA").values_list("object_type", flat=True))
    for e in LedgerEntry.objects.filter(party_code="RU"):
        out |= {f'"object_id":"{e.object_id}"', f'"party":"{e.party_code}"'}
        if e.object_type not in ua_types:  # a type UA records too says nothing about RU
            out.add(e.object_type)
    out |= {"list_submission", "list_response", "exchange.list", "exchange.entry", RU_LIST_ID}
    return sorted(out)


def _texts(answer: Any) -> str:
    """The response as a reader sees it, with the JSON strings inside it (entries, openings) unescaped."""
    texts = [json.dumps(answer, ensure_ascii=False)]
    for e in answer.get("entries", [answer]):
        texts.append(e["entry"] if "proof" not in e else base64.b64decode(e["entry"]).decode())
        if e.get("opening"):
            texts.append(e["opening"]["meta"])
    return "\n".join(texts)


def test_every_leaf_is_a_sealed_commitment_of_one_length(mixed_ledger: dict[str, list[int]]) -> None:
    datas = [bytes(d) for d in LedgerEntry.objects.values_list("data", flat=True)]
    assert {len(d) for d in datas} == {87}
    for d in datas:
        leaf = codec.decode_leaf(d)
        assert leaf.v == 2 and leaf.entry is None and leaf.commitment is not None


def test_ua_officer_reading_the_entries_api_sees_none_of_rus_kinds_parties_or_object_ids(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    resp = client.get("/api/v1/ledger/entries", **_token(client, users["ua"]))
    assert resp.status_code == 200
    body = _texts(resp.json())
    for secret in _ru_secrets():
        assert secret not in body, secret
    assert '"party":"UA"' in body  # the check above would see RU's metadata if it were there
    entries = resp.json()["entries"]
    assert [e["index"] for e in entries] == list(range(len(entries)))  # every entry is there, for the proofs
    opened = {e["index"] for e in entries if e["opening"] is not None}
    assert opened == set(mixed_ledger["UA"])  # its own, nothing else (not even the mediator's)
    for e in entries:
        if e["index"] not in opened:
            assert set(e) == {"index", "entry", "leaf_hash", "opening"}
            assert sorted(json.loads(e["entry"])) == ["commitment", "v"]


def test_ua_officer_reading_the_plain_entries_json_sees_the_same(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    assert client.login(username="ua-officer", password="pw-ua-officer")
    resp = client.get("/ledger/entries")
    assert resp.status_code == 200
    body = _texts(resp.json())
    for secret in _ru_secrets():
        assert secret not in body, secret
    assert {e["index"] for e in resp.json()["entries"] if e["opening"]} == set(mixed_ledger["UA"])


def test_ua_officer_on_the_ledger_page_sees_rus_entries_only_as_sealed(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    assert client.login(username="ua-officer", password="pw-ua-officer")
    resp = client.get("/ledger/")
    assert resp.status_code == 200
    body = resp.content.decode()
    for secret in [RU_LIST_ID, "77001", "List submission", "list_submission", "Match decision", ">RU<"]:
        assert secret not in body, secret
    rows = resp.context["rows"]
    assert sorted(e.index for e, opened in rows if opened) == mixed_ledger["UA"]
    assert body.count(">sealed<") == len(rows) - len(mixed_ledger["UA"])


def test_ru_officer_sees_its_own_list_submission_and_not_uas(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    assert client.login(username="ru-officer", password="pw-ru-officer")
    body = client.get("/ledger/").content.decode()
    assert RU_LIST_ID in body
    entries = client.get("/ledger/entries").json()["entries"]
    assert {e["index"] for e in entries if e["opening"]} == set(mixed_ledger["RU"])


def test_ua_officer_verifies_an_inclusion_proof_of_a_ru_entry_without_learning_what_it_is(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    headers = _token(client, users["ua"])
    ru_index = mixed_ledger["RU"][0]
    cp = client.get("/api/v1/ledger/checkpoint", **headers).json()
    proof = client.get(f"/api/v1/ledger/proof/inclusion?index={ru_index}", **headers).json()
    assert proof["opening"] is None
    data = base64.b64decode(proof["entry"])
    merkle.verify_inclusion(merkle.leaf_hash(data), ru_index, proof["tree_size"],
                            [base64.b64decode(h) for h in proof["proof"]], base64.b64decode(cp["root"]))
    with pytest.raises(codec.EntryError, match="sealed"):
        codec.open_entry(data)
    for secret in _ru_secrets():
        assert secret not in _texts(proof), secret


def test_ua_officer_opens_and_checks_its_own_entry_offline(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    headers = _token(client, users["ua"])
    ua_index = mixed_ledger["UA"][0]
    proof = client.get(f"/api/v1/ledger/proof/inclusion?index={ua_index}", **headers).json()
    data = base64.b64decode(proof["entry"])
    meta, salt = proof["opening"]["meta"].encode(), base64.b64decode(proof["opening"]["salt"])
    fields = codec.open_entry(data, meta, salt)
    assert (fields.party, fields.kind) == ("UA", "case_transition")
    with pytest.raises(codec.CommitmentError):
        codec.open_entry(data, meta.replace(b'"UA"', b'"RU"'), salt)  # a forged opening does not open it


@pytest.mark.parametrize("role", ["mediator", "caseworker", "auditor"])
def test_the_mediators_team_and_auditors_open_every_entry(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]], role: str
) -> None:
    entries = client.get("/api/v1/ledger/entries", **_token(client, users[role])).json()["entries"]
    assert all(e["opening"] is not None for e in entries)
    parties = {codec.open_entry(e["entry"].encode(), e["opening"]["meta"].encode(),
                                base64.b64decode(e["opening"]["salt"])).party for e in entries}
    assert {"UA", "RU", "QA"} <= parties


def test_an_ngo_worker_opens_neither_partys_entries(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]]
) -> None:
    entries = client.get("/api/v1/ledger/entries", **_token(client, users["ngo"])).json()["entries"]
    assert entries and all(e["opening"] is None for e in entries)


def test_a_partys_witness_still_audits_the_whole_sealed_log(
    client: Any, users: dict[str, Any], mixed_ledger: dict[str, list[int]], tmp_path: Path
) -> None:
    """The entry bytes every reader gets are exactly the leaves: the full-audit witness recomputes the root."""
    from homeward.ledger import witness
    from homeward.ledger.note import Signer

    headers = _token(client, users["ua"])
    cp = client.get("/api/v1/ledger/checkpoint", **headers).json()
    entries = client.get(f"/api/v1/ledger/entries?end={cp['size']}", **headers).json()["entries"]
    leaves = [e["entry"].encode() for e in entries]
    assert merkle.root_hash(leaves) == base64.b64decode(cp["root"])
    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.make_checkpoint()
    cos = service.cosign_latest(ua, "UA", witness.FileStateStore(tmp_path / "ua.witness.json"))
    assert cos.party_code == "UA"


def test_a_sealed_bundle_verifies_offline_and_says_it_is_sealed(mixed_ledger: dict[str, list[int]]) -> None:
    from homeward.cli.ledger import ledger as ledger_cli

    ru_index = mixed_ledger["RU"][0]
    sealed = service.proof_bundle(ru_index, open_metadata=False)
    assert "metadata" not in sealed
    result = bundle.verify_bundle(sealed)
    assert result.entry is None
    opened = bundle.verify_bundle(service.proof_bundle(ru_index))
    assert opened.entry is not None and opened.entry.party == "RU"
    out = CliRunner().invoke(ledger_cli, ["prove", str(ru_index), "--sealed"])
    assert out.exit_code == 0 and RU_LIST_ID not in out.output and "list_" not in out.output
    forged = service.proof_bundle(ru_index)
    forged["metadata"]["meta"] = forged["metadata"]["meta"].replace('"RU"', '"UA"')
    with pytest.raises(codec.CommitmentError):
        bundle.verify_bundle(forged)


def test_with_padding_checkpoints_round_the_log_and_a_party_sees_it_only_as_checkpointed(
    client: Any, users: dict[str, Any], settings: Any
) -> None:
    from homeward.ledger import storage
    from homeward.ledger.verify import verify_ledger

    settings.LEDGER_PAD = 8
    for i in range(3):
        service.record("case_transition", actor=None, party_code="UA", object_type="case", object_id=i, content={})
    for i in range(2):
        service.record("list_submission", actor=None, party_code="RU", object_type="exchange.list",
                       object_id=100 + i, content={})
    cp = service.make_checkpoint()
    assert cp.size == 8 and storage.current_size() == 8  # 5 real entries, 3 sealed padding entries
    padding = LedgerEntry.objects.filter(kind="padding")
    assert padding.count() == 3 and {len(e.bytes) for e in padding} == {87}
    service.record("list_submission", actor=None, party_code="RU", object_type="exchange.list", object_id=102,
                   content={})  # after the checkpoint: the other party must not see the log grow
    ua = _token(client, users["ua"])
    assert len(client.get("/api/v1/ledger/entries", **ua).json()["entries"]) == 8
    assert client.get("/api/v1/ledger/proof/inclusion?index=0&size=9", **ua).status_code == 404
    assert client.get("/api/v1/ledger/proof/consistency?old=8&new=9", **ua).status_code == 404
    assert client.get("/api/v1/ledger/proof/inclusion?index=0", **ua).json()["tree_size"] == 8
    assert client.login(username="ua-officer", password="pw-ua-officer")
    page = client.get("/ledger/")
    assert page.context["size"] == 8 and len(page.context["rows"]) == 8
    mediator = _token(client, users["mediator"])
    assert len(client.get("/api/v1/ledger/entries", **mediator).json()["entries"]) == 9
    assert service.make_checkpoint().size == 16
    assert len(client.get("/api/v1/ledger/entries", **ua).json()["entries"]) == 16
    assert verify_ledger().size == 16
