"""The ledger's part of the one access policy (``homeward.access``): who submits a party's cosignature, and who
reads an entry's metadata. A route or an opening that is not the actor's does not exist for it (404 / absent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import make_user, password_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path
    return tmp_path


@pytest.fixture
def signed_checkpoint() -> dict[str, Any]:
    """A checkpoint over five UA entries and one RU entry, and UA's witness key registered with the platform."""
    from homeward.ledger import service
    from homeward.ledger.note import Signer

    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {}) for i in range(5))
    service.record_many([service.Record("list_submission", None, "RU", "exchange.list", 9, {})])
    cp = service.make_checkpoint()
    return {"checkpoint": cp, "line": ua.cosign(cp.note.split("\n\n")[0] + "\n", 1).line()}


def _bearer(client: Any, user: Any) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", {"username": user.username, "password": password_of(user.username)},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    return {"HTTP_AUTHORIZATION": "Bearer " + resp.json()["token"]}


def _submit(client: Any, user: Any, cp: Any, line: str, party: str = "UA") -> Any:
    return client.post("/api/v1/ledger/cosignatures", {"party": party, "size": cp.size, "line": line},
                       content_type="application/json", **_bearer(client, user))


# --- cosignatures --------------------------------------------------------------------------------


def test_an_officer_of_the_party_submits_its_cosignature(client, users, signed_checkpoint):
    from homeward.ledger.models import Cosignature

    resp = _submit(client, users["ua"], signed_checkpoint["checkpoint"], signed_checkpoint["line"])
    assert resp.status_code == 201, resp.content
    assert resp.json()["party"] == "UA"
    assert Cosignature.objects.filter(party_code="UA").count() == 1


@pytest.mark.parametrize("role", ["ru", "mediator", "caseworker", "ngo", "auditor"])
def test_anyone_but_the_partys_officer_finds_no_cosignature_route(client, users, signed_checkpoint, role):
    """Not a 403 that confirms the route and the party: the same 404 as a route that does not exist."""
    from homeward.ledger.models import Cosignature

    resp = _submit(client, users[role], signed_checkpoint["checkpoint"], signed_checkpoint["line"])
    assert resp.status_code == 404
    assert resp.json() == {"detail": "Not found."}
    assert not Cosignature.objects.exists()


def test_an_auditor_of_the_party_is_no_witness_for_it(client, parties, signed_checkpoint):
    """Auditors may belong to an authority; its cosignature is still its officers' alone."""
    from homeward.ledger.models import Cosignature

    ua_auditor = make_user("ua-auditor", parties["UA"], "auditor")
    resp = _submit(client, ua_auditor, signed_checkpoint["checkpoint"], signed_checkpoint["line"])
    assert resp.status_code == 404
    assert not Cosignature.objects.exists()


def test_cosigns_for_is_the_officer_of_that_party_only(users, parties):
    from homeward import access

    assert access.cosigns_for(users["ua"], "UA")
    assert not access.cosigns_for(users["ua"], "RU")
    assert not access.cosigns_for(users["ua"], "")
    assert not access.cosigns_for(users["ngo"], "NGO1")
    assert not access.cosigns_for(users["mediator"], "QA")
    assert not access.cosigns_for(access.OPERATOR, "UA")
    users["ua"].is_active = False
    assert not access.cosigns_for(users["ua"], "UA")


# --- who opens an entry's metadata ---------------------------------------------------------------


@pytest.mark.parametrize("role,opens", [
    ("mediator", {"UA", "RU", "QA", ""}),
    ("caseworker", {"UA", "RU", "QA", ""}),
    ("auditor", {"UA", "RU", "QA", ""}),
    ("ua", {"UA"}),
    ("ru", {"RU"}),
    ("ngo", {"NGO1"}),
])
def test_may_open_gives_a_party_its_own_entries_only_and_the_mediator_and_auditors_all(users, role, opens):
    """Entries of the system or the mediator (``""``, ``QA``) may be about the other party's records: parties
    never open them."""
    from homeward import access

    assert {code for code in ("UA", "RU", "QA", "NGO1", "") if access.may_open(users[role], code)} \
        == opens | ({"NGO1"} if access.reads_whole_ledger(users[role]) else set())


def test_an_inactive_or_anonymous_viewer_opens_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    from homeward import access

    users["ua"].is_active = False
    assert not access.may_open(users["ua"], "UA")
    assert not access.may_open(AnonymousUser(), "")
    assert not access.may_open(None, "")
    assert access.may_open(access.OPERATOR, "RU")


def test_the_ledger_asks_the_one_policy_and_keeps_no_rule_of_its_own():
    from homeward.ledger import service

    assert not hasattr(service, "may_open")


def test_the_api_gives_the_opening_of_own_entries_only(client, users, signed_checkpoint):
    """Each officer opens its own party's entries and no other; the auditor every one."""
    from homeward.ledger.models import LedgerEntry

    parties = dict(LedgerEntry.objects.values_list("index", "party_code"))
    assert {"UA", "RU"} <= set(parties.values())

    def opened(role: str) -> set[int]:
        resp = client.get("/api/v1/ledger/entries", {"start": 0, "end": len(parties)}, **_bearer(client, users[role]))
        assert resp.status_code == 200
        return {e["index"] for e in resp.json()["entries"] if e["opening"] is not None}

    assert opened("ua") == {i for i, code in parties.items() if code == "UA"}
    assert opened("ru") == {i for i, code in parties.items() if code == "RU"}
    assert opened("auditor") == set(parties)
