"""The one access policy (``homeward.access``): one module decides, services raise ``NotFound`` from the one
exception hierarchy, and the web layers turn it into a 404 page or a JSON 404."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "homeward"


def test_there_is_one_access_module():
    modules = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("access.py"))
    assert modules == ["access.py"]


def test_only_the_web_layers_speak_of_http404():
    """Services and views raise ``NotFound``; only the two translators mention Django's ``Http404``."""
    speakers = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                      if re.search(r"\bHttp404\b|get_object_or_404", p.read_text(encoding="utf-8"))
                      and p.name != "exceptions.py")
    assert speakers == ["api.py", "middleware.py"]


def test_ledger_errors_join_the_one_hierarchy():
    from homeward.exceptions import HomewardError, NotFound
    from homeward.ledger import errors, payloads

    assert issubclass(errors.LedgerError, HomewardError)
    assert issubclass(errors.ConflictError, HomewardError)
    assert issubclass(payloads.NotFound, errors.LedgerError)
    assert issubclass(NotFound, HomewardError)


def test_not_found_message_carries_no_detail():
    from homeward.exceptions import NotFound

    assert str(NotFound()) == "Not found."


@pytest.mark.django_db
def test_get_treats_absent_foreign_and_malformed_ids_alike(users, ua_child, ru_child):
    from homeward import access

    scope = access.children(users["ua"])
    assert access.get(scope, ua_child.pk) == ua_child
    for pk in (ru_child.pk, 999_999, "x", None, 10**30):
        with pytest.raises(access.NotFound):
            access.get(scope, pk)


@pytest.mark.django_db
def test_service_refusal_is_the_404_page_not_a_server_error(client, users, ua_child):
    """A party officer posting a mediator-only action: the service's ``NotFound`` becomes the 404 page."""
    assert client.login(username="ua-officer", password="pw-ua-officer")
    resp = client.post(f"/children/{ua_child.pk}/share/", {"parties": []})
    assert resp.status_code == 404
    assert "Ткаченко" not in resp.content.decode()


@pytest.mark.django_db
def test_service_refusal_through_the_api_is_a_json_404(client, token_for, ru_child):
    resp = client.post(f"/api/v1/cases/{ru_child.case.pk}/transitions", {"to": "withdrawn", "reason": "r"},
                       content_type="application/json", **token_for("ua"))
    assert resp.status_code == 404
    assert resp.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_the_operator_sees_what_the_mediator_sees_and_is_audited_as_cli(users, ua_child, ru_child):
    from homeward import access
    from homeward.accounts import audit
    from homeward.accounts.models import AuditEvent

    op = access.OPERATOR
    assert set(access.children(op)) == {ua_child, ru_child}
    assert access.is_mediator(op) and access.user_of(op) is None
    audit.record(op, "export", ua_child)
    event = AuditEvent.objects.get(action="export")
    assert (event.user, event.via, event.party_code) == (None, "cli", "")


@pytest.mark.django_db
def test_inactive_and_anonymous_viewers_have_empty_scopes(users, ua_child):
    from django.contrib.auth.models import AnonymousUser

    from homeward import access

    ua: Any = users["ua"]
    ua.is_active = False
    for viewer in (ua, AnonymousUser(), None):
        assert not access.children(viewer).exists()
        assert not access.may_register(viewer)
        assert not access.is_mediator(viewer)
