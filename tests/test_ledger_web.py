"""Ledger page and JSON endpoints (plain views and the ninja router): every signed-in role may read them."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from homeward.ledger import merkle, service, storage
from homeward.ledger.note import Signer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    from django.core.cache import cache

    cache.clear()  # the page caches verification results for a minute
    settings.HOME = tmp_path
    return tmp_path


@pytest.fixture
def ledger_with_checkpoint(users: dict[str, Any]) -> None:
    service.record_many(
        service.Record("list_submission", None, "UA", "exchange.list", i, {"child": "Коваленко Олег"}) for i in range(7)
    )
    service.make_checkpoint()


def _login(client: Any, users: dict[str, Any], key: str) -> None:
    user = users[key]
    assert client.login(username=user.username, password="pw-" + user.username)


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def test_ledger_page_requires_login(client: Any) -> None:
    resp = client.get("/ledger/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_json_endpoints_require_login(client: Any) -> None:
    for url in ("/ledger/checkpoint", "/ledger/entries", "/api/v1/ledger/checkpoint"):
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("role", ["auditor", "ua", "ru", "ngo", "mediator"])
def test_every_role_sees_the_ledger_page_without_personal_data(
    client: Any, users: dict[str, Any], ledger_with_checkpoint: None, role: str
) -> None:
    _login(client, users, role)
    resp = client.get("/ledger/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Коваленко" not in body
    assert resp.context["size"] == 7
    assert service.origin() in body


def test_verify_button_reports_success(client: Any, users: dict[str, Any], ledger_with_checkpoint: None) -> None:
    _login(client, users, "auditor")
    resp = client.post("/ledger/")
    assert resp.status_code == 200
    assert resp.context["result"]["ok"] is True
    assert resp.context["result"]["full"] is True


def test_verify_button_names_the_tampered_entry(
    client: Any, users: dict[str, Any], ledger_with_checkpoint: None
) -> None:
    from django.db import connection

    data = storage.entry_bytes(2, 3)[0]
    at = data.index(b'"commitment":"') + len(b'"commitment":"')
    data = data[:at] + (b"1" if data[at : at + 1] != b"1" else b"2") + data[at + 1 :]
    with connection.cursor() as cur:
        cur.execute('UPDATE ledger_ledgerentry SET data = %s WHERE "index" = 2', [data])
    _login(client, users, "ru")
    resp = client.post("/ledger/")
    assert resp.context["result"]["ok"] is False
    assert "entry 2" in resp.content.decode()


def test_checkpoint_json_matches_the_stored_tree(
    client: Any, users: dict[str, Any], ledger_with_checkpoint: None
) -> None:
    _login(client, users, "ua")
    data = client.get("/ledger/checkpoint").json()
    assert data["size"] == 7
    assert _b(data["root"]) == merkle.root_hash(storage.entry_bytes(0, 7))
    assert data["checkpoint"].startswith(f"{service.origin()}\n7\n{data['root']}\n\n— ")


def test_inclusion_proof_json_verifies_against_the_checkpoint(
    client: Any, users: dict[str, Any], ledger_with_checkpoint: None
) -> None:
    _login(client, users, "ru")
    root = _b(client.get("/ledger/checkpoint").json()["root"])
    for url in ("/ledger/proof/inclusion?index=3&size=7", "/api/v1/ledger/proof/inclusion?index=3"):
        data = client.get(url).json()
        merkle.verify_inclusion(merkle.leaf_hash(_b(data["entry"])), 3, 7, [_b(h) for h in data["proof"]], root)


def test_consistency_proof_json_verifies_between_two_sizes(client: Any, users: dict[str, Any]) -> None:
    service.record_many(service.Record("list_response", None, "RU", "l", i, {}) for i in range(9))
    _login(client, users, "auditor")
    for url in ("/ledger/proof/consistency?old=4&new=9", "/api/v1/ledger/proof/consistency?old=4&new=9"):
        data = client.get(url).json()
        merkle.verify_consistency(4, 9, [_b(h) for h in data["proof"]], storage.root(4), storage.root(9))


def test_entries_json_returns_exact_stored_bytes(
    client: Any, users: dict[str, Any], ledger_with_checkpoint: None
) -> None:
    _login(client, users, "ngo")
    for url in ("/ledger/entries?start=2&end=5", "/api/v1/ledger/entries?start=2&end=5"):
        data = client.get(url).json()
        assert [e["index"] for e in data["entries"]] == [2, 3, 4]
        assert [e["entry"].encode() for e in data["entries"]] == storage.entry_bytes(2, 5)


def test_bad_proof_requests_answer_400_or_404(client: Any, users: dict[str, Any]) -> None:
    _login(client, users, "auditor")
    assert client.get("/ledger/checkpoint").status_code == 404
    assert client.get("/api/v1/ledger/checkpoint").status_code == 404
    service.record("list_submission", actor=None, party_code="UA", object_type="l", object_id=1, content={})
    assert client.get("/ledger/proof/inclusion?index=5&size=1").status_code == 400
    assert client.get("/ledger/proof/inclusion?index=x&size=1").status_code == 400
    assert client.get("/ledger/proof/consistency?old=0&new=1").status_code == 400
    assert client.get("/api/v1/ledger/proof/inclusion?index=5&size=1").status_code == 400


def test_page_lists_cosignatures_and_party_keys(client: Any, users: dict[str, Any], tmp_path: Path) -> None:
    from homeward.ledger import witness

    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.make_checkpoint()
    service.cosign_latest(ua, "UA", witness.MemoryStateStore())
    _login(client, users, "ru")
    body = client.get("/ledger/").content.decode()
    assert ua.verifier().vkey in body
    assert "— ua.homeward " in body


def test_ledger_routes_are_in_the_openapi_schema(client: Any, users: dict[str, Any]) -> None:
    _login(client, users, "auditor")
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]
    for path in ("checkpoint", "proof/inclusion", "proof/consistency", "entries", "cosignatures"):
        assert f"/api/v1/ledger/{path}" in paths, path
