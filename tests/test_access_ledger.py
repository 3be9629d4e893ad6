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
    """A checkpoint over five UA entries, and UA's witness key registered with the platform."""
    from homeward.ledger import service
    from homeward.ledger.note import Signer

    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {}) for i in range(5))
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
